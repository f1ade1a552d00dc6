"""Captives, exchanges, phases and transfers through the API."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import pytest

from accounts.tokens import SCOPES
from captives.lifecycle import Status
from exchanges.models import Phase
from exchanges.services import list_for_phase
from tests.api.conftest import Partner, World, is_problem
from tests.factories import make_captive, make_phase, make_provenance

pytestmark = pytest.mark.django_db
READER = ["registry:read"]


def test_captives_filtered_by_phase_status_and_side(world: World) -> None:
    listed = make_captive(family_name="Бондар", given_name="Петро")
    list_for_phase(phase=world.phase, captive=listed, by=None, provenance=make_provenance())
    reader = Partner("p", READER)

    in_phase = reader.get(f"/api/v1/captives/?phase={world.phase.pk}").json()["results"]
    held = reader.get("/api/v1/captives/?status=confirmed_captive").json()["results"]
    ours = reader.get("/api/v1/captives/?held_by=ours").json()["results"]

    assert [c["public_id"] for c in in_phase] == [str(listed.public_id)]
    assert [c["public_id"] for c in held] == [str(world.captive.public_id)]
    assert ours == []


def test_a_name_in_any_script_finds_the_captive_ranked_by_the_engine(world: World) -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    make_captive(family_name="Гнатюк", given_name="Тарас", patronymic="Іванович")
    reader = Partner("p", READER)

    found = reader.get("/api/v1/captives/?q=Hnatiuk Dmytro").json()
    filtered = reader.get("/api/v1/captives/?q=Hnatiuk Dmytro&status=returned").json()

    assert [c["given_name"] for c in found["results"]][:1] == ["Дмитро"]
    assert found["next"] is None
    assert filtered["results"] == []


def test_a_captive_by_public_id_with_personal_data_only_by_scope(world: World) -> None:
    path = f"/api/v1/captives/{world.captive.public_id}/"

    plain = Partner("plain", READER).get(path).json()
    full = Partner("full", [*READER, "registry:personal"]).get(path).json()

    assert plain["family_name"] == "Шевченко"
    assert not {"birth_date", "military_unit", "service_number"} & set(plain)
    assert full["birth_date"] == "1990-03-14"


def test_transfers_show_the_captive_minimised_by_scope(world: World) -> None:
    transfer = list_for_phase(
        phase=world.phase, captive=world.captive, by=None, provenance=make_provenance()
    )

    plain = Partner("plain", READER).get(f"/api/v1/transfers/{transfer.pk}/").json()
    listed = Partner("full", SCOPES).get(f"/api/v1/transfers/?phase={world.phase.pk}").json()

    assert plain["captive"]["status"] == Status.LISTED
    assert "birth_date" not in plain["captive"]
    assert listed["results"][0]["captive"]["birth_date"] == "1990-03-14"


def test_exchanges_and_phases_read(world: World) -> None:
    reader = Partner("p", READER)

    exchanges = reader.get("/api/v1/exchanges/?ordering=agreed_on").json()["results"]
    phases = reader.get(f"/api/v1/phases/?exchange={world.exchange.pk}").json()["results"]

    assert exchanges[0]["name"] == "1000 for 1000"
    assert phases[0]["number"] == 1
    assert phases[0]["state"] == "under_way"


def test_an_officials_system_records_and_edits_a_phase_with_history(world: World) -> None:
    writer = Partner("mod", ["registry:read", "phases:write"])

    created = writer.post(
        "/api/v1/phases/",
        {"exchange": world.exchange.pk, "number": 2, "date": "2025-06-01", "state": "planned"},
    )
    edited = writer.patch(created["Location"], {"declared_returned_servicemen": 84})

    phase = Phase.objects.get(pk=created.json()["id"])
    assert created.status_code == 201
    assert edited.json()["declared_returned_servicemen"] == 84
    assert phase.history.count() == 2
    assert phase.history.first().history_change_reason == "Updated through the API"


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"date": "2025-01-01"}, "date", 422),  # before the agreement was made
        ({"number": 1}, "number", 422),  # the agreement already has a phase 1
        ({"number": 0}, "number", 400),  # phases count from 1, as the schema says
        ({"state": "completed"}, "state", 400),  # that takes two officials: not in the schema
        ({"exchange": 999999}, "exchange", 422),  # no such agreement
    ],
)
def test_phase_writes_keep_the_officials_rules(
    world: World, change: dict[str, Any], field: str, status: int
) -> None:
    writer = Partner("mod", ["phases:write"])
    body = {"exchange": world.exchange.pk, "number": 2, "date": "2025-06-01"} | change

    response = writer.post("/api/v1/phases/", body)

    assert is_problem(response, status)
    assert field in response.json()["errors"]
    assert Phase.objects.count() == 1


def test_an_edit_that_takes_a_used_number_is_refused(world: World) -> None:
    second = make_phase(world.exchange, number=2, date=date(2025, 6, 1))

    response = Partner("mod", ["phases:write"]).patch(f"/api/v1/phases/{second.pk}/", {"number": 1})

    assert is_problem(response, 422)
    second.refresh_from_db()
    assert second.number == 2


def test_updated_since_takes_any_offset_iso_allows(world: World) -> None:
    reader = Partner("p", READER)

    far_east = reader.get("/api/v1/captives/?updated_since=2000-01-01T00:00:00%2B22:01")
    future = reader.get("/api/v1/captives/?updated_since=2999-01-01T00:00:00Z")
    first = reader.get("/api/v1/captives/?updated_since=0001-01-01T00:00:00%2B01:00")
    last = reader.get("/api/v1/captives/?updated_since=9999-12-31T23:59:59-01:00")

    assert len(far_east.json()["results"]) == 1
    assert future.json()["results"] == []
    assert len(first.json()["results"]) == 1  # before the calendar's first moment: everyone
    assert last.json()["results"] == []  # after its last: nobody


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/captives/?updated_since=",
        "/api/v1/captives/?status=",
        "/api/v1/captives/?phase=",
        "/api/v1/captives/?phase=1.5",
        "/api/v1/captives/?phase=1.0",
        "/api/v1/captives/?phase=1&phase=2",
        "/api/v1/captives/?updated_since=yesterday",
        "/api/v1/captives/?page_size=all",
        "/api/v1/phases/?page=last",
        "/api/v1/phases/?page=",
        "/api/v1/transfers/?exchange=1e3",
    ],
)
def test_a_query_the_schema_refuses_is_a_400_naming_the_parameter(
    world: World, address: str
) -> None:
    response = Partner("p", READER).get(address)

    assert is_problem(response, 400)
    assert list(response.json()["errors"]) == [address.split("?")[1].split("=")[0]]


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/captives/?phase=999999",
        "/api/v1/phases/?exchange=999999",
        "/api/v1/transfers/?phase=999999",
        "/api/v1/transfers/?exchange=99999999999999999999",
        "/api/v1/release-lists/?phase=999999",
    ],
)
def test_a_filter_by_an_id_nobody_has_finds_nothing(world: World, address: str) -> None:
    response = Partner("p", [*READER, "lists:submit"]).get(address)

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_search_longer_than_a_name_is_refused(world: World) -> None:
    response = Partner("p", READER).get("/api/v1/captives/?q=" + "Шевченко " * 30)

    assert is_problem(response, 400)
    assert "q" in response.json()["errors"]


@pytest.mark.parametrize(
    "query", ["02.07.1988", "1988-07-02", "Коваленко 02.07.1988", "ZX-998877", "Коваленко А4321"]
)
@pytest.mark.parametrize("personal", [True, False], ids=["personal", "registry-only"])
def test_a_search_by_date_of_birth_or_identifier_needs_the_personal_scope(
    world: World, query: str, personal: bool
) -> None:
    wanted = make_captive(
        family_name="Коваленко",
        given_name="Андрій",
        birth_date=date(1988, 7, 2),
        military_unit="А4321",
        service_number="ZX-998877",
    )
    make_captive(family_name="Бондар", given_name="Петро", birth_date=date(1975, 1, 5))
    reader = Partner("p", [*READER, "registry:personal"] if personal else READER)

    response = reader.get("/api/v1/captives/?" + urlencode({"q": query}))

    if personal:
        assert response.status_code == 200
        assert response.json()["results"][0]["public_id"] == str(wanted.public_id)
    else:
        assert is_problem(response, 422)
        [refusal] = response.json()["errors"]["q"]
        assert "registry:personal" in refusal


@pytest.mark.parametrize("personal", [False, True], ids=["public", "personal"])
def test_the_list_page_reads_as_the_detail_does(world: World, personal: bool) -> None:
    """The list renders plain rows for speed; each must read exactly as the serializer shows the
    same person on the detail endpoint, for either set of scopes."""
    make_captive(family_name="Бондар", birth_date=None)  # a null among the values
    scopes = ["registry:read", "registry:personal"] if personal else ["registry:read"]
    partner = Partner("ombudsman", scopes)

    listed = partner.get("/api/v1/captives/?page_size=500").json()["results"]
    detailed = [partner.get(f"/api/v1/captives/{c['public_id']}/").json() for c in listed]

    assert len(listed) >= 2
    assert listed == detailed
    assert ("birth_date" in listed[0]) is personal


@pytest.mark.parametrize("number", [0, 1], ids=["zero", "taken"])
def test_a_refused_phase_number_is_one_message_on_the_number_field(
    world: World, number: int
) -> None:
    writer = Partner("mod", ["phases:write"])
    body = {"exchange": world.exchange.pk, "number": number, "date": "2025-06-01"}

    response = writer.post("/api/v1/phases/", body)

    errors = response.json()["errors"]
    assert list(errors) == ["number"]
    assert len(errors["number"]) == 1
    assert "phase_number" not in errors["number"][0]
