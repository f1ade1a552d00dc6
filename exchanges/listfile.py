"""A release list as the other side wrote it: which column is which, and each row's fields.

No Django here: a ``Table`` in (see ``captives.sheets``), plain entries out. Refusals are
``SheetError``s, their messages marked for translation where they are shown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from captives.matching.readings import MAX_NAME_WORDS, name_words
from captives.sheets import SheetError, SheetRow, Table, gettext_noop, read_table

# Header words in Ukrainian, Russian and English, compared without case, spaces or punctuation.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("№", "n", "no", "nr", "#", "line", "номер", "пп", "№пп", "ппп", "зп", "№зп", "row"),
    "full_name": (
        "піб",
        "фио",
        "прізвищеімяпобатькові",
        "фамилияимяотчество",
        "fullname",
        "name",
        "пиб",
        "прізвищеімя",
        "фамилияимя",
        "імя прізвище",
        "особа",
        "лицо",
    ),
    "family_name": ("прізвище", "фамилия", "surname", "familyname", "lastname"),
    "given_name": ("імя", "имя", "givenname", "firstname", "forename"),
    "patronymic": ("побатькові", "отчество", "patronymic", "middlename", "fathersname"),
    "birth_date": (
        "датанародження",
        "датарождения",
        "датанар",
        "датарожд",
        "dateofbirth",
        "dob",
        "birthdate",
        "дн",
        "др",
        "рокународження",
        "годрождения",
        "рікнародження",
        "born",
        "народився",
        "родился",
    ),
    "military_unit": (
        "вч",
        "військовачастина",
        "воинскаячасть",
        "militaryunit",
        "unit",
        "частина",
        "часть",
    ),
    "service_number": (
        "особистийномер",
        "особовийномер",
        "личныйномер",
        "жетон",
        "servicenumber",
        "personalnumber",
        "militaryid",
        "номержетона",
        "serviceno",
    ),
    # The place of detention, where the list gives one (exchanges.list_places reads it).
    "place": (
        "місцеутримання",
        "місцетримання",
        "местосодержания",
        "местоудержания",
        "установа",
        "учреждение",
        "placeofdetention",
        "detentionplace",
        "facility",
    ),
}
# A release list's size, as a file or as JSON rows; docs/security.md says why. The largest
# phase of the 2025 exchange named 390 people each way, the whole exchange 1,000: 5,000 rows is
# five such exchanges in one day, and parsed in 0.2 s. A longer list is refused at its 5,001st
# row, before the rest of it is read or anything of it stored.
MAX_ROWS = 5_000
MAX_BYTES = 20 * 1024 * 1024
# JSON rows: 800 bytes a row at the row limit (a row with every field filled, its Cyrillic
# escaped, is about 500), and what json.loads builds of it stays under 100 MB.
MAX_JSON_BYTES = 4 * 1024 * 1024
MAX_NAME = 300
MAX_LINE = 2_147_483_647  # a larger “№” is no row number: the row's position stands in
YEAR_PIVOT = 26  # two-digit years up to 26 are 20xx, later ones 19xx
DATE_NOISE = re.compile(r"(р\.?\s*н\.?|г\.?\s*р\.?|року|рік|года|год|р\.|г\.)", re.IGNORECASE)
DATE_FORMATS = (
    re.compile(r"^(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4}|\d{2})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)


@dataclass(frozen=True)
class ListEntry:
    line: int
    number: str
    full_name: str
    family_name: str
    given_name: str
    patronymic: str
    birth_date_text: str
    birth_date: date | None
    military_unit: str
    service_number: str
    cells: dict[str, str]
    place: str = ""


@dataclass(frozen=True)
class RowProblem:
    """A line that cannot be read: ``problem`` says why, naming the line in the file; ``code``
    says it to interfaces in other languages, ``value`` what stood where a name should;
    ``listed`` numbers it as the list numbers its readable rows."""

    line: int
    problem: SheetError
    code: str = ""
    value: str = ""
    listed: int = 0


class UnreadableRowError(ValueError):
    """A row with no name that can be read: which kind of trouble (``code``), and in words."""

    def __init__(self, code: str, problem: SheetError, value: str = "") -> None:
        super().__init__(str(problem))
        self.code, self.problem, self.value = code, problem, value


@dataclass(frozen=True)
class ReleaseListFile:
    entries: tuple[ListEntry, ...]
    problems: tuple[RowProblem, ...]
    columns: dict[str, str]


def header_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("'", "").replace("’", "")
    return "".join(ch for ch in folded if ch.isalnum() or ch in "№#")


def match_columns(header: tuple[str, ...]) -> dict[str, int]:
    """Our field name → column index, for every header cell that names a known field."""
    lookup = {header_key(s): field for field, words in SYNONYMS.items() for s in words}
    found: dict[str, int] = {}
    for position, text in enumerate(header):
        field = lookup.get(header_key(text))
        if field and field not in found:
            found[field] = position
    return found


def read_release_list(data: bytes, filename: str) -> ReleaseListFile:
    """A list file as sent: its rows read up to the row limit and no further, then parsed."""
    return parse_release_list(read_table(data, filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS))


def parse_release_list(table: Table) -> ReleaseListFile:
    """Every readable row of a list; the whole list is refused when most rows are unreadable."""
    columns = match_columns(table.header)
    if "full_name" not in columns and not {"family_name", "given_name"} <= columns.keys():
        found = ", ".join(f"“{h}”" for h in table.header if h) or "—"
        raise SheetError(
            gettext_noop(
                "No name column (ПІБ, ФИО, Full name, or Прізвище and Ім'я). "
                "Headers found: %(found)s."
            ),
            line=1,
            found=found,
        )
    entries, positions, problems, problem_at = [], [], [], []
    for position, row in enumerate(table.rows, start=1):
        cells = {
            table.header[i] if i < len(table.header) else f"#{i + 1}": v
            for i, v in enumerate(row.cells)
        }
        try:
            entries.append(_entry(row, columns, position, cells))
            positions.append(position)
        except UnreadableRowError as problem:
            listed = _listed_line(_cell(row.cells, columns, "number"), position)
            problem_at.append(position)
            problems.append(
                RowProblem(row.line, problem.problem, problem.code, problem.value, listed)
            )
    if len({e.line for e in entries}) < len(entries):
        # The list's own numbers repeat (a pasted block, a header copied midway): number the
        # rows by their order instead; each row keeps its "№" as written.
        entries = [replace(e, line=p) for e, p in zip(entries, positions, strict=True)]
        problems = [replace(p, listed=at) for p, at in zip(problems, problem_at, strict=True)]
    if len(problems) * 2 > len(table.rows):
        raise SheetError(
            gettext_noop(
                "%(bad)s of %(total)s rows cannot be read, so the list is refused whole "
                "(%(first)s)."
            ),
            bad=len(problems),
            total=len(table.rows),
            first=tuple(p.problem for p in problems[:3]),
        )
    names = {field: table.header[i] for field, i in columns.items()}
    return ReleaseListFile(tuple(entries), tuple(problems), names)


def _entry(
    row: SheetRow, columns: dict[str, int], position: int, cells: dict[str, str]
) -> ListEntry:
    def cell(field: str) -> str:
        return _cell(row.cells, columns, field)

    family, given, patronymic = cell("family_name"), cell("given_name"), cell("patronymic")
    full_name = cell("full_name") or " ".join(p for p in (family, given, patronymic) if p)
    if not full_name:
        raise UnreadableRowError("no_name", SheetError(gettext_noop("no name"), line=row.line))
    if len(full_name) > MAX_NAME:
        too_long = gettext_noop("the name is longer than %(limit)s characters")
        raise UnreadableRowError("too_long", SheetError(too_long, line=row.line, limit=MAX_NAME))
    if name_words(full_name) > MAX_NAME_WORDS:
        # Unreadable, not trimmed: the line is kept and named, and an official reads it on the
        # paper list, rather than the engine matching someone on part of what was written. The
        # code is "too long", so partners' clients and the list's page say it already.
        too_many = gettext_noop("the name has more than %(limit)s words")
        raise UnreadableRowError(
            "too_long", SheetError(too_many, line=row.line, limit=MAX_NAME_WORDS)
        )
    if not any(ch.isalpha() for ch in full_name):
        not_a_name = SheetError(
            gettext_noop("“%(name)s” is not a name"), line=row.line, name=full_name[:40]
        )
        raise UnreadableRowError("not_a_name", not_a_name, full_name[:40])
    number = cell("number")
    born_text = cell("birth_date")
    return ListEntry(
        line=_listed_line(number, position),
        number=number,
        full_name=full_name,
        family_name=family,
        given_name=given,
        patronymic=patronymic,
        birth_date_text=born_text,
        birth_date=parse_birth_date(born_text),
        military_unit=cell("military_unit"),
        service_number=cell("service_number"),
        cells=cells,
        place=cell("place"),
    )


def _listed_line(number: str, position: int) -> int:
    """The row's own number when it is one a database can hold, else its position."""
    return int(number) if number.isdecimal() and 0 < int(number) <= MAX_LINE else position


def _cell(values: tuple[str, ...], columns: dict[str, int], field: str) -> str:
    index = columns.get(field)
    return _clean(values[index]) if index is not None and index < len(values) else ""


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def parse_birth_date(text: str) -> date | None:
    """dd.mm.yyyy, d/m/yy, dd-mm-yyyy or ISO; None for an unreadable date.

    A date impossible as written but possible with day and month swapped (11.26.1972,
    1987-18-09) is read swapped: that is the only reading it has, and the slip a clerk makes.
    Other swaps are not guessed here: the matcher compares dates by error class.
    """
    cleaned = DATE_NOISE.sub("", text).strip().strip(".").strip()
    for pattern in DATE_FORMATS:
        match = pattern.match(cleaned)
        if match:
            year = int(match["y"])
            if len(match["y"]) == 2:
                year += 2000 if year <= YEAR_PIVOT else 1900
            day, month = int(match["d"]), int(match["m"])
            if month > 12 >= day:
                day, month = month, day
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None
