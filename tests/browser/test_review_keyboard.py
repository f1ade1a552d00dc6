"""A reviewer decides a list of sixty rows with the keyboard alone, on the Ukrainian layout:
each decision is recorded, costs one request and no page load. The times are the benchmark's
(``python -m bench.review``), not this test's."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from accounts.roles import Role
from captives.models import Captive
from exchanges.models import ReleaseListRow
from exchanges.review import WAITING
from tests.browser.reviewing import (
    GIVEN,
    STRANGERS,
    UkrainianKeyboard,
    key_for,
    review_by_keyboard,
    seed_review_list,
)
from tests.browser.test_officials_day import PASSWORD, REFUSED_BY_POLICY, _signed_in
from tests.conftest import grant_roles
from tests.factories import make_phase, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def roles() -> None:
    """The groups of the roles: a test before this one, in this module or another, flushed every
    table when it ended, and with --reuse-db there is nothing serialized to restore them from."""
    grant_roles()


def test_sixty_rows_are_decided_by_keys_alone_one_request_each(
    live_server: Any, browser: Browser
) -> None:
    release_list = seed_review_list(make_phase(), now=timezone.now(), lines=60)
    rows = {row.pk: row for row in release_list.rows.order_by("line_number")}
    waiting = [row for row in rows.values() if row.outcome in WAITING]
    assert len(waiting) >= 50
    make_user(Role.REVIEWER, "ivan", password=PASSWORD)
    reviewer = _signed_in(browser, live_server.url, "ivan")
    first = f"{live_server.url}/review/rows/{waiting[0].pk}/?list={release_list.pk}"

    # While one types in a field, the keys type: "/" goes to the search box (its text selected),
    # and the key that says "not ours" then writes a letter there and decides nothing.
    reviewer.goto(first)
    keyboard = UkrainianKeyboard(reviewer)
    keyboard.press("Slash")
    keyboard.press("KeyX")
    assert reviewer.input_value("#q") == "ч"
    assert ReleaseListRow.objects.get(pk=waiting[0].pk).resolution == ""

    decisions = review_by_keyboard(reviewer, first, rows)

    assert [d.line for d in decisions] == [row.line_number for row in waiting]
    assert {d.key for d in decisions} == {"KeyC", "KeyN", "KeyX", "KeyD"}
    for decision in decisions:
        assert decision.page_loads == 0, decision
        assert len(decision.requests) == 1, decision
        assert decision.requests[0].startswith("POST /review/rows/"), decision
    for row in waiting:
        assert ReleaseListRow.objects.get(pk=row.pk).resolution == key_for(row)[1], row
    recorded = Captive.objects.filter(family_name__in=STRANGERS)
    assert recorded.exists()
    # Each recorded as the registry writes them: the given name in Ukrainian, from the form.
    assert set(recorded.values_list("given_name", flat=True)) <= {g for g, _ in GIVEN}
    assert REFUSED_BY_POLICY == []


def test_without_script_each_decision_is_a_form_post_and_the_next_rows_page(
    live_server: Any, browser: Browser
) -> None:
    release_list = seed_review_list(make_phase(), now=timezone.now(), lines=6)
    rows = {row.pk: row for row in release_list.rows.order_by("line_number")}
    waiting = [row for row in rows.values() if row.outcome in WAITING]
    make_user(Role.REVIEWER, "olha", password=PASSWORD)
    reviewer = _signed_in(browser, live_server.url, "olha")
    reviewer.route("**/htmx.min.js", lambda route: route.abort())

    decisions = review_by_keyboard(
        reviewer,
        f"{live_server.url}/review/rows/{waiting[0].pk}/?list={release_list.pk}",
        rows,
        htmx=False,
    )

    assert [d.line for d in decisions] == [row.line_number for row in waiting]
    assert all(d.page_loads == 1 and d.requests[0].startswith("POST ") for d in decisions)
    for row in waiting:
        assert ReleaseListRow.objects.get(pk=row.pk).resolution == key_for(row)[1], row
