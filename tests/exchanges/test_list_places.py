"""A release list's own column of places of detention: a line naming a person and a known place
adds a period there on the list's day, once; an unknown place adds nothing and stays visible."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from captives.models import Captive, Detention, Place, PlaceKind, Provenance
from captives.sheets import read_table
from exchanges.list_places import record_list_places
from exchanges.listfile import parse_release_list
from exchanges.models import Outcome, ReleaseList, ReleaseListRow, Resolution
from exchanges.reconciliation import receive_release_list, reconcile_release_list
from exchanges.review import resolve_row
from tests.api.conftest import Partner
from tests.factories import make_captive, make_phase, make_user, sign_in

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 22, 10, 0, tzinfo=UTC)
RECEIVED = date(2025, 5, 21)


def list_file(place: str, header: str = "Место содержания") -> bytes:
    return f"ФИО,Дата рождения,{header}\nШевченко Олександр Петрович,14.03.1990,{place}\n".encode()


def reconciled(data: bytes, sha: str = "") -> ReleaseList:
    release_list, _ = receive_release_list(
        phase=make_phase(),
        data=data,
        filename="list.csv",
        received_on=RECEIVED,
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=None,
    )
    return reconcile_release_list(release_list_id=release_list.pk, now=NOW)


@pytest.fixture
def colony() -> Place:
    return Place.objects.create(
        name="ІК-1 Горлівка", name_as_written="ИК-1 г. Горловка", kind=PlaceKind.COLONY
    )


@pytest.fixture
def reviewer() -> User:
    return make_user(Role.REVIEWER)


@pytest.mark.parametrize(
    "header", ["Место содержания", "Місце утримання", "Place of detention", "МІСЦЕ  УТРИМАННЯ"]
)
def test_the_place_column_is_read_in_each_language(header: str) -> None:
    table = read_table(list_file("ИК-1", header), "list.csv", max_bytes=10_000, max_rows=10)

    [entry] = parse_release_list(table).entries

    assert entry.place == "ИК-1"


def test_a_matched_line_at_a_known_place_adds_a_period_on_the_lists_day(colony: Place) -> None:
    captive = make_captive()

    release_list = reconciled(list_file("«ИК-1 г. Горловка»"))

    row = release_list.rows.get()
    assert (row.outcome, row.captive, row.place_written) == (
        Outcome.MATCHED,
        captive,
        "«ИК-1 г. Горловка»",
    )
    [period] = captive.detentions.all()
    assert (period.place, period.held_from, period.held_until) == (colony, RECEIVED, RECEIVED)
    assert period.provenance.kind == Provenance.Kind.RELEASE_LIST
    assert period.provenance.description == f"Line 1 of list {release_list.pk}"
    assert row.detention == period


def test_a_list_reconciled_twice_adds_one_period(colony: Place) -> None:
    captive = make_captive()
    release_list = reconciled(list_file("ИК-1 г. Горловка"))

    reconcile_release_list(release_list_id=release_list.pk, now=NOW)
    added = record_list_places(rows=release_list.rows.all(), by=None)

    assert added == 0
    assert captive.detentions.count() == 1


def test_two_lists_saying_the_same_day_and_place_give_one_period(colony: Place) -> None:
    captive = make_captive()
    first = reconciled(list_file("ИК-1 г. Горловка"))
    second = reconciled(list_file("ик-1 г. горловка"))

    [period] = captive.detentions.all()
    assert first.rows.get().detention == second.rows.get().detention == period


def test_an_unknown_place_adds_nothing_and_stays_on_the_row_for_the_official(
    colony: Place, reviewer: User
) -> None:
    make_captive()
    release_list = reconciled(list_file("ИК-99 г. Нигде"))

    row = release_list.rows.get()
    assert row.place_written == "ИК-99 г. Нигде"
    assert row.detention is None
    assert not Detention.objects.exists()
    assert not Place.objects.exclude(pk=colony.pk).exists()  # no place is made up from a list
    client = Client()
    sign_in(client, make_user(Role.OFFICIAL))
    page = client.get(
        f"/exchanges/lists/{release_list.pk}/", headers={"Accept-Language": "en"}
    ).content.decode()
    assert "ИК-99 г. Нигде" in page
    assert "not a known place" in page


def test_a_place_added_later_is_counted_when_the_list_is_read_again(colony: Place) -> None:
    captive = make_captive()
    release_list = reconciled(list_file("СИЗО-2 г. Таганрог"))
    assert not captive.detentions.exists()
    sizo = Place.objects.create(
        name="СІЗО-2 Таганрог", name_as_written="СИЗО-2 г. Таганрог", kind=PlaceKind.PRETRIAL
    )

    assert record_list_places(rows=release_list.rows.all(), by=None) == 1
    assert captive.detentions.get().place == sizo


def test_a_line_a_reviewer_finds_is_not_ours_takes_its_period_away(
    colony: Place, reviewer: User
) -> None:
    captive = make_captive()
    row = reconciled(list_file("ИК-1 г. Горловка")).rows.get()
    assert captive.detentions.count() == 1

    resolve_row(row=row, resolution=Resolution.NOT_OURS, by=reviewer, at=NOW, version=0)

    assert not captive.detentions.exists()
    assert ReleaseListRow.objects.get(pk=row.pk).detention is None


def test_a_line_a_reviewer_confirms_adds_the_period(colony: Place, reviewer: User) -> None:
    captive = make_captive(birth_date=date(1977, 1, 1))  # another date: the line goes to review
    row = reconciled(list_file("ИК-1 г. Горловка")).rows.get()
    assert row.outcome != Outcome.MATCHED
    assert not captive.detentions.exists()

    resolve_row(
        row=row,
        resolution=Resolution.OTHER_CHOSEN,
        by=reviewer,
        at=NOW,
        version=row.version,
        captive=captive,
    )

    [period] = captive.detentions.all()
    assert period.place == colony
    assert period.history.get().history_user == reviewer


def test_a_partners_json_rows_carry_the_place_too(colony: Place) -> None:
    captive: Captive = make_captive()
    partner = Partner("ministry", ["lists:submit", "registry:read"])
    phase = make_phase()
    response = partner.post(
        f"/api/v1/phases/{phase.pk}/release-lists/",
        {
            "received_on": "2025-05-21",
            "rows": [
                {
                    "full_name": "Шевченко Олександр Петрович",
                    "birth_date": "14.03.1990",
                    "place_of_detention": "ИК-1 г. Горловка",
                }
            ],
        },
    )
    assert response.status_code == 202, response.content
    release_list = ReleaseList.objects.get(phase=phase)
    reconcile_release_list(release_list_id=release_list.pk, now=NOW)

    assert captive.detentions.get().place == colony
