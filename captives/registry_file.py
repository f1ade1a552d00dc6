"""A registry import file: fixed English columns, one person a row, every value checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from captives.sheets import SheetError, Table

COLUMNS = (
    "external_id",
    "family_name",
    "given_name",
    "patronymic",
    "date_of_birth",
    "sex",
    "citizenship",
    "category",
    "military_unit",
    "service_number",
    "status",
)
REQUIRED = ("external_id", "family_name", "given_name", "category")
SEXES = {
    "": "unknown",
    "unknown": "unknown",
    "m": "male",
    "male": "male",
    "ч": "male",
    "чол": "male",
    "f": "female",
    "female": "female",
    "ж": "female",
    "жін": "female",
}
CATEGORIES = {"serviceman": "serviceman", "civilian": "civilian"}
STATUSES = {
    "": "missing",
    "missing": "missing",
    "captive": "confirmed_captive",
    "listed": "listed",
    "returned": "returned",
    "deceased": "deceased",
    "released": "released_otherwise",
}


@dataclass(frozen=True)
class RegistryEntry:
    line: int
    external_id: str
    family_name: str
    given_name: str
    patronymic: str
    date_of_birth: date | None
    sex: str
    citizenship: str
    category: str
    military_unit: str
    service_number: str
    status: str


def parse_registry(table: Table) -> tuple[RegistryEntry, ...]:
    """Every row of a registry file, or a SheetError naming the first bad line and column."""
    positions = {name.strip().lower(): i for i, name in enumerate(table.header)}
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        raise SheetError(f"Missing columns: {', '.join(missing)}.", line=1)
    index = [positions.get(c) for c in COLUMNS]
    seen: dict[str, int] = {}
    entries = []
    for row in table.rows:
        values = dict(zip(COLUMNS, (_at(row.cells, i) for i in index), strict=True))
        entry = _entry(row.line, values)
        if entry.external_id in seen:
            raise SheetError(
                f"external_id {entry.external_id} is also on line {seen[entry.external_id]}.",
                line=row.line,
                column="external_id",
            )
        seen[entry.external_id] = row.line
        entries.append(entry)
    return tuple(entries)


def _at(cells: tuple[str, ...], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


# The longest value each column's database field holds: a longer one is refused, never cut.
LIMITS = {
    "external_id": 64,
    "family_name": 100,
    "given_name": 100,
    "patronymic": 100,
    "military_unit": 100,
    "service_number": 50,
}


def _entry(line: int, values: dict[str, str]) -> RegistryEntry:
    for column in REQUIRED:
        if not values[column]:
            raise SheetError("is empty.", line=line, column=column)
    for column, limit in LIMITS.items():
        if len(values[column]) > limit:
            raise SheetError(
                f"is {len(values[column])} characters long; the limit is {limit}.",
                line=line,
                column=column,
            )
    return RegistryEntry(
        line=line,
        external_id=values["external_id"][:64],
        family_name=values["family_name"][:100],
        given_name=values["given_name"][:100],
        patronymic=values["patronymic"][:100],
        date_of_birth=_birth_date(values["date_of_birth"], line),
        sex=_choice(SEXES, values["sex"], line, "sex"),
        citizenship=values["citizenship"].upper()[:2],
        category=_choice(CATEGORIES, values["category"], line, "category"),
        military_unit=values["military_unit"][:100],
        service_number=values["service_number"][:50],
        status=_choice(STATUSES, values["status"], line, "status"),
    )


def _choice(choices: dict[str, str], value: str, line: int, column: str) -> str:
    found = choices.get(value.lower())
    if found is None:
        allowed = ", ".join(sorted(k for k in choices if k))
        raise SheetError(f"“{value}” is not one of: {allowed}.", line=line, column=column)
    return found


def _birth_date(value: str, line: int) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]) if "-" in value else _dotted(value)
    except (ValueError, OverflowError) as error:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise SheetError(f"“{shown}” is not a date.", line=line, column="date_of_birth") from error


def _dotted(value: str) -> date:
    day, month, year = value.split(".")
    return date(int(year), int(month), int(day))
