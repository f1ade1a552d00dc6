"""A person's name keys worked out when the person is written, so that an index is built from
them without transliterating 100,000 names again.

What is stored: the version of the keys, a checksum of the values they were made of, and the
keys. Stored keys are used only when both still hold: made by this version of the algorithm
(``keys_version``: the algorithm's number, ICU's version, the fold rules and the name book) and of
the values the person has now. Anything else is worked out afresh, never trusted; so a path
that forgot to store them costs time, not a wrong match.

A person's keys are one line of text, fields apart by ``|`` (no key holds one: keys are letters
and digits): 100,000 of them are read and split in a tenth of the time JSON took to decode.
A spelling's, few, are JSON with the reading's parts as written.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import icu  # type: ignore[import-untyped]  # PyICU ships no type information

from captives.matching.keys import _FOLD_RULES, coarse_key, fine_key
from captives.matching.model import normalise_identifier
from captives.matching.names import DATA_FILE, NameBook, name_book
from captives.matching.readings import NameKeys, Reading, readings_of

# Raise it whenever a change to the code (not the rules or the name book, which the version
# reads itself) changes what a key is: every stored key then counts as stale.
KEYS_ALGORITHM = 3  # 2: a letter the file lost is kept in the key (keys.LOST); 3: шч is щ coarsely

StoredKeys = Mapping[str, Any]
SEPARATOR = "|"
PERSON_FIELDS = 10  # version, checksum, 6 name keys, unit, service number


@lru_cache(maxsize=1)
def keys_version() -> str:
    """The algorithm's number, ICU's version, and a checksum of the fold rules and name book."""
    digest = zlib.crc32(_FOLD_RULES.encode() + DATA_FILE.read_bytes())
    return f"{KEYS_ALGORITHM}:{icu.ICU_VERSION}:{digest:08x}"


def _name_keys(family: str, given: str, patronymic: str) -> list[str]:
    return [
        fine_key(family),
        coarse_key(family),
        fine_key(given) if given else "",
        coarse_key(given) if given else "",
        fine_key(patronymic) if patronymic else "",
        coarse_key(patronymic) if patronymic else "",
    ]


def checksum(values: Sequence[str]) -> str:
    """Of the values keys are made of: stored keys are used only for the values they fit."""
    return f"{zlib.crc32(chr(31).join(values).encode()):08x}"


def person_keys(
    family: str, given: str, patronymic: str, military_unit: str, service_number: str
) -> str:
    """What a registry person's row stores: the keys of their name, unit and service number."""
    values = (family, given, patronymic, military_unit, service_number)
    return SEPARATOR.join(
        [
            keys_version(),
            checksum(values),
            *_name_keys(family, given, patronymic),
            normalise_identifier(military_unit),
            normalise_identifier(service_number),
        ]
    )


def fresh_person_keys(stored: str, values: Sequence[str]) -> list[str] | None:
    """The stored keys (6 name keys, unit, service number) if made by this version of these
    values; None when they must be worked out again."""
    fields = stored.split(SEPARATOR)
    if len(fields) != PERSON_FIELDS or fields[0] != keys_version() or fields[1] != checksum(values):
        return None
    return fields[2:]


def spelling_keys(full_name: str, book: NameBook | None = None) -> dict[str, Any]:
    """What a spelling's row stores: its likeliest reading (as the index reads it), with keys;
    an empty one for a name with no letters."""
    readings = readings_of(full_name, book or name_book())
    parts: list[str] = []
    if readings:
        first = readings[0]
        family = first.family.raw
        given = first.given.raw if first.given else ""
        patronymic = first.patronymic.raw if first.patronymic else ""
        parts = [family, given, patronymic, *_name_keys(family, given, patronymic)]
    return {"v": keys_version(), "of": full_name, "r": parts}


def fresh_spelling_keys(stored: StoredKeys | None, full_name: str) -> bool:
    """Whether a spelling's stored keys were made by this version of the algorithm from it."""
    if stored is None:
        return False
    return stored.get("v") == keys_version() and stored.get("of") == full_name


class StoredReadings:
    """Readings made from stored keys, one NameKeys per name as written (as the cached
    constructors in ``readings`` make them, so that comparisons memoise alike)."""

    def __init__(self, book: NameBook) -> None:
        self.book = book
        self._family: dict[str, NameKeys] = {}
        self._given: dict[str, NameKeys] = {}
        self._patronymic: dict[str, NameKeys] = {}

    def reading(self, family: str, given: str, patronymic: str, keys: Sequence[str]) -> Reading:
        known = self._family.get(family)
        if known is None:
            known = self._family[family] = NameKeys(family, keys[0], keys[1], keys[0], False)
        return Reading(
            family=known,
            given=self._grouped(self._given, given, keys[2], keys[3], patronymic=False),
            patronymic=self._grouped(
                self._patronymic, patronymic, keys[4], keys[5], patronymic=True
            ),
        )

    def spelling(self, stored: StoredKeys) -> tuple[Reading, ...]:
        parts = stored["r"]
        if not parts:
            return ()
        family, given, patronymic, *keys = parts
        return (self.reading(family, given, patronymic, keys),)

    def _grouped(
        self, known: dict[str, NameKeys], raw: str, fine: str, coarse: str, *, patronymic: bool
    ) -> NameKeys | None:
        if not raw:
            return None
        keys = known.get(raw)
        if keys is None:
            book = self.book
            form = book.patronymic_form(fine) if patronymic else book.given_form(fine)
            spellings = (book.patronymic_spellings if patronymic else book.given_spellings).get(
                form.group, ()
            )
            keys = known[raw] = NameKeys(raw, fine, coarse, form.group, form.russian, spellings)
        return keys
