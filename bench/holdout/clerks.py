"""How the other side's clerks write a person on a release list: script, order, typos, dates,
units and service numbers. Each row is one clerk's habit, drawn independently.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from bench.holdout.people import Individual
from bench.holdout.scripts import LATIN_RUSSIAN, LATIN_UKRAINIAN, icao_russian, plain_ascii

STYLES = (
    ("Ukrainian Cyrillic", 0.25),
    ("Russian Cyrillic", 0.37),
    ("national 2010", 0.08),
    ("BGN/PCGN Ukrainian", 0.05),
    ("BGN/PCGN Russian", 0.07),
    ("ICAO Russian", 0.08),
    ("ISO 9", 0.02),
    ("scholarly", 0.02),
    ("plain ASCII", 0.06),
)
ORDERS_CYRILLIC = (("F G P", 0.65), ("G P F", 0.10), ("F G", 0.18), ("G F", 0.07))
ORDERS_LATIN = (("F G P", 0.30), ("G P F", 0.10), ("F G", 0.30), ("G F", 0.30))
SURNAME_CAPITALS = 0.30  # Cyrillic and most Latin rows; ICAO rows are all capitals more often
ICAO_ALL_CAPITALS = 0.60
SURNAME_TYPO = 0.07
GIVEN_TYPO = 0.04
NO_DATE = 0.09
DATE_FORMATS = (("dd.mm.yyyy", 0.58), ("d/m/yy", 0.15), ("iso", 0.20), ("dd.mm.yyyy р.", 0.07))
DAY_MONTH_SWAPPED = 0.025
YEAR_OFF = 0.025
UNIT_SHOWN = 0.50  # of rows whose person has a known unit
NUMBER_SHOWN = 0.35  # of rows whose person has a service number
RUSSIAN_YO_KEPT = 0.3  # Артём, Фёдор: most clerks write е
CYRILLIC_LETTERS = "абвгдежзийклмнопрстуфхцчшщьюяіїєыэ"
LATIN_LETTERS = "abcdefghijklmnoprstuvyz"


@dataclass(frozen=True)
class Rendering:
    """One row as the clerk wrote it; ``name_order`` names which parts appear, in what order."""

    style: str
    family_name: str
    given_name: str
    patronymic: str
    name_order: str
    birth_date_text: str
    military_unit: str
    service_number: str

    @property
    def full_name(self) -> str:
        parts = {"F": self.family_name, "G": self.given_name, "P": self.patronymic}
        return " ".join(parts[k] for k in self.name_order.split() if parts[k])

    @property
    def identifying(self) -> bool:
        """Written with anything beyond the name: a date, a unit or a service number."""
        return bool(self.birth_date_text or self.military_unit or self.service_number)


def pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _names(person: Individual, style: str, rng: random.Random) -> tuple[str, str, str]:
    ukrainian = (person.family_name, person.given.ukrainian, person.patronymic)
    russian = (person.family_name_ru, person.given.russian, person.patronymic_ru)
    if rng.random() > RUSSIAN_YO_KEPT:
        russian = (russian[0], russian[1].replace("ё", "е"), russian[2].replace("ё", "е"))
    if style == "Ukrainian Cyrillic":
        return ukrainian
    if style == "Russian Cyrillic":
        return russian
    if style in LATIN_UKRAINIAN:
        convert = LATIN_UKRAINIAN[style]
        return convert(ukrainian[0]), convert(ukrainian[1]), convert(ukrainian[2])
    if style in LATIN_RUSSIAN:
        convert = LATIN_RUSSIAN[style]
        return convert(russian[0]), convert(russian[1]), convert(russian[2])
    source = ukrainian if rng.random() < 0.5 else russian
    return plain_ascii(source[0]), plain_ascii(source[1]), plain_ascii(source[2])


def typo(word: str, rng: random.Random) -> str:
    """One dropped, doubled, swapped or wrong letter, rarely the first one."""
    if len(word) < 3:
        return word
    at = rng.randrange(1, len(word)) if rng.random() < 0.9 else 0
    kind = rng.choice(("drop", "double", "swap", "wrong"))
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    if kind == "double":
        return word[: at + 1] + word[at] + word[at + 1 :]
    if kind == "swap" and at + 1 < len(word):
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    letters = CYRILLIC_LETTERS if word[at].lower() in CYRILLIC_LETTERS else LATIN_LETTERS
    wrong = rng.choice([ch for ch in letters if ch != word[at].lower()])
    return word[:at] + (wrong.upper() if word[at].isupper() else wrong) + word[at + 1 :]


def date_text(born: date, rng: random.Random, cyrillic: str) -> str:
    """dd.mm.yyyy, d/m/yy or ISO, now and then with day and month swapped or the year off."""
    day, month, year = born.day, born.month, born.year
    if rng.random() < DAY_MONTH_SWAPPED:
        day, month = month, day
    if rng.random() < YEAR_OFF:
        year += rng.choice((-1, 1))
    shape = pick(rng, DATE_FORMATS)
    if shape == "d/m/yy":
        return f"{day}/{month}/{year % 100:02d}"
    if shape == "iso":
        return f"{year:04d}-{month:02d}-{day:02d}"
    suffix = f" {cyrillic}" if shape.endswith("р.") and cyrillic else ""
    return f"{day:02d}.{month:02d}.{year:04d}{suffix}"


def unit_text(unit: str, latin: bool, rng: random.Random) -> str:
    code = unit.replace("А", "A") if latin or rng.random() < 0.15 else unit
    shape = rng.random()
    if shape < 0.25:
        return f"military unit {code}" if latin else f"в/ч {code}"
    if shape < 0.35 and code[:1].isalpha():
        return f"{code[0]}-{code[1:]}"
    return code


def number_text(number: str, latin: bool, rng: random.Random) -> str:
    letters, digits = number[:2], number[2:]
    if latin:
        letters = icao_russian(letters).upper()
    return f"{letters} {digits}" if rng.random() < 0.2 else letters + digits


def render(person: Individual, rng: random.Random, real_birth: date) -> Rendering:
    """One clerk's row for one person (``real_birth`` stands in when the registry has none)."""
    style = pick(rng, STYLES)
    latin = style not in ("Ukrainian Cyrillic", "Russian Cyrillic")
    family, given, patronymic = _names(person, style, rng)
    if rng.random() < SURNAME_TYPO:
        family = typo(family, rng)
    if rng.random() < GIVEN_TYPO:
        given = typo(given, rng)
    if style == "ICAO Russian" and rng.random() < ICAO_ALL_CAPITALS:
        family, given, patronymic = family.upper(), given.upper(), patronymic.upper()
    elif rng.random() < SURNAME_CAPITALS:
        family = family.upper()
    order = pick(rng, ORDERS_LATIN if latin else ORDERS_CYRILLIC)
    suffix = {"Ukrainian Cyrillic": "р.н.", "Russian Cyrillic": "г.р."}.get(style, "")
    born = "" if rng.random() < NO_DATE else date_text(real_birth, rng, suffix)
    unit = person.military_unit if rng.random() < UNIT_SHOWN else ""
    number = person.service_number if rng.random() < NUMBER_SHOWN else ""
    return Rendering(
        style=style,
        family_name=family,
        given_name=given,
        patronymic=patronymic if "P" in order else "",
        name_order=order,
        birth_date_text=born,
        military_unit=unit_text(unit, latin, rng) if unit else "",
        service_number=number_text(number, latin, rng) if number else "",
    )


def real_birth_date(person: Individual, rng: random.Random) -> date:
    """The person's birth date, invented when the registry does not know it."""
    if person.birth_date is not None:
        return person.birth_date
    return date(1970, 1, 1) + timedelta(days=rng.randrange(36 * 365))
