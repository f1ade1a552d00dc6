"""Places of detention: the periods a person was held at one, where they come from, the trail in
date order and who is believed held at a place now."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.roles import Role
from captives.forms import PlaceForm
from captives.lifecycle import Status
from captives.models import Captive, Detention, Place, PlaceKind, Provenance
from captives.places import (
    held_at,
    place_key,
    places_by_key,
    record_detention,
    record_icrc_notification,
    save_place,
    trail,
)
from captives.services import change_status
from config.errors import DomainError
from inquiries.models import Sighting
from inquiries.services import confirm_sighting, record_sighting
from tests.factories import make_captive, make_provenance, make_user
from workflows.merging import merge_captives

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 22, 10, 0, tzinfo=UTC)


def make_place(name: str = "ІК-1 Горлівка", **more: object) -> Place:
    fields: dict[str, object] = {"kind": PlaceKind.COLONY, "name_as_written": "ИК-1 г. Горловка"}
    return Place.objects.create(name=name, **(fields | more))


def source(kind: Provenance.Kind = Provenance.Kind.SIGHTING) -> Provenance:
    return Provenance(kind=kind, description="test")


def held(captive: Captive, place: Place, start: date | None, end: date | None = None) -> Detention:
    return record_detention(
        captive=captive, place=place, held_from=start, held_until=end, provenance=source(), by=None
    )


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("«ИК-1 г. Горловка»", "ИК-1 г. Горловка"),
        ("ик – 1   г. горловка", "ИК-1 г. Горловка"),
        ("СІЗО-2", "сізо-2"),
    ],
)
def test_a_place_is_found_however_a_list_writes_its_name(written: str, name: str) -> None:
    assert place_key(written) == place_key(name)


def test_a_place_is_found_by_its_name_or_as_the_other_side_writes_it() -> None:
    place = make_place()
    found = places_by_key()

    assert found[place_key("іК-1 горлівка")] == place
    assert found[place_key("ИК-1 г. Горловка")] == place
    assert place_key("ИК-2 г. Горловка") not in found


def test_the_same_period_from_the_same_kind_of_source_is_recorded_once() -> None:
    captive, place = make_captive(), make_place()

    first = held(captive, place, date(2025, 1, 5), date(2025, 1, 5))
    again = held(captive, place, date(2025, 1, 5), date(2025, 1, 5))
    icrc = record_detention(
        captive=captive,
        place=place,
        held_from=date(2025, 1, 5),
        held_until=date(2025, 1, 5),
        provenance=source(Provenance.Kind.ICRC),
        by=None,
    )

    assert again == first
    assert icrc != first
    assert captive.detentions.count() == 2
    assert first.history.get().history_change_reason == "Held at ІК-1 Горлівка"


def test_a_period_ending_before_it_starts_is_refused_and_nothing_is_saved() -> None:
    captive, place = make_captive(), make_place()

    with pytest.raises(DomainError, match="cannot end before it starts"):
        held(captive, place, date(2025, 2, 1), date(2025, 1, 1))

    assert not Detention.objects.exists()
    assert not Provenance.objects.filter(description="test").exists()


def test_the_trail_is_in_date_order_with_undated_periods_last() -> None:
    captive = make_captive()
    sizo, colony, camp = (
        make_place("СІЗО-2"),
        make_place("ІК-10", name_as_written=""),
        make_place("Табір", name_as_written="", kind=PlaceKind.CAMP),
    )
    held(captive, camp, None)
    held(captive, colony, date(2024, 6, 1), date(2024, 9, 1))
    held(captive, sizo, date(2023, 3, 1), date(2023, 3, 1))

    assert [d.place for d in trail(captive)] == [sizo, colony, camp]


def test_who_is_held_at_a_place_now_is_whoever_still_held_was_last_known_there() -> None:
    sizo, colony = make_place("СІЗО-2", name_as_written=""), make_place()
    moved = make_captive(family_name="Бондар")
    stayed = make_captive(family_name="Коваль")
    died = make_captive(family_name="Гнатюк")
    held(moved, colony, date(2024, 1, 1), date(2024, 1, 1))
    held(moved, sizo, date(2024, 5, 1), date(2024, 5, 1))
    held(stayed, colony, date(2024, 2, 1), date(2024, 2, 1))
    held(died, colony, date(2024, 3, 1), date(2024, 3, 1))
    change_status(
        captive=died, to=Status.DECEASED, by=None, reason="died", provenance=make_provenance()
    )

    assert list(held_at(colony)) == [stayed]
    assert list(held_at(sizo)) == [moved]


def test_a_period_with_an_end_counts_after_an_undated_one_and_a_merged_record_not_at_all() -> None:
    colony, sizo = make_place(), make_place("СІЗО-2", name_as_written="")
    captive = make_captive()
    held(captive, sizo, None)
    held(captive, colony, date(2024, 2, 1))
    duplicate = make_captive(family_name="Шевченкo")
    held(duplicate, colony, date(2024, 3, 1))

    merge_captives(
        kept=captive, duplicate=duplicate, by=make_user(Role.OFFICIAL), at=NOW, reason="same"
    )

    assert list(held_at(colony)) == [captive]
    assert captive.detentions.count() == 3  # the duplicate's period moved to the kept record
    assert list(held_at(sizo)) == []


def test_an_icrc_notification_adds_a_period_and_confirms_a_missing_person() -> None:
    official = make_user(Role.OFFICIAL)
    captive, place = make_captive(status=Status.MISSING), make_place()

    detention = record_icrc_notification(
        captive=captive, place=place, since=date(2025, 3, 1), note="ICRC 2025/7", by=official
    )

    captive.refresh_from_db()
    assert (detention.held_from, detention.held_until) == (date(2025, 3, 1), None)
    assert detention.provenance.kind == Provenance.Kind.ICRC
    assert detention.provenance.description == "ICRC 2025/7"
    assert captive.history.latest().history_change_reason == "ICRC notified: held at ІК-1 Горлівка"
    assert captive.status == Status.CONFIRMED_CAPTIVE
    assert captive.provenance == detention.provenance
    assert list(held_at(place)) == [captive]


def test_a_sighting_that_names_a_place_adds_a_day_there_once() -> None:
    caseworker = make_user(Role.CASEWORKER)
    place = make_place()
    returnee, seen = make_captive(family_name="Гнатюк"), make_captive(status=Status.MISSING)
    sighting = record_sighting(
        sighting=Sighting(
            reporter=returnee, seen_full_name="Шевченко", place=place, seen_on=date(2025, 4, 2)
        ),
        by=caseworker,
    )

    confirm_sighting(sighting=sighting, captive=seen, by=caseworker, at=NOW)
    confirm_sighting(sighting=sighting, captive=seen, by=caseworker, at=NOW)

    [period] = trail(seen)
    assert (period.place, period.held_from, period.held_until) == (
        place,
        date(2025, 4, 2),
        date(2025, 4, 2),
    )
    assert period.provenance.kind == Provenance.Kind.SIGHTING


def test_a_sighting_without_a_place_adds_no_period() -> None:
    caseworker = make_user(Role.CASEWORKER)
    returnee, seen = make_captive(family_name="Гнатюк"), make_captive()
    sighting = record_sighting(
        sighting=Sighting(reporter=returnee, seen_full_name="Шевченко", facility="СІЗО"),
        by=caseworker,
    )

    confirm_sighting(sighting=sighting, captive=seen, by=caseworker, at=NOW)

    assert not seen.detentions.exists()


def test_a_place_needs_both_coordinates_or_neither_in_range() -> None:
    place = Place(name="ІК-3", kind=PlaceKind.COLONY, latitude=Decimal("48.1"))

    with pytest.raises(ValidationError, match="Give both coordinates"):
        place.full_clean()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"latitude": "48.1"}, "longitude", "Give the longitude too"),
        ({"longitude": "37.5"}, "latitude", "Give the latitude too"),
        ({"latitude": "91", "longitude": "37.5"}, "latitude", "less than or equal to 90"),
        ({"latitude": "48", "longitude": "-181"}, "longitude", "greater than or equal to -180"),
    ],
)
def test_the_place_form_says_each_coordinate_mistake_on_its_field(
    data: dict[str, str], field: str, message: str
) -> None:
    form = PlaceForm({"name": "ІК-3", "kind": "colony", **data})

    assert not form.is_valid()
    assert message in " ".join(str(e) for e in form.errors[field])
    assert set(form.errors) == {field}


def test_a_place_is_saved_with_a_history_row_saying_who() -> None:
    official = make_user(Role.OFFICIAL)
    form = PlaceForm({"name": "ІК-3", "kind": "colony", "latitude": "48.1", "longitude": "37.5"})
    assert form.is_valid(), form.errors

    place = save_place(place=form.instance, by=official)

    row = place.history.get()
    assert (row.history_user, row.history_change_reason) == (official, "Place added")
    assert place.latitude == Decimal("48.1")


def test_a_second_place_with_a_name_already_taken_is_refused() -> None:
    make_place()
    form = PlaceForm({"name": "ІК-1 Горлівка", "kind": "camp"})

    assert not form.is_valid()
    assert "name" in form.errors


def test_the_database_refuses_a_lone_coordinate() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(name="ІК-3", kind=PlaceKind.COLONY, latitude=Decimal("48.1"))


def test_an_icrc_notification_without_its_reference_is_refused_and_nothing_is_saved() -> None:
    captive, place = make_captive(status=Status.MISSING), make_place()

    with pytest.raises(DomainError, match="Say which notification"):
        record_icrc_notification(
            captive=captive,
            place=place,
            since=date(2025, 3, 1),
            note=" ",
            by=make_user(Role.OFFICIAL),
        )

    captive.refresh_from_db()
    assert captive.status == Status.MISSING
    assert not Detention.objects.exists()
