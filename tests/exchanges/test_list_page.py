"""The release list's page: why rows wait for a person, and filters that survive paging."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import pytest
from django.test import Client

from accounts.models import User
from exchanges.models import Outcome, ReleaseList, ReleaseListRow, Resolution
from tests.factories import make_phase, sign_in

pytestmark = pytest.mark.django_db


def _list_with(rows: Sequence[tuple[str, str, str]]) -> ReleaseList:
    """A list whose rows the engine has decided: (outcome, reason, resolution) each."""
    release_list = ReleaseList.objects.create(
        phase=make_phase(), received_on=date(2025, 5, 21), sha256="d" * 64, rows_total=len(rows)
    )
    ReleaseListRow.objects.bulk_create(
        ReleaseListRow(
            release_list=release_list,
            line_number=n,
            full_name=f"Рядок {n}",
            outcome=outcome,
            reason=reason,
            resolution=resolution,
        )
        for n, (outcome, reason, resolution) in enumerate(rows, start=1)
    )
    return release_list


def _page(user: User, release_list: ReleaseList, query: str = "") -> str:
    client = Client()
    sign_in(client, user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client.get(f"/exchanges/lists/{release_list.pk}/{query}").content.decode()


def test_the_page_says_why_rows_wait_and_what_would_settle_them(official: User) -> None:
    release_list = _list_with(
        [
            (Outcome.REVIEW, "name_only", ""),
            (Outcome.REVIEW, "name_only", ""),
            (Outcome.CONFLICT, "namesakes", ""),
            (Outcome.REVIEW, "review", ""),
            (Outcome.REVIEW, "name_only", Resolution.NOT_OURS),  # decided: waits no more
            (Outcome.REVIEW, "name_only", Resolution.DEFERRED),  # put off: waits still
            (Outcome.UNMATCHED, "no_candidate", ""),  # someone records them, or not ours
            (Outcome.REVIEW, "unconfirmed", ""),  # gave a date the registry lacks
            (Outcome.REVIEW, "", ""),  # decided before reasons were recorded
        ]
    )

    page = _page(official, release_list)

    assert "Why rows wait for a person" in page
    assert 'href="?reason=name_only"' in page
    assert "Only the name can be compared" in page
    assert "</a> — 3</li>" in page  # three name-only rows still wait; the decided one does not
    assert "together with its given name, patronymic or year of birth.</a> — 1</li>" in page
    # Three name-only rows and the namesakes: not the unconfirmed one, which gave a date.
    assert "4 rows wait only because nothing but the name can be compared" in page
    assert "<li>No reason recorded — 1</li>" in page  # no link that would filter nothing


def test_a_list_with_nothing_waiting_has_no_such_section(official: User) -> None:
    page = _page(official, _list_with([(Outcome.UNMATCHED, "unlikely", Resolution.NOT_OURS)]))

    assert "Why rows wait for a person" not in page


def test_the_reason_filter_shows_only_those_rows_and_paging_keeps_it(official: User) -> None:
    release_list = _list_with(
        [(Outcome.REVIEW, "name_only", "")] * 55 + [(Outcome.REVIEW, "unconfirmed", "")] * 3
    )

    first = _page(official, release_list, "?reason=unconfirmed")
    name_only = _page(official, release_list, "?reason=name_only")

    assert first.count("<tr><td") == 3
    assert "Рядок 56" in first
    assert "Рядок 1<" not in first
    assert 'href="?reason=name_only&amp;page=2"' in name_only
    second = _page(official, release_list, "?reason=name_only&page=2")
    assert second.count("<tr><td") == 5


def test_on_a_phone_every_cell_of_the_rows_can_stack_under_its_columns_name(
    official: User,
) -> None:
    """Narrow screens stack each row (static/css/app.css, table.stacked): a cell shows its
    column's name from data-label, so no column hides behind a sideways scroll."""
    page = _page(official, _list_with([(Outcome.UNMATCHED, "no_candidate", "")]))

    table = page[page.index("<table") : page.index("</table>")]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', table)
    row = table[table.index("<tbody>") :]
    assert 'class="stacked"' in table[: table.index(">")]
    assert re.findall(r'<td data-label="([^"]+)"', row) == headers
