"""Partners doing intake: inquiries filed, their own followed with what is safe to tell;
sightings recorded and read."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from accounts.models import IdempotencyKey, PartnerInquiry
from accounts.roles import Role
from exchanges.services import confirm_transfer, list_for_phase
from inquiries.models import Inquiry, Sighting
from inquiries.pins import check_pin
from inquiries.services import allow_disclosure, link_inquiry, mark_returned, verify_relative
from tests.api.conftest import Partner, World, is_problem
from tests.factories import make_captive, make_provenance, make_user

pytestmark = pytest.mark.django_db

INQUIRY = {
    "relative_name": "Марія Шевченко",
    "relationship": "mother",
    "email": "maria@example.org",
    "sought_full_name": "Шевченко Олександр Петрович",
    "sought_birth_date": "1990-03-14",
    "consent": True,
}


def file(partner: Partner, **overrides: Any) -> Any:
    return partner.post("/api/v1/inquiries/", INQUIRY | overrides)


def test_an_inquiry_filed_gives_the_reference_and_the_pin_once(partner: Partner) -> None:
    response = file(partner, language="en")

    body = response.json()
    inquiry = Inquiry.objects.get(reference=body["reference"])
    assert response.status_code == 201
    assert response["Location"].endswith(f"/api/v1/inquiries/{inquiry.reference}/")
    assert check_pin(body["pin"], inquiry.pin_hash).right
    assert (body["status"], inquiry.language) == ("received", "en")
    assert PartnerInquiry.objects.get(inquiry=inquiry).partner == partner.token.partner
    assert "pin" not in partner.get(response["Location"]).json()


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"consent": False}, "consent", 400),  # the schema allows only true
        ({"email": ""}, "non_field_errors", 422),  # a rule the schema does not state
    ],
)
def test_no_inquiry_without_consent_or_a_way_to_reach_the_relative(
    partner: Partner, change: dict[str, Any], field: str, status: int
) -> None:
    response = file(partner, **change)

    assert is_problem(response, status)
    assert field in response.json()["errors"]
    assert not Inquiry.objects.exists()


def test_the_missing_contact_is_said_once_in_ukrainian_without_the_constraints_name(
    partner: Partner,
) -> None:
    response = file(partner, email="", phone="")

    assert response.json()["errors"] == {
        "non_field_errors": ["Вкажіть електронну пошту або телефон, або обидва."]
    }


def test_a_phone_written_as_dialled_in_ukraine_is_kept_in_e164(partner: Partner) -> None:
    response = file(partner, phone="(067) 123-45-67")

    assert response.status_code == 201
    assert Inquiry.objects.get().phone == "+380671234567"


def test_a_phone_that_is_no_valid_number_is_refused_on_its_field(partner: Partner) -> None:
    response = file(partner, phone="067 123")

    assert is_problem(response, 422)
    assert response.json()["errors"] == {
        "phone": [
            "Вкажіть номер телефону повністю: український — так, як ви його набираєте "
            "(067 123 45 67), інший — з кодом країни (+48 512 345 678)."
        ]
    }
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("phone", ["044 123 45 67", "+48 22 123 45 67", "0 800 123 456"])
def test_a_number_no_text_message_reaches_is_refused_on_its_field(
    partner: Partner, phone: str
) -> None:
    response = file(partner, phone=phone)

    assert is_problem(response, 422)
    assert response.json()["errors"] == {
        "phone": [
            "На цей номер не можна надіслати SMS: вкажіть номер мобільного телефону або "
            "електронну пошту."
        ]
    }
    assert not Inquiry.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused_on_its_field(partner: Partner) -> None:
    response = file(partner, sought_birth_date="2999-01-01", last_known_date="2998-06-01")

    assert is_problem(response, 422)
    assert set(response.json()["errors"]) == {"sought_birth_date", "last_known_date"}
    assert not Inquiry.objects.exists()


def test_another_partners_inquiry_is_not_found(partner: Partner, other_partner: Partner) -> None:
    reference = file(partner).json()["reference"]

    assert is_problem(other_partner.get(f"/api/v1/inquiries/{reference}/"), 404)
    assert other_partner.get("/api/v1/inquiries/").json()["results"] == []
    assert [i["reference"] for i in partner.get("/api/v1/inquiries/").json()["results"]] == [
        reference
    ]


def test_status_follows_the_relatives_page_rules(partner: Partner, world: World) -> None:
    """Received until verified; a return is "news" until staff allow telling it, then named
    with the phase that brought the person home."""
    caseworker, official = make_user(None, "cw"), make_user(None, "off")
    reference = file(partner).json()["reference"]
    path = f"/api/v1/inquiries/{reference}/"
    inquiry = link_inquiry(
        inquiry=Inquiry.objects.get(reference=reference),
        captive=world.captive,
        by=caseworker,
        at=timezone.now(),
    )
    transfer = list_for_phase(
        phase=world.phase, captive=world.captive, by=official, provenance=make_provenance()
    )
    confirm_transfer(transfer=transfer, by=official, at=timezone.now())
    mark_returned(captive_ids=[world.captive.pk], by=official, at=timezone.now())

    unverified = partner.get(path).json()
    verify_relative(inquiry=inquiry, method="passport seen", by=caseworker, at=timezone.now())
    not_yet_told = partner.get(path).json()
    allow_disclosure(inquiry=inquiry, allowed=True, by=caseworker)
    told = partner.get(path).json()

    assert (unverified["status"], unverified["homecoming"]) == ("received", None)
    assert (not_yet_told["status"], not_yet_told["homecoming"]) == ("news", None)
    assert told["status"] == "returned"
    assert told["homecoming"] == {
        "exchange": world.exchange.pk,
        "phase": world.phase.pk,
        "date": "2025-05-23",
    }
    assert (
        partner.get("/api/v1/inquiries/").json()["results"][0]["homecoming"] == told["homecoming"]
    )


def test_a_sighting_recorded_and_read_by_its_partner(
    partner: Partner, other_partner: Partner, world: World
) -> None:
    returnee = make_captive(family_name="Коваленко", given_name="Іван")

    response = partner.post(
        "/api/v1/sightings/",
        {
            "reporter": str(returnee.public_id),
            "seen_full_name": "Shevchenko Oleksandr",
            "facility": "SIZO-2",
            "seen_on": "2025-03-01",
        },
    )

    sighting = Sighting.objects.get()
    assert response.status_code == 201
    assert response.json()["reporter"] == str(returnee.public_id)
    assert sighting.recorded_by == partner.token.partner
    assert partner.get(response["Location"]).json()["facility"] == "SIZO-2"
    assert is_problem(other_partner.get(response["Location"]), 404)
    assert other_partner.get("/api/v1/sightings/").json()["results"] == []


def test_a_sighting_needs_a_reporter_the_registry_knows(partner: Partner) -> None:
    response = partner.post(
        "/api/v1/sightings/",
        {"reporter": "00000000-0000-0000-0000-000000000000", "seen_full_name": "X Y"},
    )

    assert is_problem(response, 422)  # a well-formed id, of nobody
    assert response.json()["type"] == "urn:homecoming:problem:domain"
    assert "reporter" in response.json()["errors"]


def test_staff_by_role_see_every_inquiry(partner: Partner) -> None:
    from django.test import Client

    from accounts.roles import Role
    from tests.factories import sign_in

    file(partner)
    client = Client()
    sign_in(client, make_user(Role.CASEWORKER))
    official = Client()
    sign_in(official, make_user(Role.OFFICIAL))

    assert len(client.get("/api/v1/inquiries/").json()["results"]) == 1
    assert official.get("/api/v1/inquiries/").status_code == 403


def test_a_retried_filing_gives_the_same_pin_which_is_not_kept_readable(partner: Partner) -> None:
    first = partner.post("/api/v1/inquiries/", INQUIRY, key="intake-7")
    again = partner.post("/api/v1/inquiries/", INQUIRY, key="intake-7")

    stored = IdempotencyKey.objects.get(key="intake-7")
    assert again.json()["pin"] == first.json()["pin"]
    assert Inquiry.objects.count() == 1
    assert first.json()["pin"] not in stored.sealed_body
    assert first.json()["reference"] not in stored.sealed_body


def test_two_relatives_seeking_one_person_both_see_the_homecoming_in_the_list(
    partner: Partner, world: World
) -> None:
    caseworker, official = make_user(Role.CASEWORKER), make_user(Role.OFFICIAL)
    first = file(partner).json()["reference"]
    second = file(partner, relative_name="Петро Шевченко", email="petro@example.org")
    second_reference = second.json()["reference"]
    seekers = list(Inquiry.objects.filter(reference__in=[first, second_reference]))
    link_inquiry(inquiry=seekers[0], captive=world.captive, by=caseworker, at=timezone.now())
    transfer = list_for_phase(
        phase=world.phase, captive=world.captive, by=official, provenance=make_provenance()
    )
    confirm_transfer(transfer=transfer, by=official, at=timezone.now())
    mark_returned(captive_ids=[world.captive.pk], by=official, at=timezone.now())
    for inquiry in Inquiry.objects.filter(pk__in=[s.pk for s in seekers]):
        verify_relative(inquiry=inquiry, method="Passport seen", by=caseworker, at=timezone.now())
        allow_disclosure(inquiry=inquiry, allowed=True, by=caseworker)

    listed = partner.get("/api/v1/inquiries/").json()["results"]

    assert {i["reference"] for i in listed} == {first, second_reference}
    assert all(i["homecoming"] is not None for i in listed)
