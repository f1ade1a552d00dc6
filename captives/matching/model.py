"""The Fellegi–Sunter model: comparison levels per field and their m- and u-probabilities.

A field's evidence is ``log2(m / u)`` bits, where m is how often a true match shows that level
and u how often two different people do. u is read off the registry itself, per value where it
matters (term-frequency adjustment, as Splink does): agreeing on Шевченко, worn by one person in
a hundred, is worth about 7 bits; agreeing on a surname worn by one in 100,000 is worth 17.
The m values are priors for clerks' lists, stated here and checked by the benchmark.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from captives.matching.keys import LOST, fine_key, folded_key
from captives.matching.readings import NameKeys

# P(level | same person), per name field. "same" covers every way of writing one name: the
# same key, the Russian form of a given name, a spelling that lost its diacritics. Which of them
# a list shows depends on who typed it, not on whether the person is the same; the explanation
# still says which it was.
# A wholly different name is rare for one person: a surname changed by marriage (1 in 100), a
# given name or a father's name a clerk could not make out, once a typo in any of the name's
# forms counts as a typo (1 in 200). These weigh the candidates a row is compared with; the one
# it would be matched with never bears another surname or father's name (engine.contradicted),
# nor another given name unless the service number agrees (engine.brother: twins).
NAME_M = {
    "family": {"same": 0.905, "typo": 0.065, "similar": 0.02, "different": 0.01},
    "given": {"same": 0.925, "typo": 0.05, "similar": 0.02, "different": 0.005},
    "patronymic": {"same": 0.925, "typo": 0.05, "similar": 0.02, "different": 0.005},
}
# The detailed levels a reviewer reads, and the model level each one counts as.
MODEL_LEVEL = {
    "same": "same",
    "form": "same",
    "variant": "same",
    "typo": "typo",
    "similar": "similar",
    "different": "different",
    "lost": "lost",
}
# A name with letters the file could not carry (``keys.LOST``) fits every name its known letters
# fit, each lost letter standing for any one of ours. m: how often the right person's name
# fits, for such a row (nearly always: the letters kept are as the clerk wrote them). u is
# counted, not assumed: the share of the registry whose name fits (``RegistryIndex.lost_share``),
# so a pattern only one surname fits weighs as that surname does, and one that half the given
# names fit weighs next to nothing.
LOST_M = 0.9
# More lost letters than this in one name, and it is no longer a name with a few letters
# missing: compared as written instead. It also bounds a pattern's work (each lost letter may
# stand for none, one or two symbols: 3^n ways to try where a name does not fit).
MAX_LOST_LETTERS = 4
DATE_M = {"same": 0.899, "swapped": 0.035, "year": 0.035, "digit": 0.03, "different": 0.001}
# The share of non-matching pairs at each date level, relative to agreeing exactly. A date has
# about two dates a year off and some twenty dates one digit off (nine for each digit of the day
# and of the year, fewer for the month and the tens): random pairs of a registry's dates (the
# hold-out's, 100,000 people, 3 million pairs) are 1.7 times as often a year apart and 22.5 times
# as often one digit apart as equal.
DATE_U_FACTOR = {"swapped": 1.0, "year": 2.0, "digit": 22.0}
# A unit on the list is the unit the registry holds: both record the unit the person served in
# when taken. They differ for the same person only by a clerk's error or a unit renamed, here 3
# in 100 (no such row in either benchmark's lists). A namesake's unit differs 99 times in 100:
# a unit that differs is then 5 bits against, more than the namesake hypothesis needs
# (log2(q / 9) = -4.75 bits, engine.py) to make a row that only the name supports unmatched.
UNIT_M = {"same": 0.9, "different": 0.03}
# A service number is copied from a document: one character off is a typo (5 in 100), more is
# someone else's number (3 in 100: the wrong column, another man's papers).
SERVICE_NUMBER_M = {"same": 0.92, "typo": 0.05, "different": 0.03}
# How many more strangers' numbers are one character off a given number than equal to it.
SERVICE_NUMBER_TYPO_U_FACTOR = 30.0
SIMILAR_JARO_WINKLER = 0.88


@dataclass(frozen=True, slots=True)
class Level:
    name: str
    weight: float


def bits(m: float, u: float) -> float:
    return math.log2(m / max(u, 1e-9))


def name_level(entry: NameKeys, person: NameKeys, *, with_forms: bool) -> str:
    """The closest level at which two spellings of one name part agree."""
    if entry.fine == person.fine:
        return "same"
    lost = entry.fine.count(LOST)
    if 0 < lost <= MAX_LOST_LETTERS and lost_pattern(entry.fine).fullmatch(person.fine):
        return "lost"
    if with_forms and entry.group == person.group and not entry.group.startswith("?"):
        return "form"
    if entry.coarse == person.coarse:
        return "variant"
    if (
        DamerauLevenshtein.distance(entry.fine, person.fine, score_cutoff=1) <= 1
        or DamerauLevenshtein.distance(entry.coarse, person.coarse, score_cutoff=1) <= 1
        or _letter_between_alike(entry, person)
        or _one_typed_letter_apart(entry, person)
    ):
        return "typo"
    if with_forms and any(
        DamerauLevenshtein.distance(typed, form, score_cutoff=1) <= 1
        for typed in _as_typed(entry)
        for form in person.spellings
    ):
        return "typo"  # a typo in another form of the name: Aleksadnr for Олександр
    if JaroWinkler.similarity(entry.fine, person.fine) >= SIMILAR_JARO_WINKLER:
        return "similar"
    return "different"


def _as_typed(entry: NameKeys) -> tuple[str, ...]:
    """The row's name part as the keys write it, and, where a letter was dropped between two
    alike ones, as typed before the run they leave was written once: Vladiir for Vladimir is
    one letter dropped, not two (its keys read vladir)."""
    folded = folded_key(entry.raw)
    return (entry.fine,) if folded == entry.fine else (entry.fine, folded)


@lru_cache(maxsize=10_000)
def lost_pattern(key: str) -> re.Pattern[str]:
    """The names a key with lost letters fits: each lost letter is one of ours, written in the
    keys' alphabet as one or two symbols (ю is ``iu``), or none where keys write a run once."""
    return re.compile("".join(".{0,2}" if ch == LOST else re.escape(ch) for ch in key))


# The letters a Latin list writes with two or more (kh, ch, sh, zh, ts, shch), each one symbol in
# the keys. A clerk's typo inside one of them (Tkhchko for Tkachko: "a" struck as "h") is one
# letter as typed, but two or three edits between keys (tXCko against tkaCko).
_SPELLED_OUT = str.maketrans({"X": "kh", "C": "ch", "S": "sh", "Z": "zh", "T": "ts", "W": "shch"})


def _one_typed_letter_apart(entry: NameKeys, person: NameKeys) -> bool:
    """One edit apart once each letter is written out as a Latin list types it: in the keys,
    or as written before a run of one letter is written once (KHOOSHCHUK, its r dropped, for
    Хорошчук: the o's it leaves side by side are one letter in the key, two as typed)."""
    if entry.fine.islower() and person.fine.islower():
        return False  # no such letter on either side: the keys were compared as they are
    return any(
        DamerauLevenshtein.distance(
            typed.translate(_SPELLED_OUT), registered.translate(_SPELLED_OUT), score_cutoff=1
        )
        <= 1
        for typed, registered in (
            (entry.fine, person.fine),
            (folded_key(entry.raw), folded_key(person.raw)),
        )
    )


def _letter_between_alike(entry: NameKeys, person: NameKeys) -> bool:
    """One letter dropped (or added) between two alike ones: Хоошовский for Хорошовський.

    Keys write a run of one letter once, so the two o's left behind become one and the typo
    looks like two letters lost. Such a pair is one edit apart as written (before runs are
    collapsed); Бабич and Бич, whose keys look alike the same way, are two.
    """
    one, other = entry.fine, person.fine
    if abs(len(one) - len(other)) != 2:  # the letter and its collapsed twin
        return False
    longer, shorter = (one, other) if len(one) > len(other) else (other, one)
    alike = any(
        longer[i - 1] == longer[i + 1] and longer[:i] + longer[i + 2 :] == shorter
        for i in range(1, len(longer) - 1)
    )
    return alike and (
        DamerauLevenshtein.distance(folded_key(entry.raw), folded_key(person.raw), score_cutoff=1)
        <= 1
    )


@lru_cache(maxsize=200_000)
def date_level(entry: date, person: date) -> str:
    if entry == person:
        return "same"
    day, month, year = (
        entry.day != person.day,
        entry.month != person.month,
        entry.year != person.year,
    )
    if day + month + year > 1:
        # Only a swap of day and month changes more than one of them by a clerical error.
        swapped = (entry.day, entry.month, entry.year) == (person.month, person.day, person.year)
        return "swapped" if swapped else "different"
    if year and abs(entry.year - person.year) == 1:
        return "year"
    if day:
        apart = _digits_apart(entry.day, person.day, 2)
    elif month:
        apart = _digits_apart(entry.month, person.month, 2)
    else:
        apart = _digits_apart(entry.year, person.year, 4)
    return "digit" if apart == 1 else "different"


def service_number_level(entry: str, person: str) -> str:
    """Two normalised service numbers: the same, one character off (a typo), or different."""
    if entry == person:
        return "same"
    typo = DamerauLevenshtein.distance(entry, person, score_cutoff=1) <= 1
    return "typo" if typo else "different"


def _digits_apart(mine: int, theirs: int, width: int) -> int:
    """How many digits differ between two numbers written with ``width`` digits, without
    formatting them: this runs for many candidates of every row."""
    apart = 0
    for _ in range(width):
        apart += mine % 10 != theirs % 10
        mine, theirs = mine // 10, theirs // 10
    return apart


@lru_cache(maxsize=65_536)
def shown(day: date) -> str:
    """A date as the explanations write it (cached: strftime is slow, dates repeat)."""
    return f"{day:%d.%m.%Y}"


UNIT_PREFIX = re.compile(
    r"^\s*(в\s*/\s*ч|в\.\s*ч\.?|вч|v\s*/\s*ch|military\s+unit|unit|часть|частина)\b\s*",
    re.IGNORECASE,
)


def normalise_identifier(value: str) -> str:
    """Units and service numbers compare on letters and digits only, Cyrillic folded to Latin;
    the "в/ч" that some clerks write before a unit's code is not part of it."""
    value = UNIT_PREFIX.sub("", value)
    return "".join(fine_key(part) if part.isalpha() else part for part in _chunks(value))


def _chunks(value: str) -> list[str]:
    chunks: list[str] = []
    for ch in value.strip():
        if not ch.isalnum():
            continue
        if chunks and chunks[-1][-1].isalpha() == ch.isalpha():
            chunks[-1] += ch
        else:
            chunks.append(ch)
    return chunks
