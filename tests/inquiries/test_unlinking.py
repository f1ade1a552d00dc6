"""A caseworker who rejects the person an inquiry is already linked to unlinks it: the relative
is no longer told of that person's return, and the person is not suggested again."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive
from config.errors import DomainError
from inquiries.matching import decide_suggestion, rematch_open_inquiries
from inquiries.models import Inquiry, Notification, Suggestion
from inquiries.services import file_inquiry, link_inquiry, public_state, verify_relative
from tests.factories import make_captive, make_user, sign_in

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 23, 16, 0, tzinfo=UTC)


@pytest.fixture
def caseworker() -> User:
    return make_user(Role.CASEWORKER)


def _file(relative: str, caseworker: User) -> Inquiry:
    inquiry = file_inquiry(
        inquiry=Inquiry(
            relative_name=relative,
            relationship="mother",
            email=f"{relative}@example.org",
            sought_full_name="Гнатюк Дмитро Юрійович",
            sought_birth_date=date(1998, 12, 3),
            disclosable=True,
        ),
        at=NOW,
    ).inquiry
    return verify_relative(inquiry=inquiry, method="Passport seen", by=caseworker, at=NOW)


def _home() -> Captive:
    return make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
        status=Status.RETURNED,
    )


def _suggest(inquiry: Inquiry, captive: Captive) -> Suggestion:
    return Suggestion.objects.create(
        inquiry=inquiry,
        captive=captive,
        score=20.0,
        probability=0.9,
        explanation="name and date of birth agree",
        created_at=NOW,
    )


def _reject(suggestion: Suggestion, caseworker: User) -> None:
    decide_suggestion(suggestion=suggestion, confirmed=False, by=caseworker, at=NOW)


def test_rejecting_the_linked_person_unlinks_the_inquiry_and_the_relative_is_told_received(
    caseworker: User,
) -> None:
    inquiry = _file("mother", caseworker)
    person = _home()
    suggestion = _suggest(inquiry, person)
    link_inquiry(inquiry=inquiry, captive=person, by=caseworker, at=NOW)
    inquiry.refresh_from_db()
    assert public_state(inquiry) == Inquiry.State.RETURNED

    _reject(suggestion, caseworker)

    inquiry.refresh_from_db()
    assert (inquiry.captive, inquiry.disclosable) == (None, False)
    assert public_state(inquiry) == Inquiry.State.RECEIVED
    latest = inquiry.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (
        caseworker,
        f"Not {person.full_name}: unlinked",
    )
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REJECTED
    rematch_open_inquiries(at=NOW)  # the registry still holds them: never offered again
    assert list(inquiry.suggestions.values_list("captive_id", "state")) == [
        (person.pk, Suggestion.State.REJECTED)
    ]


def test_the_inquiries_linked_with_it_as_the_same_person_are_unlinked_too_but_a_closed_one(
    caseworker: User,
) -> None:
    first = _file("mother", caseworker)
    second = _file("father", caseworker)
    closed = _file("sister", caseworker)
    assert second.same_person_as == closed.same_person_as == first
    person = _home()
    suggestion = _suggest(first, person)
    link_inquiry(inquiry=first, captive=person, by=caseworker, at=NOW)
    Inquiry.objects.filter(pk=closed.pk).update(state=Inquiry.State.CLOSED)

    _reject(suggestion, caseworker)

    second.refresh_from_db()
    closed.refresh_from_db()
    assert (second.captive, second.state) == (None, Inquiry.State.RECEIVED)
    assert second.history.latest("history_id").history_change_reason == (
        f"Not {person.full_name}: unlinked with {first.reference} (same person)"
    )
    assert second.suggestions.get().state == Suggestion.State.REJECTED
    assert closed.captive == person  # its link is part of how it was closed


def test_rejecting_the_linked_person_of_a_closed_inquiry_is_refused_and_changes_nothing(
    caseworker: User,
) -> None:
    inquiry = _file("mother", caseworker)
    person = _home()
    suggestion = _suggest(inquiry, person)
    link_inquiry(inquiry=inquiry, captive=person, by=caseworker, at=NOW)
    Inquiry.objects.filter(pk=inquiry.pk).update(state=Inquiry.State.CLOSED)

    with pytest.raises(DomainError, match=r"is closed.*administrator reopen it"):
        _reject(suggestion, caseworker)

    inquiry.refresh_from_db()
    suggestion.refresh_from_db()
    assert (inquiry.captive, suggestion.state) == (person, Suggestion.State.OPEN)


def test_rejecting_someone_else_leaves_the_link_as_it_is(caseworker: User) -> None:
    inquiry = _file("mother", caseworker)
    person, namesake = _home(), make_captive(family_name="Гнатюк", given_name="Дмитро")
    suggestion = _suggest(inquiry, namesake)
    link_inquiry(inquiry=inquiry, captive=person, by=caseworker, at=NOW)

    _reject(suggestion, caseworker)

    inquiry.refresh_from_db()
    assert (inquiry.captive, inquiry.state) == (person, Inquiry.State.RETURNED)


def test_the_caseworker_is_told_what_a_rejection_undid_and_whom_to_call(
    client: Client, caseworker: User
) -> None:
    inquiry = _file("mother", caseworker)
    person = _home()
    suggestion = _suggest(inquiry, person)
    link_inquiry(inquiry=inquiry, captive=person, by=caseworker, at=NOW)
    inquiry.notifications.update(state=Notification.State.SENT, sent_at=NOW)
    sign_in(client, caseworker)

    page = client.post(
        "/inquiries/suggestions/",
        {"suggestion": suggestion.pk, "answer": "reject"},
        follow=True,
        headers={"accept-language": "en"},
    )

    said = page.content.decode()
    assert f"No longer linked to {person.full_name}: {inquiry.reference}." in said
    assert f"Relatives already sent news of {person.full_name}: {inquiry.reference}." in said


def test_the_caseworker_is_told_why_a_rejection_was_refused(
    client: Client, caseworker: User
) -> None:
    inquiry = _file("mother", caseworker)
    person = _home()
    suggestion = _suggest(inquiry, person)
    link_inquiry(inquiry=inquiry, captive=person, by=caseworker, at=NOW)
    Inquiry.objects.filter(pk=inquiry.pk).update(state=Inquiry.State.CLOSED)
    sign_in(client, caseworker)

    page = client.post(
        "/inquiries/suggestions/",
        {"suggestion": suggestion.pk, "answer": "reject"},
        follow=True,
        headers={"accept-language": "uk"},
    )

    assert f"Запит {inquiry.reference} закрито" in page.content.decode()
