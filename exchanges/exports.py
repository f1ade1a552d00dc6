"""Exports of a phase's transfers and a release list's reconciliation, as CSV and XLSX.

A spreadsheet reads a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return in front of one) as a formula: a name in a list from the other side could then open a
link or run a command on an official's machine. A cell is also cut wherever the reader's own
separator falls: our CSV is comma-separated, but Excel in a Ukrainian, Russian or German locale
cuts at ``;``, so ``Коваль;+cmd|' /C calc'!A0`` opens as two cells, the second a formula.
``inert`` therefore puts an apostrophe in front of a formula character wherever a cell could
start: at the start of the text, and after any ``,`` ``;`` tab or line end (past spaces and
double quotes a reader may drop). The same text goes into both formats, and XLSX text cells are
written typed as strings. CSV is streamed row by row; XLSX is built in openpyxl's write-only
mode.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import Case, DateField, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse, StreamingHttpResponse

from exchanges.explanations import explanation_for
from exchanges.models import Phase, ReleaseList, ReleaseListRow, Transfer

Cell = str | int | float | date | datetime | None
Format = Literal["csv", "xlsx"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's: a cell starting so is a formula
# A formula character where some reader's cell begins: the text's start, or after a separator
# (comma, semicolon, tab, a line end), past spaces and double quotes.
CELL_FORMULA = re.compile(r'(?:^|(?<=[,;\t\r\n]))([ "]*)([=+\-@])')
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1000


@dataclass(frozen=True)
class Table:
    name: str  # the file's name, without extension
    columns: tuple[str, ...]
    rows: Iterable[tuple[Cell, ...]]


def inert(text: str) -> str:
    """The text, made harmless for a spreadsheet read with any separator: an apostrophe in
    front of each formula character where a cell may begin, and in front of the whole text
    when it starts with a formula character, a tab or a carriage return."""
    made = CELL_FORMULA.sub(r"\1'\2", text)
    return "'" + made if made.startswith(FORMULA_STARTS) else made


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


TRANSFER_COLUMNS = (
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
)
PERSONAL_TRANSFER_COLUMNS = ("birth_date", "military_unit", "service_number")


# The day a confirmed transfer's person crossed: its phase's handover day (Transfer.returned_on).
RETURNED_ON = Case(
    When(
        state=Transfer.State.CONFIRMED,
        then=Coalesce("phase__handed_over_on", "phase__date"),
    ),
    default=None,
    output_field=DateField(),
)


def transfer_table(phase: Phase, *, personal: bool) -> Table:
    """Who moves in the phase; dates of birth, units and service numbers only if ``personal``."""
    fields = [
        "pk",
        "phase_id",
        "captive__public_id",
        "captive__external_id",
        "captive__family_name",
        "captive__given_name",
        "captive__patronymic",
        "captive__category",
        "direction",
        "state",
        "returned_day",
        "confirmed_at",
    ]
    if personal:
        fields += ["captive__birth_date", "captive__military_unit", "captive__service_number"]
    rows = (
        Transfer.objects.filter(phase=phase)
        .annotate(returned_day=RETURNED_ON)
        .alphabetical("direction")
        .values_list(*fields)
        .iterator(chunk_size=CHUNK)
    )
    columns = TRANSFER_COLUMNS + (PERSONAL_TRANSFER_COLUMNS if personal else ())
    return Table(f"phase-{phase.pk}-transfers", columns, (_plain(r) for r in rows))


RECONCILIATION_COLUMNS = (
    "line",
    "full_name",
    "outcome",
    "reason",
    "resolution",
    "same_as_list",  # a duplicate line: the list and line of the person it repeats
    "same_as_line",
    "captive_public_id",
    "captive_external_id",
    "score",
    "explanation",
)
REGISTRY_RECONCILIATION_COLUMNS = ("captive_public_id", "captive_external_id")
PERSONAL_RECONCILIATION_COLUMNS = ("birth_date", "military_unit", "service_number")
RECONCILIATION_FIELDS = {  # column → the row's field
    "line": "line_number",
    "full_name": "full_name",
    "outcome": "outcome",
    "reason": "reason",
    "resolution": "resolution",
    "same_as_list": "duplicate_of__release_list_id",
    "same_as_line": "duplicate_of__line_number",
    "captive_public_id": "captive__public_id",
    "captive_external_id": "captive__external_id",
    "score": "score",
    "explanation": "explanation",
    "birth_date": "birth_date_text",
    "military_unit": "military_unit",
    "service_number": "service_number",
}


def reconciliation_table(release_list: ReleaseList, *, registry: bool, personal: bool) -> Table:
    """Each line of the list as written, what reconciliation decided, and why (the columns of
    ``manage.py reconcile``, with the reviewer's resolution). The matched captive's ids only if
    ``registry``; the explanation as the engine wrote it (quoting the registry), and the row's
    date of birth, unit and service number as written, only if ``personal``."""
    columns = tuple(
        c for c in RECONCILIATION_COLUMNS if registry or c not in REGISTRY_RECONCILIATION_COLUMNS
    ) + (PERSONAL_RECONCILIATION_COLUMNS if personal else ())
    fields = [RECONCILIATION_FIELDS[c] for c in columns]
    if not personal:  # the explanation is told again from them, without the registry's values
        fields.append("candidates")
    rows = (
        ReleaseListRow.objects.filter(release_list=release_list)
        .order_by("line_number")
        .values_list(*fields)
        .iterator(chunk_size=CHUNK)
    )
    cells = _reconciliation_cells(columns, personal=personal)
    return Table(f"list-{release_list.pk}-reconciliation", columns, (cells(r) for r in rows))


def _plain(row: tuple[object, ...]) -> tuple[Cell, ...]:
    return tuple(v if isinstance(v, Cell) else str(v) for v in row)  # UUIDs as text


def _reconciliation_cells(
    columns: tuple[str, ...], *, personal: bool
) -> Callable[[tuple[Any, ...]], tuple[Cell, ...]]:
    """A row's cells: the score rounded, the explanation as the reader may see it. The
    columns' positions are found once, not for every row streamed."""
    score_at, reason_at, explanation_at = (
        columns.index(c) for c in ("score", "reason", "explanation")
    )

    def cells(row: tuple[Any, ...]) -> tuple[Cell, ...]:
        made = list(_plain(row[: len(columns)]))
        score = made[score_at]
        made[score_at] = round(score, 2) if isinstance(score, float) else score
        made[explanation_at] = explanation_for(
            explanation=row[explanation_at],
            reason=row[reason_at],
            candidates=row[len(columns)] if len(row) > len(columns) else [],
            personal=personal,
        )
        return tuple(made)

    return cells


def csv_lines(table: Table) -> Iterator[str]:
    """The CSV, a line at a time: UTF-8 with a BOM so that Excel reads Cyrillic, every text
    cell neutralised. A number is written as it is: its text is ours (a negative score reads as
    -1.23, which a spreadsheet takes for the number it is, not for a formula)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in _with_header(table):
        writer.writerow([_csv_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _csv_cell(value: Cell) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return inert(_text(value))


def _with_header(table: Table) -> Iterator[tuple[Cell, ...]]:
    yield table.columns
    yield from table.rows


def xlsx_bytes(table: Table) -> bytes:
    """The workbook: text cells neutralised and typed as strings, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.name[:31])
    for row in _with_header(table):
        cells = []
        for value in row:
            if isinstance(value, int | float):
                cells.append(WriteOnlyCell(sheet, value=value))
                continue
            if value is None or value == "":
                cells.append(WriteOnlyCell(sheet))  # empty, not an empty string
                continue
            # XML, and so XLSX, holds no control character but tab and newline: each other one
            # (a list may carry them, as written) shows as the replacement character.
            text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", inert(_text(value)))
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_response(table: Table, fmt: Format) -> HttpResponse | StreamingHttpResponse:
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{fmt}"'
    return response
