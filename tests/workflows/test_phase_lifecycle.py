"""The phase lifecycle's rules, each refused with a sentence that says what to do: approval on
or after the phase's day in Kyiv, the return dated by the handover day, nobody completes a
phase that names nobody, the approver acknowledges a gap, and families hear "listed" only
where officials released it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from accounts.models import User
from accounts.roles import Role
from accounts.tokens import SCOPES
from captives.lifecycle import Status
from captives.models import Captive
from config.errors import ConflictError, DomainError
from exchanges.exports import transfer_table
from exchanges.models import Phase, ReleaseListRow, Resolution, Transfer
from exchanges.review import resolve_row
from inquiries.models import Inquiry, Notification
from inquiries.pins import hash_pin
from tests.api.conftest import Partner
from tests.factories import make_captive, make_matched_list, make_phase, make_user
from webhooks.models import Event, EventType
from workflows.confirmation import approve_confirmation, propose_confirmation
from workflows.news import release_listed_news

pytestmark = pytest.mark.django_db
PIN = "123456"
# The walk the officials and a mother made: a phase dated 12.12.2026, approved on 06.12.2026.
PROPOSED = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
ON_THE_DAY = datetime(2026, 12, 12, 15, 0, tzinfo=UTC)


def _inquiry_for(captive: Captive, *, email: str = "maria@example.org") -> Inquiry:
    """A mother's inquiry, her tie verified and the return allowed to be told by name."""
    return Inquiry.objects.create(
        reference=f"HC-{captive.pk:04d}-{Inquiry.objects.count():04d}",
        pin_hash=hash_pin(PIN),
        relative_name="Марія",
        relationship="mother",
        language="en",
        email=email,
        consent_given_at=PROPOSED,
        sought_full_name=captive.full_name,
        captive=captive,
        disclosable=True,
        verified_at=PROPOSED,
        verification_method="Passport seen",
    )


def _proposed_phase(**fields: Any) -> tuple[Phase, Captive, User]:
    """Phase 2 of “1000 for 1000”, dated 12.12.2026, declaring one serviceman and naming him,
    proposed by one official; the other official is returned."""
    phase = make_phase(number=2, date=date(2026, 12, 12), declared_returned_servicemen=1, **fields)
    person = make_captive(family_name="Бондар")
    make_matched_list(phase, [person])
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=PROPOSED)
    return phase, person, make_user(Role.OFFICIAL)


def test_a_phase_is_not_approved_before_its_date() -> None:
    phase, person, approver = _proposed_phase()
    _inquiry_for(person)

    with pytest.raises(DomainError, match=r"takes place on 12\.12\.2026: approve it on that day"):
        approve_confirmation(phase=phase, by=approver, at=PROPOSED)

    assert Phase.objects.get(pk=phase.pk).state != Phase.State.COMPLETED
    assert Captive.objects.get(pk=person.pk).status == Status.LISTED
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("at", "allowed"),
    [
        (datetime(2026, 12, 11, 21, 59, tzinfo=UTC), False),  # 23:59 on the 11th in Kyiv
        (datetime(2026, 12, 11, 22, 0, tzinfo=UTC), True),  # midnight of the 12th in Kyiv
    ],
)
def test_the_phases_day_begins_at_midnight_in_kyiv(at: datetime, allowed: bool) -> None:
    phase, _, approver = _proposed_phase()

    if allowed:
        approve_confirmation(phase=phase, by=approver, at=at)
    else:
        with pytest.raises(DomainError, match=r"12\.12\.2026"):
            approve_confirmation(phase=phase, by=approver, at=at)

    assert (Phase.objects.get(pk=phase.pk).state == Phase.State.COMPLETED) is allowed


def test_the_return_is_dated_by_the_phase_not_by_the_approval() -> None:
    phase, person, approver = _proposed_phase()
    later = datetime(2026, 12, 15, 9, 0, tzinfo=UTC)

    approve_confirmation(phase=phase, by=approver, at=later)

    stored = Phase.objects.get(pk=phase.pk)
    assert stored.handed_over_on == date(2026, 12, 12)
    transfer = Transfer.objects.select_related("phase").get(captive=person)
    assert transfer.returned_on == date(2026, 12, 12)
    assert transfer.confirmed_at == later  # when the officials said so
    returned = Captive.objects.get(pk=person.pk).history.latest("history_id")
    assert returned.history_change_reason == "Came home on 12.12.2026, in phase 2"
    assert returned.provenance.dated == date(2026, 12, 12)


def test_the_handover_day_the_approver_enters_is_where_the_return_is_told(
    django_capture_on_commit_callbacks: Any,
) -> None:
    phase, person, approver = _proposed_phase()
    _inquiry_for(person)

    approve_confirmation(
        phase=phase,
        by=approver,
        at=datetime(2026, 12, 14, 9, 0, tzinfo=UTC),
        handed_over_on=date(2026, 12, 13),
    )

    assert Phase.objects.get(pk=phase.pk).handed_over_on == date(2026, 12, 13)
    [news] = Notification.objects.filter(event=Notification.Event.RETURNED)
    assert "came home on 13.12.2026, in phase 2 of “1000 for 1000”" in news.body
    completed = Event.objects.get(type=EventType.PHASE_COMPLETED)
    assert completed.payload["handed_over_on"] == "2026-12-13"
    returned = Event.objects.get(type=EventType.CAPTIVE_RETURNED)
    assert returned.payload["returned_on"] == "2026-12-13"
    table = transfer_table(Phase.objects.get(pk=phase.pk), personal=False)
    [row] = [dict(zip(table.columns, cells, strict=True)) for cells in table.rows]
    assert row["returned_on"] == date(2026, 12, 13)


@pytest.mark.parametrize(
    ("day", "said"),
    [
        (date(2026, 12, 15), r"15\.12\.2026 is in the future"),
        (date(2026, 12, 11), r"11\.12\.2026 is before the phase's date, 12\.12\.2026"),
    ],
)
def test_a_handover_day_in_the_future_or_before_the_phase_is_refused(day: date, said: str) -> None:
    phase, person, approver = _proposed_phase()

    with pytest.raises(DomainError, match=said):
        approve_confirmation(
            phase=phase,
            by=approver,
            at=datetime(2026, 12, 14, 9, 0, tzinfo=UTC),
            handed_over_on=day,
        )

    assert Captive.objects.get(pk=person.pk).status == Status.LISTED
    assert Phase.objects.get(pk=phase.pk).handed_over_on is None


def test_a_phase_whose_lists_name_nobody_is_not_proposed() -> None:
    phase = make_phase(number=3, declared_returned_servicemen=10)  # declared, no list at all

    with pytest.raises(DomainError, match="Phase 3 names nobody yet: upload its release list"):
        propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=PROPOSED)

    assert Phase.objects.get(pk=phase.pk).proposed_by is None


def test_a_phase_that_lists_nobody_is_not_approved() -> None:
    proposer, approver, reviewer = (make_user(Role.OFFICIAL) for _ in range(3))
    phase = make_phase(number=3)
    person = make_captive()
    make_matched_list(phase, [person])
    propose_confirmation(phase=phase, by=proposer, at=ON_THE_DAY)
    row = ReleaseListRow.objects.get(release_list__phase=phase)
    resolve_row(
        row=row, resolution=Resolution.NOT_OURS, by=reviewer, at=ON_THE_DAY, version=row.version
    )
    propose_confirmation(phase=phase, by=proposer, at=ON_THE_DAY)  # takes him off the list

    with pytest.raises(DomainError, match="Phase 3 names nobody yet"):
        approve_confirmation(phase=phase, by=approver, at=ON_THE_DAY)

    assert Phase.objects.get(pk=phase.pk).state != Phase.State.COMPLETED


def test_a_gap_between_declared_and_named_is_acknowledged_before_approval() -> None:
    phase, person, approver = _proposed_phase()
    Phase.objects.filter(pk=phase.pk).update(declared_returned_servicemen=10)

    with pytest.raises(DomainError, match="9 declared people are not named on the lists"):
        approve_confirmation(phase=phase, by=approver, at=ON_THE_DAY)
    with pytest.raises(DomainError, match="9 declared people"):  # a page showing another gap
        approve_confirmation(phase=phase, by=approver, at=ON_THE_DAY, acknowledged_gap=10)
    assert Captive.objects.get(pk=person.pk).status == Status.LISTED

    approve_confirmation(phase=phase, by=approver, at=ON_THE_DAY, acknowledged_gap=9)

    assert Captive.objects.get(pk=person.pk).status == Status.RETURNED


def test_proposing_tells_families_nothing() -> None:
    person = make_captive(family_name="Бондар")
    _inquiry_for(person)
    phase = make_phase(number=2, date=date(2026, 12, 12))
    make_matched_list(phase, [person])

    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=PROPOSED)

    assert Captive.objects.get(pk=person.pk).status == Status.LISTED
    assert not Notification.objects.exists()


def test_released_listed_news_tells_the_listed_once_and_the_newly_listed_on_proposal() -> None:
    phase, person, official = _proposed_phase()
    _inquiry_for(person)

    assert release_listed_news(phase=phase, by=official, at=PROPOSED) == 1
    with pytest.raises(ConflictError, match="released already"):
        release_listed_news(phase=phase, by=official, at=PROPOSED)
    newcomer = make_captive(family_name="Мельник")
    _inquiry_for(newcomer, email="olha@example.org")
    make_matched_list(phase, [newcomer], sha256="e" * 64)
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=PROPOSED)

    told = Notification.objects.order_by("pk").values_list("event", "recipient")
    assert list(told) == [
        (Notification.Event.LISTED, "maria@example.org"),
        (Notification.Event.LISTED, "olha@example.org"),
    ]
    stored = Phase.objects.get(pk=phase.pk)
    assert (stored.listed_news_released, stored.listed_news_released_by) == (True, official)
    assert stored.history.filter(
        history_change_reason="Listed news released to families", history_user=official
    ).exists()


def test_a_family_told_listed_hears_once_that_it_no_longer_holds() -> None:
    phase, person, official = _proposed_phase()
    _inquiry_for(person)
    release_listed_news(phase=phase, by=official, at=PROPOSED)
    row = ReleaseListRow.objects.get(release_list__phase=phase)
    resolve_row(
        row=row, resolution=Resolution.NOT_OURS, by=official, at=PROPOSED, version=row.version
    )

    propose_confirmation(phase=phase, by=official, at=PROPOSED)  # no longer named
    with pytest.raises(DomainError, match="names nobody"):  # and nothing more is said
        propose_confirmation(phase=phase, by=official, at=PROPOSED)

    told = Notification.objects.order_by("pk").values_list("event", flat=True)
    assert list(told) == [Notification.Event.LISTED, Notification.Event.UNLISTED]
    correction = Notification.objects.get(event=Notification.Event.UNLISTED)
    assert "no longer on the list" in correction.body


def test_a_family_never_told_listed_hears_no_correction() -> None:
    phase, person, official = _proposed_phase()
    _inquiry_for(person)
    row = ReleaseListRow.objects.get(release_list__phase=phase)
    resolve_row(
        row=row, resolution=Resolution.NOT_OURS, by=official, at=PROPOSED, version=row.version
    )

    propose_confirmation(phase=phase, by=official, at=PROPOSED)

    assert Captive.objects.get(pk=person.pk).status == Status.CONFIRMED_CAPTIVE
    assert not Notification.objects.exists()


def test_the_listed_news_of_a_completed_phase_is_not_released() -> None:
    phase, _, approver = _proposed_phase()
    approve_confirmation(phase=phase, by=approver, at=ON_THE_DAY)

    with pytest.raises(ConflictError, match="completed"):
        release_listed_news(phase=phase, by=approver, at=ON_THE_DAY)


def test_partners_read_the_day_people_crossed() -> None:
    phase, _, approver = _proposed_phase()
    approve_confirmation(
        phase=phase,
        by=approver,
        at=datetime(2026, 12, 14, 9, 0, tzinfo=UTC),
        handed_over_on=date(2026, 12, 13),
    )
    reader = Partner("ministry", SCOPES)

    [transfer] = reader.get(f"/api/v1/transfers/?phase={phase.pk}").json()["results"]
    read_phase = reader.get(f"/api/v1/phases/{phase.pk}/").json()

    assert transfer["returned_on"] == "2026-12-13"
    assert (read_phase["handed_over_on"], read_phase["listed_news_released"]) == (
        "2026-12-13",
        False,
    )
