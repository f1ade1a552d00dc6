"""Places of detention and a person's trail through the API: only with registry:personal."""

from __future__ import annotations

from datetime import date

import pytest

from captives.lifecycle import Status
from captives.models import Place, PlaceKind, Provenance
from captives.places import record_detention
from tests.api.conftest import Partner
from tests.factories import make_captive

pytestmark = pytest.mark.django_db
READER = ["registry:read"]


@pytest.fixture
def colony() -> Place:
    return Place.objects.create(
        name="ІК-1 Горлівка",
        name_as_written="ИК-1 г. Горловка",
        kind=PlaceKind.COLONY,
        latitude="48.30000",
        longitude="38.05000",
    )


def held(captive: object, place: Place, start: date, kind: Provenance.Kind) -> None:
    record_detention(
        captive=captive,  # type: ignore[arg-type]
        place=place,
        held_from=start,
        held_until=start,
        provenance=Provenance(kind=kind, description="test"),
        by=None,
    )


@pytest.mark.parametrize("personal", [True, False], ids=["personal", "read-only"])
def test_places_and_trails_need_the_personal_scope(colony: Place, personal: bool) -> None:
    captive = make_captive()
    held(captive, colony, date(2025, 1, 5), Provenance.Kind.SIGHTING)
    partner = Partner("icrc", [*READER, "registry:personal"] if personal else READER)

    answers = [
        partner.get("/api/v1/places/"),
        partner.get(f"/api/v1/places/{colony.pk}/"),
        partner.get(f"/api/v1/captives/{captive.public_id}/detentions/"),
    ]

    assert [a.status_code for a in answers] == ([200] * 3 if personal else [403] * 3)
    if not personal:
        assert all("ІК-1" not in a.content.decode() for a in answers)


def test_a_place_says_who_is_held_there_now(colony: Place) -> None:
    there, died = make_captive(family_name="Бондар"), make_captive(status=Status.DECEASED)
    held(there, colony, date(2025, 1, 5), Provenance.Kind.SIGHTING)
    held(died, colony, date(2025, 1, 5), Provenance.Kind.SIGHTING)
    partner = Partner("icrc", [*READER, "registry:personal"])

    body = partner.get(f"/api/v1/places/{colony.pk}/").json()

    assert body == {
        "id": colony.pk,
        "name": "ІК-1 Горлівка",
        "name_as_written": "ИК-1 г. Горловка",
        "kind": "colony",
        "region": "",
        "latitude": "48.30000",
        "longitude": "38.05000",
        "held_now": [str(there.public_id)],
    }


def test_a_trail_comes_in_date_order_with_its_sources(colony: Place) -> None:
    captive = make_captive()
    sizo = Place.objects.create(name="СІЗО-2", kind=PlaceKind.PRETRIAL)
    held(captive, colony, date(2025, 1, 5), Provenance.Kind.RELEASE_LIST)
    held(captive, sizo, date(2024, 3, 1), Provenance.Kind.ICRC)
    partner = Partner("icrc", [*READER, "registry:personal"])

    body = partner.get(f"/api/v1/captives/{captive.public_id}/detentions/").json()

    assert [(d["place_name"], d["held_from"], d["known_from"]) for d in body] == [
        ("СІЗО-2", "2024-03-01", "icrc"),
        ("ІК-1 Горлівка", "2025-01-05", "release_list"),
    ]


def test_the_trail_of_nobody_is_a_404_problem() -> None:
    partner = Partner("icrc", [*READER, "registry:personal"])

    answer = partner.get("/api/v1/captives/00000000-0000-0000-0000-000000000000/detentions/")

    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/problem+json"
