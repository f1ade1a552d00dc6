"""Several relatives looking for one person: each is linked, each is told, once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from accounts.models import User
from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive
from exchanges.models import Outcome, ReleaseList, ReleaseListRow
from inquiries.models import Inquiry
from inquiries.services import file_inquiry, link_inquiry, verify_relative
from tests.factories import approve_phase, make_captive, make_phase, make_user
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 23, 16, 0, tzinfo=UTC)


@pytest.fixture
def caseworker() -> User:
    return make_user(Role.CASEWORKER)


def _file(relative: str, email: str, sought: str = "Гнатюк Дмитро Юрійович") -> Inquiry:
    receipt = file_inquiry(
        inquiry=Inquiry(
            relative_name=relative,
            relationship="mother",
            email=email,
            sought_full_name=sought,
            sought_birth_date=date(1998, 12, 3),
            disclosable=True,
        ),
        at=NOW,
    )
    return receipt.inquiry


def _verified(inquiry: Inquiry, caseworker: User) -> Inquiry:
    return verify_relative(inquiry=inquiry, method="Passport seen", by=caseworker, at=NOW)


def _person(status: Status = Status.CONFIRMED_CAPTIVE) -> Captive:
    return make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
        status=status,
    )


def _come_home(captive: Captive) -> None:
    """Two officials confirm the phase whose list names the person."""
    phase = make_phase()
    release_list = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="d"
    )
    ReleaseListRow.objects.create(
        release_list=release_list,
        line_number=1,
        full_name=captive.full_name,
        outcome=Outcome.MATCHED,
        captive=captive,
    )
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=NOW)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=NOW)


def _told(inquiry: Inquiry) -> list[str]:
    return sorted(inquiry.notifications.values_list("event", flat=True))


def test_every_relative_looking_for_one_person_is_told_of_the_return_once(
    caseworker: User,
) -> None:
    mother = _verified(_file("Марія Гнатюк", "m@example.org"), caseworker)
    wife = _verified(_file("Oksana Hnatiuk", "o@example.org", "Hnatiuk Dmytro"), caseworker)
    person = _person()

    link_inquiry(inquiry=mother, captive=person, by=caseworker, at=NOW)
    _come_home(person)

    mother.refresh_from_db()
    wife.refresh_from_db()
    assert wife.same_person_as == mother
    assert (mother.captive, wife.captive) == (person, person)
    assert (mother.state, wife.state) == (Inquiry.State.RETURNED, Inquiry.State.RETURNED)
    assert _told(mother) == _told(wife) == ["returned"]  # nothing before the approval
    assert [h.history_change_reason for h in wife.history.order_by("history_id")][-2:] == [
        "Linked to Гнатюк Дмитро Юрійович with " + mother.reference + " (same person)",
        "The person came home",
    ]


def test_linking_a_later_relatives_inquiry_links_the_first_one_too(caseworker: User) -> None:
    mother = _file("Марія Гнатюк", "m@example.org")
    wife = _file("Oksana Hnatiuk", "o@example.org", "Hnatiuk Dmytro")
    person = _person()

    link_inquiry(inquiry=wife, captive=person, by=caseworker, at=NOW)

    mother.refresh_from_db()
    assert mother.captive == person
    assert mother.state == Inquiry.State.BEING_TRACED


def test_an_inquiry_filed_after_the_first_was_linked_is_linked_with_it(
    caseworker: User,
) -> None:
    mother = _file("Марія Гнатюк", "m@example.org")
    person = _person()
    link_inquiry(inquiry=mother, captive=person, by=caseworker, at=NOW)

    wife = _file("Oksana Hnatiuk", "o@example.org", "Hnatiuk Dmytro")

    assert (wife.same_person_as, wife.captive) == (mother, person)
    assert wife.state == Inquiry.State.BEING_TRACED


def test_a_later_inquiry_linked_to_someone_else_leaves_the_group(caseworker: User) -> None:
    mother = _file("Марія Гнатюк", "m@example.org")
    wife = _file("Oksana Hnatiuk", "o@example.org", "Hnatiuk Dmytro")
    person = _person()
    namesake = make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Іванович")
    link_inquiry(inquiry=mother, captive=person, by=caseworker, at=NOW)

    link_inquiry(inquiry=wife, captive=namesake, by=caseworker, at=NOW)

    mother.refresh_from_db()
    wife.refresh_from_db()
    assert mother.captive == person  # the caseworker's first link stands
    assert (wife.captive, wife.same_person_as) == (namesake, None)


def test_linking_to_someone_already_home_says_returned_and_tells_the_relative_once(
    caseworker: User,
) -> None:
    mother = _verified(_file("Марія Гнатюк", "m@example.org"), caseworker)
    person = _person(Status.RETURNED)

    linked = link_inquiry(inquiry=mother, captive=person, by=caseworker, at=NOW)
    link_inquiry(inquiry=mother, captive=person, by=caseworker, at=NOW)  # a second click

    assert linked.state == Inquiry.State.RETURNED
    assert Inquiry.objects.get(pk=mother.pk).state == Inquiry.State.RETURNED
    assert _told(mother) == ["returned"]


def test_a_relative_verified_after_the_person_came_home_is_told_once(
    caseworker: User,
) -> None:
    mother = _verified(_file("Марія Гнатюк", "m@example.org"), caseworker)
    person = _person(Status.RETURNED)
    link_inquiry(inquiry=mother, captive=person, by=caseworker, at=NOW)
    wife = _file("Oksana Hnatiuk", "o@example.org", "Hnatiuk Dmytro")
    assert (wife.captive, wife.state, _told(wife)) == (person, Inquiry.State.RETURNED, [])

    _verified(wife, caseworker)
    _verified(wife, caseworker)  # verified again: nothing new to tell

    assert _told(wife) == ["returned"]
    assert _told(mother) == ["returned"]
