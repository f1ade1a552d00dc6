"""The pages of places of detention: the list, a place and who is held there, adding and editing
one, the trail on a captive's page and an ICRC notification recorded from it."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import AccessLogEntry, User
from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive, Place, PlaceKind, Provenance
from captives.places import record_detention
from inquiries.models import Sighting
from tests.factories import make_captive, make_user, sign_in

pytestmark = pytest.mark.django_db


def client_of(role: Role) -> tuple[Client, User]:
    user = make_user(role)
    client = Client()
    sign_in(client, user)
    return client, user


@pytest.fixture
def colony() -> Place:
    return Place.objects.create(
        name="ІК-1 Горлівка",
        name_as_written="ИК-1 г. Горловка",
        kind=PlaceKind.COLONY,
        region="Донецька область",
    )


def held(captive: Captive, place: Place, day: date, kind: Provenance.Kind) -> None:
    record_detention(
        captive=captive,
        place=place,
        held_from=day,
        held_until=day,
        provenance=Provenance(kind=kind, description="Seen by Гнатюк Дмитро at ІК-1 Горлівка"),
        by=None,
    )


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.OFFICIAL, True),
        (Role.REVIEWER, True),
        (Role.CASEWORKER, True),
        (Role.ADMINISTRATOR, True),
        (Role.PARTNER, False),
    ],
)
def test_the_main_navigation_leads_to_the_places_for_whoever_may_read_them(
    role: Role, shown: bool
) -> None:
    client, _ = client_of(role)

    page = client.get("/inquiries/status/").content.decode()
    places = client.get("/registry/places/")

    assert ('<li><a href="/registry/places/">' in page) is shown
    assert places.status_code == (200 if shown else 403)


def test_the_places_list_heads_its_names_as_a_place_s_in_ukrainian(colony: Place) -> None:
    """A place has a name ("назва"), not a person's name ("ім'я")."""
    client, _ = client_of(Role.OFFICIAL)

    page = client.get("/registry/places/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()

    assert '<th scope="col">Назва</th>' in page
    assert "Ім&#x27;я" not in page


def test_a_place_page_lists_who_is_held_there_and_logs_who_opened_it(colony: Place) -> None:
    client, caseworker = client_of(Role.CASEWORKER)
    there = make_captive(family_name="Бондар")
    gone = make_captive(family_name="Коваль", status=Status.DECEASED)
    held(there, colony, date(2025, 1, 1), Provenance.Kind.SIGHTING)
    held(gone, colony, date(2025, 1, 1), Provenance.Kind.SIGHTING)

    page = client.get(f"/registry/places/{colony.pk}/").content.decode()

    assert f'href="/registry/{there.public_id}/"' in page
    assert str(gone.public_id) not in page
    assert "ИК-1 г. Горловка" in page
    assert "/edit/" not in page  # a caseworker reads places, officials edit them
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.kind, entry.object_ref) == (
        caseworker,
        AccessLogEntry.Kind.PLACE,
        f"place:{colony.pk}",
    )


def test_the_places_list_links_each_place_and_offers_officials_a_new_one(colony: Place) -> None:
    official, _ = client_of(Role.OFFICIAL)
    reviewer, _ = client_of(Role.REVIEWER)

    mine = official.get("/registry/places/").content.decode()
    theirs = reviewer.get("/registry/places/").content.decode()

    assert f'href="/registry/places/{colony.pk}/"' in mine
    assert 'href="/registry/places/new/"' in mine
    assert f'href="/registry/places/{colony.pk}/"' in theirs
    assert 'href="/registry/places/new/"' not in theirs


def test_an_official_adds_a_place_in_the_browser() -> None:
    client, official = client_of(Role.OFFICIAL)

    response = client.post(
        "/registry/places/new/",
        {
            "name": "СІЗО-2 Таганрог",
            "name_as_written": "СИЗО-2 г. Таганрог",
            "kind": "pretrial",
            "region": "Ростовська область",
            "latitude": "47.2",
            "longitude": "38.9",
        },
    )

    place = Place.objects.get()
    assert response["Location"] == f"/registry/places/{place.pk}/"
    assert place.history.get().history_user == official


def test_a_lone_coordinate_is_said_beside_the_other_field_and_nothing_is_saved(
    colony: Place,
) -> None:
    client, _ = client_of(Role.OFFICIAL)

    with translation.override("en"):
        response = client.post(
            f"/registry/places/{colony.pk}/edit/",
            {"name": "ІК-1 нова назва", "kind": "colony", "latitude": "48.3"},
            headers={"Accept-Language": "en"},
        )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_longitude_error"' in page
    assert "Give the longitude too" in page
    assert "Edit the place “ІК-1 Горлівка”" in page  # the saved name, not the one typed
    colony.refresh_from_db()
    assert (colony.name, colony.latitude) == ("ІК-1 Горлівка", None)


def test_the_captive_page_shows_the_trail_in_date_order_with_its_sources(colony: Place) -> None:
    client, _ = client_of(Role.CASEWORKER)
    captive = make_captive()
    sizo = Place.objects.create(name="СІЗО-2 Таганрог", kind=PlaceKind.PRETRIAL)
    held(captive, colony, date(2024, 6, 1), Provenance.Kind.RELEASE_LIST)
    held(captive, sizo, date(2023, 3, 1), Provenance.Kind.SIGHTING)

    page = client.get(f"/registry/{captive.public_id}/", headers={"Accept-Language": "en"})
    text = page.content.decode()

    assert text.index("СІЗО-2 Таганрог") < text.index("ІК-1 Горлівка")
    assert "01.03.2023" in text
    assert "Seen by Гнатюк Дмитро at ІК-1 Горлівка" in text
    assert "Record an ICRC notification" not in text  # a caseworker does not record one


def test_an_official_records_an_icrc_notification_from_the_captive_page(colony: Place) -> None:
    client, official = client_of(Role.OFFICIAL)
    captive = make_captive(status=Status.MISSING)

    response = client.post(
        f"/registry/{captive.public_id}/icrc/",
        {"icrc-place": colony.pk, "icrc-since": "2025-02-03", "icrc-note": "ICRC 2025/123"},
    )

    assert response["Location"] == f"/registry/{captive.public_id}/"
    [period] = captive.detentions.all()
    assert (period.place, period.held_from, period.held_until) == (colony, date(2025, 2, 3), None)
    assert (period.provenance.kind, period.provenance.description) == (
        Provenance.Kind.ICRC,
        "ICRC 2025/123",
    )
    assert period.provenance.recorded_by == official


def test_an_icrc_notification_in_the_future_is_refused_beside_the_date(colony: Place) -> None:
    client, _ = client_of(Role.OFFICIAL)
    captive = make_captive()

    response = client.post(
        f"/registry/{captive.public_id}/icrc/",
        {"icrc-place": colony.pk, "icrc-since": "2999-01-01"},
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 200
    assert 'id="id_icrc-since_error"' in response.content.decode()
    assert not captive.detentions.exists()


def test_the_sighting_form_offers_the_known_places(colony: Place) -> None:
    client, _ = client_of(Role.CASEWORKER)

    page = client.get("/inquiries/sightings/new/").content.decode()

    assert f'<option value="{colony.pk}">ІК-1 Горлівка</option>' in page


def test_a_sighting_names_its_place_on_its_page(colony: Place) -> None:
    client, caseworker = client_of(Role.CASEWORKER)
    sighting = Sighting.objects.create(
        reporter=make_captive(family_name="Гнатюк"),
        seen_full_name="Шевченко",
        place=colony,
        recorded_by=caseworker,
    )

    page = client.get(f"/inquiries/sightings/{sighting.pk}/").content.decode()

    assert f'href="/registry/places/{colony.pk}/"' in page
