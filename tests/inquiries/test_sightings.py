from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive, Provenance
from config.errors import DomainError
from inquiries.models import Sighting
from inquiries.services import confirm_sighting
from tests.factories import make_captive, make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker() -> User:
    return make_user(Role.CASEWORKER)


def test_a_returnees_sighting_confirms_a_missing_person_with_the_sighting_as_source(
    caseworker: User,
) -> None:
    returnee = make_captive(family_name="Коваль", given_name="Іван", status=Status.RETURNED)
    seen = make_captive(
        family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович", status=Status.MISSING
    )
    client = Client()
    sign_in(client, caseworker)

    created = client.post(
        "/inquiries/sightings/new/",
        {
            "reporter": str(returnee.public_id),
            "seen_full_name": "Dima Gnatyuk Yurievich",
            "facility": "СІЗО-2 Таганрог",
            "seen_on": "2025-04-02",
            "condition": "Thin but well",
        },
    )
    sighting = Sighting.objects.get()
    page = client.get(created["Location"]).content.decode()
    client.post(created["Location"], {"captive": str(seen.public_id)})

    assert "Гнатюк Дмитро Юрійович" in page  # suggested across scripts
    seen.refresh_from_db()
    assert Sighting.objects.get(pk=sighting.pk).seen_captive == seen
    assert seen.status == Status.CONFIRMED_CAPTIVE
    latest = seen.history.order_by("-history_id")[0]
    assert latest.history_user == caseworker
    assert Provenance.objects.get(pk=latest.provenance_id).kind == Provenance.Kind.SIGHTING


def test_a_sighting_needs_a_known_returnee(caseworker: User) -> None:
    client = Client()
    sign_in(client, caseworker)

    response = client.post(
        "/inquiries/sightings/new/",
        {
            "reporter": "00000000-0000-0000-0000-000000000000",
            "seen_full_name": "Хтось",
            "seen_on": date(2025, 4, 2).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "reporter" in response.context["form"].errors
    assert not Sighting.objects.exists()
    assert Captive.objects.count() == 0


def test_the_reporter_cannot_be_confirmed_as_the_person_they_saw(caseworker: User) -> None:
    returnee = make_captive(family_name="Коваль", given_name="Іван", status=Status.RETURNED)
    sighting = Sighting.objects.create(
        reporter=returnee, seen_full_name="Коваль Іван", recorded_by=caseworker
    )
    client = Client()
    sign_in(client, caseworker)

    with pytest.raises(DomainError, match="cannot be the person they saw"):
        confirm_sighting(
            sighting=sighting, captive=returnee, by=caseworker, at=datetime.now(tz=UTC)
        )
    page = client.post(
        f"/inquiries/sightings/{sighting.pk}/", {"captive": str(returnee.public_id)}, follow=True
    )

    assert page.status_code == 200
    assert "не може бути тим, кого він бачив" in page.content.decode()  # told, in Ukrainian
    assert Sighting.objects.get(pk=sighting.pk).seen_captive is None
    assert not Provenance.objects.filter(kind=Provenance.Kind.SIGHTING).exists()


def test_a_person_with_a_very_long_name_is_confirmed_as_seen(caseworker: User) -> None:
    returnee = make_captive(family_name="Коваль", given_name="Іван", status=Status.RETURNED)
    seen = make_captive(
        family_name="Д" * 95, given_name="Ж" * 95, patronymic="З" * 95, status=Status.MISSING
    )
    sighting = Sighting.objects.create(
        reporter=returnee, seen_full_name=seen.full_name, recorded_by=caseworker
    )

    confirm_sighting(sighting=sighting, captive=seen, by=caseworker, at=datetime.now(tz=UTC))

    assert Sighting.objects.get(pk=sighting.pk).seen_captive == seen
    assert Captive.objects.get(pk=seen.pk).status == Status.CONFIRMED_CAPTIVE


def test_a_sighting_dated_in_the_future_is_refused_beside_its_date(caseworker: User) -> None:
    returnee = make_captive(family_name="Коваль", given_name="Іван", status=Status.RETURNED)
    client = Client()
    sign_in(client, caseworker)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        "/inquiries/sightings/new/",
        {
            "reporter": str(returnee.public_id),
            "seen_full_name": "Dima Gnatyuk",
            "seen_on": tomorrow.isoformat(),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["seen_on"] == ["Ця дата ще не настала."]
    assert not Sighting.objects.exists()
