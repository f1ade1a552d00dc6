from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.roles import Role
from accounts.tokens import SCOPES, issue_token
from captives.models import Captive
from exchanges.exports import PERSONAL_RECONCILIATION_COLUMNS, RECONCILIATION_COLUMNS, inert
from exchanges.models import Outcome, Phase, ReleaseList, ReleaseListRow
from exchanges.reconciliation import receive_release_list, reconcile_release_list
from exchanges.services import list_for_phase
from tests.factories import make_captive, make_phase, make_provenance, make_user, sign_in
from tests.formulas import formula_cells

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://x","y")'
ROWS_IN_FULL = ["lists:submit", "registry:read", "registry:personal"]


def _phase_with_evil_name() -> tuple[Phase, Captive]:
    phase = make_phase()
    captive = make_captive(family_name=EVIL, given_name="@SUM(A1)", patronymic="-2+3")
    list_for_phase(phase=phase, captive=captive, by=None, provenance=make_provenance())
    return phase, captive


def _list_with_evil_row() -> tuple[ReleaseList, Captive]:
    phase, captive = _phase_with_evil_name()
    release_list = ReleaseList.objects.create(
        phase=phase,
        received_on=date(2025, 5, 21),
        sha256="b" * 64,
        rows_total=2,
        state=ReleaseList.State.RECONCILED,
    )
    ReleaseListRow.objects.create(
        release_list=release_list,
        line_number=1,
        full_name=EVIL,
        birth_date_text="14.03.1990",
        outcome=Outcome.MATCHED,
        reason="matched",
        captive=captive,
        score=-1.234,
        explanation="+ matched on the date of birth",
    )
    ReleaseListRow.objects.create(
        release_list=release_list,
        line_number=2,
        full_name="\t=1+1",
        outcome=Outcome.UNMATCHED,
        explanation="Nobody we hold",
    )
    return release_list, captive


def _csv_text(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_csv_text(response))))


def _xlsx(response: Any) -> list[tuple[Any, ...]]:
    return _xlsx_from(response.content)


def _xlsx_from(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type in ("s", "n"), (cell.coordinate, cell.data_type)
    return [tuple(c.value for c in row) for row in sheet.iter_rows()]


@pytest.mark.parametrize(
    ("text", "made"),
    [
        ("=1+1", "'=1+1"),
        ("+380", "'+380"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        ("Шевченко", "Шевченко"),
        ("a=b", "a=b"),
        ("Шевченко-Коваль", "Шевченко-Коваль"),
        ("Коваль;+cmd|' /C calc'!A0", "Коваль;'+cmd|' /C calc'!A0"),
        ("Коваль, =1+1", "Коваль, '=1+1"),
        ('Коваль;"@SUM(A1)"', 'Коваль;"\'@SUM(A1)"'),
        ("Коваль\t-2", "Коваль\t'-2"),
        ("Коваль\n=1", "Коваль\n'=1"),
        (" =1", " '=1"),
    ],
)
def test_formula_starts_are_neutralised(text: str, made: str) -> None:
    assert inert(text) == made


@given(st.text(alphabet=st.sampled_from("=+-@ \t\r\n,;\"'aЯ1"), max_size=12))
def test_no_reader_finds_a_formula_in_an_inert_cell_whatever_its_separator(text: str) -> None:
    for separator in ",;\t\r\n":
        for piece in inert(text).split(separator):
            assert not piece.lstrip(' \t\r\n"').startswith(("=", "+", "-", "@")), piece


ISSUE = "Коваль;+cmd|' /C calc'!A0"  # a cell two cells long where ; separates: a formula


def _list_naming_the_issue() -> ReleaseList:
    phase = make_phase()
    captive = make_captive(family_name=ISSUE, given_name="Іван", military_unit="A0;@SUM(1)")
    list_for_phase(phase=phase, captive=captive, by=None, provenance=make_provenance())
    release_list = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="c" * 64, rows_total=1
    )
    ReleaseListRow.objects.create(
        release_list=release_list,
        line_number=1,
        full_name=f"{ISSUE} Іван",
        birth_date_text="14.03.1990;=1+1",
        outcome=Outcome.UNMATCHED,
        explanation="The row's date of birth “14.03.1990;=1+1” is no date and was left out.",
    )
    return release_list


@pytest.mark.parametrize(
    "path",
    [
        "/exchanges/phases/{phase}/transfers.{fmt}",
        "/api/v1/phases/{phase}/transfers.{fmt}",
        "/exchanges/lists/{list}/rows.{fmt}",
        "/api/v1/release-lists/{list}/rows.{fmt}",
    ],
    ids=["web-transfers", "api-transfers", "web-rows", "api-rows"],
)
def test_a_name_cut_at_a_semicolon_holds_no_formula_in_any_export(path: str) -> None:
    release_list = _list_naming_the_issue()
    client = _official_client()
    url = path.format(phase=release_list.phase_id, list=release_list.pk, fmt="{fmt}")

    as_csv = _csv_text(client.get(url.format(fmt="csv")))
    as_xlsx = client.get(url.format(fmt="xlsx")).content

    assert "Коваль;'+cmd|' /C calc'!A0" in as_csv
    assert formula_cells(as_csv) == []
    with zipfile.ZipFile(io.BytesIO(as_xlsx)) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml  # no formula anywhere in the workbook
    values = [value for row in _xlsx_from(as_xlsx) for value in row]
    assert any(isinstance(v, str) and v.startswith("Коваль;'+cmd") for v in values)
    assert all(formula_cells(v) == [] for v in values if isinstance(v, str))  # pasted, saved


def _official_client() -> Client:
    client = Client()
    sign_in(client, make_user(Role.OFFICIAL))
    return client


def test_a_formula_in_a_name_comes_out_inert_in_csv_and_xlsx() -> None:
    phase, captive = _phase_with_evil_name()
    client = _official_client()

    as_csv = client.get(f"/exchanges/phases/{phase.pk}/transfers.csv")
    as_xlsx = client.get(f"/exchanges/phases/{phase.pk}/transfers.xlsx")

    assert as_csv.streaming
    assert as_csv["Content-Disposition"] == (
        f'attachment; filename="phase-{phase.pk}-transfers.csv"'
    )
    header, row = _csv(as_csv)
    record = dict(zip(header, row, strict=True))
    assert record["family_name"] == "'" + EVIL
    assert record["given_name"] == "'@SUM(A1)"
    assert record["patronymic"] == "'-2+3"
    assert record["captive_public_id"] == str(captive.public_id)
    sheet_header, sheet_row = _xlsx(as_xlsx)
    assert dict(zip(sheet_header, sheet_row, strict=True))["family_name"] == "'" + EVIL


def test_the_transfers_columns_with_and_without_personal_data() -> None:
    phase, captive = _phase_with_evil_name()
    _, reader = issue_token(partner_name="icrc", scopes=["registry:read"], now=timezone.now())
    _, personal = issue_token(
        partner_name="ministry", scopes=["registry:read", "registry:personal"], now=timezone.now()
    )

    plain = Client().get(
        f"/api/v1/phases/{phase.pk}/transfers.csv", HTTP_AUTHORIZATION=f"Bearer {reader}"
    )
    full = Client().get(
        f"/api/v1/phases/{phase.pk}/transfers.xlsx", HTTP_AUTHORIZATION=f"Bearer {personal}"
    )

    assert _csv(plain)[0] == [
        "transfer",
        "phase",
        "captive_public_id",
        "captive_external_id",
        "family_name",
        "given_name",
        "patronymic",
        "category",
        "direction",
        "state",
        "returned_on",
        "confirmed_at",
    ]
    header, row = _xlsx(full)
    record = dict(zip(header, row, strict=True))
    assert header[-3:] == ("birth_date", "military_unit", "service_number")
    assert record["birth_date"] == "1990-03-14"
    assert (record["direction"], record["state"]) == ("returned", "listed")
    assert record["captive_external_id"] == captive.external_id


def test_the_reconciliation_columns_and_its_inert_cells() -> None:
    release_list, captive = _list_with_evil_row()
    token, raw = issue_token(partner_name="icrc", scopes=ROWS_IN_FULL, now=timezone.now())
    release_list.uploaded_by = release_list.partner = token.partner
    release_list.save(update_fields=["uploaded_by", "partner"])

    as_csv = Client().get(
        f"/api/v1/release-lists/{release_list.pk}/rows.csv", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    as_xlsx = _official_client().get(f"/exchanges/lists/{release_list.pk}/rows.xlsx")

    header, first, second = _csv(as_csv)
    assert header == [
        "line",
        "full_name",
        "outcome",
        "reason",
        "resolution",
        "same_as_list",
        "same_as_line",
        "captive_public_id",
        "captive_external_id",
        "score",
        "explanation",
        "birth_date",
        "military_unit",
        "service_number",
    ]
    assert first == [
        "1",
        "'" + EVIL,
        "matched",
        "matched",
        "",
        "",
        "",
        str(captive.public_id),
        captive.external_id,
        "-1.23",  # a number, written as one
        "'+ matched on the date of birth",
        "14.03.1990",
        "",
        "",
    ]
    assert second[1:3] == ["'\t'=1+1", "unmatched"]
    sheet = _xlsx(as_xlsx)
    assert sheet[0][-3:] == ("birth_date", "military_unit", "service_number")  # staff: personal
    assert sheet[1][:3] == (1, "'" + EVIL, "matched")
    record = dict(zip(sheet[0], sheet[1], strict=True))
    assert record["score"] == -1.23  # a number cell, not text: it cannot be a formula
    assert sheet[2][1] == "'\t'=1+1"
    assert record["birth_date"] == "14.03.1990"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.OFFICIAL, 200),
        (Role.ADMINISTRATOR, 200),
        (Role.REVIEWER, 403),
        (Role.CASEWORKER, 403),
        (Role.PARTNER, 403),
        (None, 302),
    ],
)
def test_only_officials_export_in_the_browser(role: Role | None, status: int) -> None:
    release_list, _ = _list_with_evil_row()
    client = Client()
    if role is not None:
        sign_in(client, make_user(role))

    for path in (
        f"/exchanges/lists/{release_list.pk}/rows.csv",
        f"/exchanges/phases/{release_list.phase_id}/transfers.xlsx",
    ):
        assert client.get(path).status_code == status, path


@pytest.mark.parametrize(
    ("who", "transfers", "rows"),
    [
        ("registry:read", 200, 403),
        ("lists:submit", 403, 200),
        ("sightings:write", 403, 403),
        ("revoked", 401, 401),
        ("reviewer-session", 403, 403),
        ("official-session", 200, 200),
        ("nobody", 401, 401),
    ],
)
def test_api_exports_need_the_scope_of_their_json_twin(who: str, transfers: int, rows: int) -> None:
    release_list, _ = _list_with_evil_row()
    client = Client()
    if ":" in who or who == "revoked":
        scopes = ["registry:read", "lists:submit"] if who == "revoked" else [who]
        token, raw = issue_token(partner_name="p", scopes=scopes, now=timezone.now())
        release_list.uploaded_by = release_list.partner = token.partner  # the partner's own
        release_list.save(update_fields=["uploaded_by", "partner"])
        if who == "revoked":
            token.revoked_at = datetime(2025, 1, 1, tzinfo=UTC)
            token.save(update_fields=["revoked_at"])
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    if who.endswith("-session"):
        sign_in(client, make_user(Role.REVIEWER if who.startswith("reviewer") else Role.OFFICIAL))

    transfers_export = client.get(f"/api/v1/phases/{release_list.phase_id}/transfers.csv")
    rows_export = client.get(f"/api/v1/release-lists/{release_list.pk}/rows.xlsx")

    assert (transfers_export.status_code, rows_export.status_code) == (transfers, rows)


@pytest.mark.parametrize("caller", ["ministry", "ombudsman"])
def test_a_token_exports_only_its_own_partners_lists_as_the_json_twin_shows_them(
    caller: str,
) -> None:
    release_list, _ = _list_with_evil_row()
    owner, _ = issue_token(partner_name="ministry", scopes=["lists:submit"], now=timezone.now())
    release_list.uploaded_by = release_list.partner = owner.partner
    release_list.save(update_fields=["uploaded_by", "partner"])
    _, raw = issue_token(partner_name=caller, scopes=sorted(SCOPES), now=timezone.now())
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    exported = client.get(f"/api/v1/release-lists/{release_list.pk}/rows.csv")
    read = client.get(f"/api/v1/release-lists/{release_list.pk}/")

    assert exported.status_code == read.status_code == (200 if caller == "ministry" else 404)


KOVALENKO = "Коваленко"
LIST_OF_ONE = "ПІБ;Дата народження\nKovalenko Andrii Mykolaiovych;02.07.1988\n".encode()


@pytest.mark.parametrize(
    ("scopes", "columns"),
    [
        ([], RECONCILIATION_COLUMNS[:7] + RECONCILIATION_COLUMNS[9:]),
        (["registry:read"], RECONCILIATION_COLUMNS),
        (ROWS_IN_FULL, RECONCILIATION_COLUMNS + PERSONAL_RECONCILIATION_COLUMNS),
    ],
    ids=["lists-only", "registry", "personal"],
)
def test_the_list_export_shows_the_registry_only_as_far_as_the_scopes_allow(
    scopes: list[str], columns: tuple[str, ...]
) -> None:
    captive = make_captive(
        family_name=KOVALENKO,
        given_name="Андрій",
        patronymic="Миколайович",
        birth_date=date(1988, 7, 2),
        external_id="SECRET-ID-42",
    )
    token, raw = issue_token(
        partner_name="ministry", scopes=sorted({"lists:submit", *scopes}), now=timezone.now()
    )
    release_list, _ = receive_release_list(
        phase=make_phase(),
        data=LIST_OF_ONE,
        filename="list.csv",
        received_on=date(2025, 5, 21),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=token.partner,
        partner=token.partner,
    )
    reconcile_release_list(release_list_id=release_list.pk, now=timezone.now())

    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(
        f"/api/v1/release-lists/{release_list.pk}/rows.csv"
    )

    header, row = _csv(response)
    record = dict(zip(header, row, strict=True))
    assert tuple(header) == columns
    assert (record["outcome"], record["reason"]) == ("matched", "matched")
    assert "date of birth agrees" in record["explanation"]
    personal = "registry:personal" in scopes
    assert ("SECRET-ID-42" in record["explanation"]) is personal
    assert (KOVALENKO in record["explanation"]) is personal
    assert ("02.07.1988" in record["explanation"]) is personal
    assert (record.get("captive_public_id") == str(captive.public_id)) is (
        "registry:read" in scopes
    )


def test_a_partner_asking_for_csv_by_accept_header_gets_errors_as_json() -> None:
    _, raw = issue_token(partner_name="p", scopes=["sightings:write"], now=timezone.now())

    response = Client().get(
        "/api/v1/phases/1/transfers.csv", HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT="text/csv"
    )

    assert response.status_code == 403
    assert "detail" in response.json()


@pytest.mark.parametrize("query", ["?format=", "?format=xlsx", "?format=json"])
def test_an_export_takes_its_format_from_its_address_not_from_a_format_parameter(
    query: str,
) -> None:
    phase = make_phase()
    _, raw = issue_token(partner_name="p", scopes=["registry:read"], now=timezone.now())

    response = Client().get(
        f"/api/v1/phases/{phase.pk}/transfers.csv{query}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(("role", "linked"), [(Role.OFFICIAL, True), (Role.REVIEWER, False)])
def test_the_phase_and_list_pages_link_the_exports_for_those_who_may_export(
    role: Role, linked: bool
) -> None:
    release_list, _ = _list_with_evil_row()
    client = Client()
    sign_in(client, make_user(role))

    phase_page = client.get(f"/exchanges/phases/{release_list.phase_id}/").content.decode()
    list_page = client.get(f"/exchanges/lists/{release_list.pk}/").content.decode()

    assert (f"/exchanges/phases/{release_list.phase_id}/transfers.xlsx" in phase_page) is linked
    assert (f"/exchanges/lists/{release_list.pk}/rows.csv" in list_page) is linked


def test_a_control_character_a_list_carries_exports_to_xlsx_as_a_replacement_character() -> None:
    phase = make_phase()
    _, raw = issue_token(partner_name="p", scopes=sorted(SCOPES), now=timezone.now())
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    body = {"received_on": "2025-05-21", "rows": [{"full_name": "Коваль\x0fІван"}]}
    submitted = client.post(
        f"/api/v1/phases/{phase.pk}/release-lists/",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "control"},
    )

    response = client.get(submitted["Location"] + "rows.xlsx")  # .../release-lists/<id>/rows.xlsx

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert "Коваль\ufffdІван" in [cell.value for cell in sheet[2]]
