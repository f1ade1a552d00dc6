from __future__ import annotations

import pytest

from accounts.models import User
from captives.errors import TransitionError
from captives.lifecycle import Status
from captives.models import Captive
from captives.services import change_status, record_spelling
from tests.factories import make_captive, make_provenance

pytestmark = pytest.mark.django_db


def test_status_change_is_recorded_with_who_why_and_source(official: User) -> None:
    captive = make_captive(status=Status.MISSING)
    source = make_provenance(description="Returnee debriefing 2025-05-24")

    change_status(
        captive=captive,
        to=Status.CONFIRMED_CAPTIVE,
        by=official,
        reason="Seen in Olenivka by two returnees",
        provenance=source,
    )

    captive.refresh_from_db()
    assert captive.status == Status.CONFIRMED_CAPTIVE
    latest = captive.history.order_by("-history_id").first()
    assert latest is not None
    assert latest.status == Status.CONFIRMED_CAPTIVE
    assert latest.history_user == official
    assert latest.history_change_reason == "Seen in Olenivka by two returnees"
    assert latest.provenance_id == source.pk
    assert [h.status for h in captive.history.order_by("history_id")] == [
        Status.MISSING,
        Status.CONFIRMED_CAPTIVE,
    ]


def test_refused_change_raises_and_leaves_record_and_history_untouched(official: User) -> None:
    captive = make_captive(status=Status.MISSING)
    history_before = captive.history.count()

    with pytest.raises(TransitionError, match="cannot go from"):
        change_status(
            captive=captive,
            to=Status.RETURNED,
            by=official,
            reason="Someone said so",
            provenance=make_provenance(),
        )

    assert Captive.objects.get(pk=captive.pk).status == Status.MISSING
    assert captive.history.count() == history_before


def test_change_without_a_reason_is_refused(official: User) -> None:
    captive = make_captive(status=Status.MISSING)
    with pytest.raises(TransitionError, match="why"):
        change_status(
            captive=captive,
            to=Status.CONFIRMED_CAPTIVE,
            by=official,
            reason="  ",
            provenance=make_provenance(),
        )
    assert Captive.objects.get(pk=captive.pk).status == Status.MISSING


def test_change_decided_on_the_stored_status_not_a_stale_copy(official: User) -> None:
    captive = make_captive(status=Status.LISTED)
    stale = Captive.objects.get(pk=captive.pk)
    Captive.objects.filter(pk=captive.pk).update(status=Status.RETURNED)

    with pytest.raises(TransitionError):
        change_status(
            captive=stale,
            to=Status.CONFIRMED_CAPTIVE,
            by=official,
            reason="Did not appear",
            provenance=make_provenance(),
        )


def test_spelling_is_kept_once_and_never_the_name_itself() -> None:
    captive = make_captive(family_name="Шевченко", given_name="Олександр", patronymic="Петрович")
    source = make_provenance()

    assert (
        record_spelling(captive=captive, full_name="Шевченко Олександр Петрович", provenance=source)
        is None
    )
    first = record_spelling(captive=captive, full_name="Shevchenko  Oleksandr", provenance=source)
    again = record_spelling(captive=captive, full_name="Shevchenko Oleksandr", provenance=source)

    assert first is not None
    assert first.full_name == "Shevchenko Oleksandr"
    assert again is None
    assert captive.spellings.count() == 1
