"""How the index files each registry person: the kinds of key, and each reading's keys.

A person is filed under their surname (by its number among the registry's surnames) alone and
with their given name, given initial, patronymic or birth year; under their given name and
patronymic with their date of birth, and their given name with it; under their service number,
unit and date of birth. Names, initials, units and numbers are numbered in one table of values
(``Filing.values``), so that every key is a few numbers ``blocks.pack`` makes one of.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Collection
from datetime import date

from captives.matching.blocks import FIELD_BITS, FIELD_LIMIT, Blocks, pack
from captives.matching.readings import NameKeys, Reading

SURNAME, SURNAME_GIVEN, SURNAME_INITIAL, SURNAME_PATRONYMIC, SURNAME_YEAR = range(5)
GIVEN_PATRONYMIC_BORN, GIVEN_BORN, SERVICE_NUMBER, UNIT, BORN = range(5, 10)
# Each kind as ``pack`` writes it, and a field's place in a key: ``keys`` packs a million keys
# with these (a call each would cost half a second); every field is checked once, in ``blocks``.
_KIND = [pack(kind) for kind in range(10)]
_FIRST, _SECOND = FIELD_BITS * 2, FIELD_BITS


def deletes(key: str) -> set[str]:
    """The key and every string made by deleting one letter: equal sets mean one edit apart."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


class Filing:
    """Collects each person's keys while the index is built, then makes its blocks."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}
        self._named: dict[NameKeys, tuple[int, int]] = {}  # a NameKeys per name as written
        self._filed: defaultdict[int, list[int]] = defaultdict(list)
        self._surnames = _Surnames()

    def number(self, value: str) -> int:
        """The value's number in the table, given it the first time."""
        number = self.values.get(value)
        if number is None:
            number = self.values[value] = len(self.values) + 1
        return number

    def _numbers_of(self, name: NameKeys) -> tuple[int, int]:
        """A given name's or patronymic's group and initial, numbered once for each name as
        written (one NameKeys, shared by everyone so named)."""
        numbers = self._named.get(name)
        if numbers is None:
            numbers = self._named[name] = (self.number(name.group), self.number(name.coarse[:1]))
        return numbers

    def keys(self, reading: Reading, birth: date | None, unit: str, number: str) -> list[int]:
        """The keys of one reading of a person born ``birth`` (unit and service number as
        compared), packed as ``blocks.pack`` packs them."""
        sid = self._surnames.number(reading.family) << _FIRST
        given, patronymic = reading.given, reading.patronymic
        keys = [_KIND[SURNAME] | sid]
        group = patronymic_group = 0
        if given:
            group, initial = self._numbers_of(given)
            keys += (
                _KIND[SURNAME_GIVEN] | sid | group << _SECOND,
                _KIND[SURNAME_INITIAL] | sid | initial << _SECOND,
            )
        if patronymic:
            patronymic_group = self._numbers_of(patronymic)[0]
            keys.append(_KIND[SURNAME_PATRONYMIC] | sid | patronymic_group << _SECOND)
        if birth:
            day = birth.toordinal()
            keys += (_KIND[SURNAME_YEAR] | sid | birth.year << _SECOND, _KIND[BORN] | day << _FIRST)
            if given:
                keys.append(_KIND[GIVEN_BORN] | group << _FIRST | day << _SECOND)
                if patronymic:
                    keys.append(
                        _KIND[GIVEN_PATRONYMIC_BORN]
                        | group << _FIRST
                        | patronymic_group << _SECOND
                        | day
                    )
        if number:
            keys.append(_KIND[SERVICE_NUMBER] | self.number(number) << _FIRST)
        if unit:
            keys.append(_KIND[UNIT] | self.number(unit) << _FIRST)
        return keys

    def file(self, position: int, keys: Collection[int]) -> None:
        """File the person at ``position`` (people are filed in the order of their positions)."""
        filed = self._filed
        for key in keys:
            filed[key].append(position)

    def blocks(self) -> tuple[Blocks[int], Blocks[str], Blocks[str]]:
        """The people by key; the surnames' numbers by each string one deleted letter makes of
        their fine key, and by their coarse key."""
        if max(len(self.values), len(self._surnames)) >= FIELD_LIMIT:
            raise ValueError("more different names or numbers than the blocks' keys can hold")
        return Blocks.of(self._filed), *self._surnames.blocks()


class _Surnames:
    """The registry's surnames numbered, each filed by its coarse key and by every string one
    deleted letter makes of its fine key (equal strings: one edit apart)."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._seen: dict[NameKeys, int] = {}  # one NameKeys per name as written, most shared
        self._deleted: defaultdict[str, set[int]] = defaultdict(set)
        self._coarse: defaultdict[str, set[int]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self._numbers)

    def number(self, family: NameKeys) -> int:
        sid = self._seen.get(family)
        if sid is not None:
            return sid
        sid = self._numbers.get(family.fine)
        if sid is None:
            sid = self._numbers[family.fine] = len(self._numbers)
            for variant in deletes(family.fine):
                self._deleted[variant].add(sid)
        self._coarse[family.coarse].add(sid)
        self._seen[family] = sid
        return sid

    def blocks(self) -> tuple[Blocks[str], Blocks[str]]:
        return (
            Blocks.of({k: array("i", sorted(v)) for k, v in self._deleted.items()}, text=True),
            Blocks.of({k: array("i", sorted(v)) for k, v in self._coarse.items()}, text=True),
        )
