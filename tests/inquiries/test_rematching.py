from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.roles import Role
from inquiries.models import Inquiry, Sighting, Suggestion
from inquiries.tasks import rematch_open_inquiries_task
from tests.factories import make_captive, make_user, sign_in

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 3, 1, tzinfo=UTC)


def _inquiry() -> Inquiry:
    return Inquiry.objects.create(
        reference="HC-REMA-TCH1",
        pin_hash="x",
        relative_name="Марія",
        relationship="mother",
        email="m@example.org",
        consent_given_at=NOW,
        sought_full_name="Gnatyuk Dmitriy Yurievich",
        sought_birth_date=date(1998, 12, 3),
    )


def test_a_newly_registered_person_is_offered_to_the_family_once() -> None:
    inquiry = _inquiry()
    assert rematch_open_inquiries_task.apply().get() == 0

    person = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    first = rematch_open_inquiries_task.apply().get()
    second = rematch_open_inquiries_task.apply().get()

    assert (first, second) == (1, 0)  # run twice: one suggestion
    suggestion = inquiry.suggestions.get()
    assert suggestion.captive_id == person.pk
    assert "Russian form" in suggestion.explanation


def test_a_rejected_person_is_never_offered_again_and_a_confirmed_one_links() -> None:
    inquiry = _inquiry()
    wrong = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    rematch_open_inquiries_task.apply()
    client = Client()
    sign_in(client, make_user(Role.CASEWORKER))

    client.post(
        "/inquiries/suggestions/", {"suggestion": inquiry.suggestions.get().pk, "answer": "reject"}
    )
    rematch_open_inquiries_task.apply()
    assert list(inquiry.suggestions.values_list("captive_id", "state")) == [(wrong.pk, "rejected")]

    right = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрієвич",
        birth_date=date(1998, 12, 3),
    )
    rematch_open_inquiries_task.apply()
    offered = inquiry.suggestions.get(captive=right)
    client.post("/inquiries/suggestions/", {"suggestion": offered.pk, "answer": "confirm"})

    inquiry.refresh_from_db()
    assert inquiry.captive == right
    assert Suggestion.objects.get(pk=offered.pk).state == Suggestion.State.CONFIRMED


def test_a_returnees_sighting_is_matched_to_an_inquiry_across_scripts_once() -> None:
    inquiry = Inquiry.objects.create(
        reference="HC-SEEN-0001",
        pin_hash="x",
        relative_name="Марія",
        relationship="mother",
        email="m@example.org",
        consent_given_at=NOW,
        sought_full_name="Гнатюк Дмитро Юрійович",
    )
    reporter = make_captive(family_name="Коваль", given_name="Іван")
    Sighting.objects.create(
        reporter=reporter,
        seen_full_name="Gnatyuk Dmitriy Yurievich",
        facility="СІЗО-2",
        recorded_by=make_user(Role.CASEWORKER),
    )

    rematch_open_inquiries_task.apply()
    rematch_open_inquiries_task.apply()

    lead = inquiry.sighting_leads.get()
    assert lead.sighting.seen_full_name == "Gnatyuk Dmitriy Yurievich"
    assert lead.probability > 0.5
