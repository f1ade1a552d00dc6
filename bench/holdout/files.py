"""The list as the other side sends it: CSV in one of four encodings or XLSX, headers in
Ukrainian, Russian or English, one name column or three, a "№" column, a rank column.

The headers are the ones a clerk would write, taken as they come: some of them the project's
parser does not know (see ``REFUSED`` in the report), and those columns are then ignored.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.holdout.clerks import pick
from bench.holdout.people import Individual
from bench.holdout.release import ListRow

ENCODINGS = (("utf-8", 0.2), ("utf-8-sig", 0.15), ("cp1251", 0.2), ("utf-16", 0.1), ("xlsx", 0.35))
DELIMITERS = ((",", 0.35), (";", 0.45), ("\t", 0.2))
LANGUAGES = (("uk", 0.4), ("ru", 0.35), ("en", 0.25))
SEPARATE_NAMES = 0.3
WITH_NUMBER = 0.85
WITH_RANK = 0.4
EXCEL_DATES = 0.7  # of valid dd.mm.yyyy dates an XLSX clerk typed into a date cell
# Per language: (header, weight) for each field. The first of each is the usual one.
HEADERS: dict[str, dict[str, tuple[tuple[str, float], ...]]] = {
    "uk": {
        "number": (("№", 0.5), ("№ з/п", 0.4), ("№ п/п", 0.1)),
        "full_name": (("ПІБ", 0.5), ("П.І.Б.", 0.2), ("Прізвище, ім'я, по батькові", 0.3)),
        "family_name": (("Прізвище", 1.0),),
        "given_name": (("Ім'я", 1.0),),
        "patronymic": (("По батькові", 1.0),),
        "birth_date": (("Дата народження", 0.85), ("Д.н.", 0.05), ("Дата нар.", 0.10)),
        "military_unit": (("в/ч", 0.6), ("Військова частина", 0.4)),
        "service_number": (("Особистий номер", 0.8), ("Особовий номер", 0.2)),
        "rank": (("Звання", 1.0),),
    },
    "ru": {
        "number": (("№", 0.5), ("№ п/п", 0.5)),
        "full_name": (("ФИО", 0.6), ("Ф.И.О.", 0.2), ("Фамилия, имя, отчество", 0.2)),
        "family_name": (("Фамилия", 1.0),),
        "given_name": (("Имя", 1.0),),
        "patronymic": (("Отчество", 1.0),),
        "birth_date": (("Дата рождения", 0.9), ("Дата рожд.", 0.1)),
        "military_unit": (("в/ч", 0.6), ("Воинская часть", 0.4)),
        "service_number": (("Личный номер", 0.8), ("Жетон", 0.2)),
        "rank": (("Звание", 1.0),),
    },
    "en": {
        "number": (("No.", 0.6), ("#", 0.2), ("N", 0.2)),
        "full_name": (("Full name", 0.7), ("Name", 0.3)),
        "family_name": (("Surname", 0.6), ("Last name", 0.4)),
        "given_name": (("Given name", 0.5), ("First name", 0.5)),
        "patronymic": (("Patronymic", 1.0),),
        "birth_date": (("Date of birth", 0.8), ("DOB", 0.2)),
        "military_unit": (("Military unit", 0.6), ("Unit", 0.4)),
        "service_number": (("Service number", 0.6), ("Service No.", 0.2), ("Personal number", 0.2)),
        "rank": (("Rank", 1.0),),
    },
}
REGISTRY_COLUMNS = (
    "external_id", "family_name", "given_name", "patronymic", "date_of_birth", "sex",
    "citizenship", "category", "military_unit", "service_number", "status",
)  # fmt: skip
RANKS = {"uk": "солдат", "ru": "рядовой", "en": "private"}


@dataclass(frozen=True)
class FileShape:
    """How one seed's list is written."""

    encoding: str  # or "xlsx"
    delimiter: str
    language: str
    separate_names: bool
    with_number: bool
    with_rank: bool
    headers: dict[str, str]

    @property
    def suffix(self) -> str:
        return ".xlsx" if self.encoding == "xlsx" else ".csv"

    def describe(self) -> str:
        delimiter = "\t" if self.encoding == "utf-16" else self.delimiter
        kind = "XLSX" if self.encoding == "xlsx" else f"CSV {self.encoding} {delimiter!r}"
        names = "separate name columns" if self.separate_names else "one name column"
        shown = ", ".join(f"“{h}”" for h in self.headers.values())
        return f"{kind}, {self.language} headers, {names}: {shown}"


def file_shape(seed: int) -> FileShape:
    """The file shape for a seed: the same every time."""
    rng = random.Random(f"holdout-file-{seed}")
    language = pick(rng, LANGUAGES)
    table = HEADERS[language]
    separate = rng.random() < SEPARATE_NAMES
    fields = ["number"] if rng.random() < WITH_NUMBER else []
    fields += ["family_name", "given_name", "patronymic"] if separate else ["full_name"]
    with_rank = rng.random() < WITH_RANK
    fields += ["birth_date", "military_unit", "service_number"] + (["rank"] if with_rank else [])
    return FileShape(
        encoding=pick(rng, ENCODINGS),
        delimiter=pick(rng, DELIMITERS),
        language=language,
        separate_names=separate,
        with_number="number" in fields,
        with_rank=with_rank,
        headers={field: pick(rng, table[field]) for field in fields},
    )


def cells(row: ListRow, shape: FileShape) -> dict[str, str]:
    r = row.rendering
    values = {
        "number": str(row.line),
        "full_name": r.full_name,
        "family_name": r.family_name,
        "given_name": r.given_name,
        "patronymic": r.patronymic,
        "birth_date": r.birth_date_text,
        "military_unit": r.military_unit,
        "service_number": r.service_number,
        "rank": RANKS[shape.language] if r.military_unit else "",
    }
    return {field: values[field] for field in shape.headers}


def write_registry(people: list[Individual], path: Path) -> None:
    """The registry in the import command's CSV columns."""
    with path.open("w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target)
        writer.writerow(REGISTRY_COLUMNS)
        for p in people:
            born = p.birth_date.isoformat() if p.birth_date else ""
            sex = "female" if p.female else "male"
            writer.writerow(
                [p.external_id, p.family_name, p.given.ukrainian, p.patronymic, born, sex, "UA",
                 p.category, p.military_unit, p.service_number, p.status]
            )  # fmt: skip


def write_list(rows: list[ListRow], shape: FileShape, path: Path, seed: int) -> int:
    """Write the file; the number of characters its code page could not hold (cp1251 → "?")."""
    if shape.encoding == "xlsx":
        _write_xlsx(rows, shape, path, random.Random(f"holdout-excel-{seed}"))
        return 0
    delimiter = "\t" if shape.encoding == "utf-16" else shape.delimiter  # Excel's "Unicode text"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(shape.headers.values())
    for row in rows:
        writer.writerow(cells(row, shape).values())
    text = buffer.getvalue()
    data = text.encode(shape.encoding, errors="replace")
    path.write_bytes(data)
    if shape.encoding == "cp1251":
        return sum(ch == "?" for ch in data.decode("cp1251")) - text.count("?")
    return 0


def _write_xlsx(rows: list[ListRow], shape: FileShape, path: Path, rng: random.Random) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.append(list(shape.headers.values()))
    for row in rows:
        values: list[object] = list(cells(row, shape).values())
        for i, field in enumerate(shape.headers):
            if field == "number":
                values[i] = row.line
            elif field == "birth_date" and rng.random() < EXCEL_DATES:
                values[i] = _as_date(str(values[i])) or values[i]
        sheet.append(values)
    workbook.save(path)


def _as_date(text: str) -> date | None:
    parts = text.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None
