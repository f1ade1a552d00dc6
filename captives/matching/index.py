"""The registry, prepared once for many lists: keys per person, blocks, value frequencies.

Blocking keeps the work per row small: a row is compared only with people who share, through
some spelling, a surname within one edit or with the same coarse key, *and* one more fact
(given name, birth year, patronymic or given initial); or the same given name, patronymic and
date of birth; or the same service number.
"""

from __future__ import annotations

import gc
import math
import random
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from captives.matching.blocks import pack
from captives.matching.filing import (
    BORN,
    GIVEN_BORN,
    GIVEN_PATRONYMIC_BORN,
    SERVICE_NUMBER,
    SURNAME,
    SURNAME_GIVEN,
    SURNAME_INITIAL,
    SURNAME_PATRONYMIC,
    SURNAME_YEAR,
    UNIT,
    Filing,
    deletes,
)
from captives.matching.keys import LOST
from captives.matching.model import (
    MODEL_LEVEL,
    NAME_M,
    SIMILAR_JARO_WINKLER,
    lost_pattern,
    name_level,
    normalise_identifier,
)
from captives.matching.names import NameBook, name_book
from captives.matching.readings import NameKeys, Reading, reading_of_parts, readings_of
from captives.matching.records import Person
from captives.matching.stored import StoredReadings, fresh_person_keys, fresh_spelling_keys

MAX_SURNAMES_PER_ROW = 60
# Surnames one edit away are looked up by deleting each letter in turn: work that grows as the
# square of the key's length. No family name, double ones included, has this many letters.
MAX_FUZZY_LETTERS = 48
PSEUDO_PEOPLE = 200
# A random sample says two names one typo apart are rare; but a handful of given names make up
# most of a registry, and Вадим is near Владимир: fuzzy agreement is never strong evidence.
FUZZY_U_FLOOR = {"typo": 0.002, "similar": 0.005}
# Typical shares of one value in the population, before the registry is counted.
PRIOR_SHARE = {
    "family": 1 / 5000,
    "family_coarse": 1 / 5000,
    "given_group": 1 / 40,
    "patronymic_group": 1 / 40,
    "unit": 1 / 300,
    "birth_date": 1 / (365 * 45),
}
PAIR_SAMPLE = 20_000
SAMPLE_SEED = 9303  # fixed: the index, and so every decision, is deterministic


@dataclass(frozen=True, slots=True)
class Prepared:
    """A registry person with the keys of every way their name has been written."""

    person: Person
    readings: tuple[Reading, ...]
    unit: str
    service_number: str


class RegistryIndex:
    """Everything the engine needs to know about the registry, built once.

    It keeps no person's own objects once built: columns, tables, counts and blocks of plain
    values, which is also all a copy of it in a file holds (``__getstate__``).
    """

    def __init__(self, persons: Iterable[Person], book: NameBook | None = None) -> None:
        # Millions of objects that live as long as the index, and no cycle among them: the
        # cyclic collector, which would walk them all again and again as they are made, waits.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build(persons, book)
        finally:
            if collecting:
                gc.enable()

    def _build(self, persons: Iterable[Person], book: NameBook | None) -> None:
        self.book = book or name_book()
        stored = StoredReadings(self.book)
        people = [self._prepare(p, stored) for p in persons]
        self.size = max(len(people), 1)
        # Log-odds, before any evidence, that an entry is a given registry person: one in N.
        self.prior_bits = -math.log2(self.size)
        self.final_ids = frozenset(p.person.id for p in people if p.person.final)
        self._count_values(people)
        self._build_columns(people)
        self._build_blocks(people)
        self.fuzzy_u = self._estimate_fuzzy_u()
        self._lost_shares: dict[tuple[str, str], float] = {}

    def __getstate__(self) -> dict[str, object]:
        """What a copy in a file keeps: everything but the name book, which the process loading
        it has (and must have the same of: the file is labelled with the keys' version)."""
        state = dict(vars(self))
        del state["book"]
        state["_lost_shares"] = {}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)
        self.book = name_book()

    # -- preparation -------------------------------------------------------------------------
    def _prepare(self, person: Person, stored: StoredReadings) -> Prepared:
        """The person's readings and identifiers, from the keys stored with them where those are
        fresh, worked out afresh where not."""
        names = (person.family_name, person.given_name, person.patronymic)
        keys = person.keys and fresh_person_keys(
            person.keys, (*names, person.military_unit, person.service_number)
        )
        if keys:
            main = stored.reading(*names, keys)
            unit, service_number = keys[6], keys[7]
        else:
            main = reading_of_parts(*names, self.book)
            unit = normalise_identifier(person.military_unit)
            service_number = normalise_identifier(person.service_number)
        others: list[Reading] = []
        for i, spelling in enumerate(person.spellings):
            kept = person.spelling_keys[i] if i < len(person.spelling_keys) else None
            if kept is not None and fresh_spelling_keys(kept, spelling):
                others.extend(stored.spelling(kept))
            else:
                others.extend(readings_of(spelling, self.book)[:1])
        return Prepared(
            person=person,
            readings=(main, *others),
            unit=unit,
            service_number=service_number,
        )

    def _count_values(self, people: list[Prepared]) -> None:
        self.counts: dict[str, Counter[str]] = {
            name: Counter()
            for name in (
                "family",
                "family_coarse",
                "given",
                "given_group",
                "given_coarse",
                "patronymic",
                "patronymic_group",
                "patronymic_coarse",
                "unit",
            )
        }
        self.date_counts: Counter[date] = Counter()
        counts, units, dates = self.counts, self.counts["unit"], self.date_counts
        # The counters by name, looked up once: this runs for every person of the registry.
        parts = [
            (field, counts[field], counts[f"{field}_coarse"], counts.get(f"{field}_group"))
            for field in ("family", "given", "patronymic")
        ]
        for prepared in people:
            main = prepared.readings[0]
            for field, fine, coarse, group in parts:
                keys = getattr(main, field)
                if keys is not None:
                    fine[keys.fine] += 1
                    coarse[keys.coarse] += 1
                    if group is not None:
                        group[keys.group] += 1
            if prepared.unit:
                units[prepared.unit] += 1
            if prepared.person.birth_date:
                dates[prepared.person.birth_date] += 1
        self.dated = max(sum(self.date_counts.values()), 1)

    # -- what every candidate of every row is weighed on, as columns --------------------------
    def _build_columns(self, people: list[Prepared]) -> None:
        """Each person's main reading, date of birth, unit and service number, as numbers in a
        few arrays (names, units and numbers kept once each in a table).

        Weighing a candidate reads these, never the person's own objects: a web worker forked
        from the master that built the index shares its pages, and CPython writes a reference
        count into every object it touches, which makes the page that object is on the
        worker's own. Through these columns a search touches the few thousand names, units and
        dates the registry has, not the objects of each of the hundreds of people it weighs.
        """
        names: dict[int, int] = {}
        self.names: list[NameKeys] = []  # each name as written once; -1 in a column: none
        units, numbers = _Slots(), _Slots()
        self.units, self.units_written = units.compared, units.written
        self.numbers, self.numbers_written = numbers.compared, numbers.written
        labels: list[str] = []

        def slot(keys: NameKeys | None) -> int:
            if keys is None:
                return -1
            found = names.get(id(keys))
            if found is None:
                found = names[id(keys)] = len(self.names)
                self.names.append(keys)
            return found

        self.family_at, self.given_at, self.patronymic_at = array("i"), array("i"), array("i")
        self.born_at, self.unit_at, self.number_at = array("i"), array("i"), array("i")
        self.person_ids = array("q")
        self.more_readings: dict[int, tuple[Reading, ...]] = {}
        for index, prepared in enumerate(people):
            main = prepared.readings[0]
            self.family_at.append(slot(main.family))
            self.given_at.append(slot(main.given))
            self.patronymic_at.append(slot(main.patronymic))
            if len(prepared.readings) > 1:
                self.more_readings[index] = prepared.readings[1:]
            person = prepared.person
            self.born_at.append(person.birth_date.toordinal() if person.birth_date else 0)
            self.unit_at.append(units.slot(person.military_unit, prepared.unit))
            self.number_at.append(numbers.slot(person.service_number, prepared.service_number))
            self.person_ids.append(person.id)
            labels.append(person.label or str(person.id))
        # One string, sliced: a label read makes a new string, never touches a shared one.
        self._labels = "".join(labels)
        self._label_ends = array("i", accumulate(len(label) for label in labels))

    def name_parts(self, at: int) -> list[tuple[NameKeys, NameKeys | None, NameKeys | None]]:
        """The family name, given name and patronymic of every reading of the person at
        ``at``: the main one first, then those of other spellings seen for them."""
        names = self.names
        given, patronymic = self.given_at[at], self.patronymic_at[at]
        parts = [
            (
                names[self.family_at[at]],
                names[given] if given >= 0 else None,
                names[patronymic] if patronymic >= 0 else None,
            )
        ]
        parts.extend((r.family, r.given, r.patronymic) for r in self.more_readings.get(at, ()))
        return parts

    def label_at(self, at: int) -> str:
        """What a reviewer reads for the person at ``at`` (``Person.label``, else the id)."""
        return self._labels[self._label_ends[at - 1] if at else 0 : self._label_ends[at]]

    def birth_date_at(self, at: int) -> date | None:
        born = self.born_at[at]
        return date.fromordinal(born) if born else None

    # -- blocking ----------------------------------------------------------------------------
    def _build_blocks(self, people: list[Prepared]) -> None:
        filing = Filing()
        for index, prepared in enumerate(people):
            birth, unit, number = prepared.person.birth_date, prepared.unit, prepared.service_number
            readings = prepared.readings
            if len(readings) == 1:
                filing.file(index, filing.keys(readings[0], birth, unit, number))
            else:  # more readings may give one key twice
                keys = {k for r in readings for k in filing.keys(r, birth, unit, number)}
                filing.file(index, keys)
        # Names, initials, units and service numbers by their numbers in the blocks' keys.
        self.values = filing.values
        self.blocks, self.surname_deletes, self.surname_coarse = filing.blocks()

    def _people_of(self, kind: int, value: str, *more: int) -> Sequence[int]:
        """The people filed under ``kind``, a value the registry has (by its number), and
        ``more`` fields; none where no registry person has the value."""
        number = self.values.get(value)
        return self.blocks.get(pack(kind, number, *more)) if number else ()

    def candidates(
        self,
        readings: tuple[Reading, ...],
        birth: date | None,
        service_number: str,
        *,
        stage: int,
        unit: str = "",
    ) -> set[int]:
        """Indexes of the people worth comparing with an entry read in any of these ways.

        Stage 0: a surname spelled alike (same coarse key) and the same given name, or the same
        given name, patronymic and birth date, or the same service number. Stage 1: surnames
        one edit away, same given name. Stage 2, for entries the first two cannot place: a
        surname near enough plus a given initial, a patronymic or a birth year within one; or,
        whatever the surname, the same given name and the birth date or its clerical variants;
        or, for a surname or given name with letters the file lost (no key can be looked up),
        everyone born that day or on its clerical variants, or of that unit.
        """
        found: set[int] = set()
        blocks = self.blocks
        if stage == 2 and any(_has_lost(reading) for reading in readings):
            for day in clerical_variants(birth) if birth else ():
                found.update(blocks.get(pack(BORN, day.toordinal())))
            if unit:
                found.update(self._people_of(UNIT, unit))
        for reading in readings:
            keys = self._broad_keys(reading, birth) if stage == 2 else self._precise_keys(reading)
            for sid in self._near_surnames(reading.family, one_edit=stage > 0):
                for kind, value in keys:
                    if value is not None:
                        found.update(blocks.get(pack(kind, sid, value)))
            given, patronymic = reading.given, reading.patronymic
            if stage == 0 and birth and given and patronymic:
                found.update(self._known_pair_born(given.group, patronymic.group, birth))
            if stage == 2 and birth and given:
                # A surname mangled past one edit (a swap inside "shch" is three): the same
                # given name born that day, or on the day a clerk's slip makes of it.
                for day in clerical_variants(birth):
                    found.update(self._people_of(GIVEN_BORN, given.group, day.toordinal()))
        if service_number and stage == 0:
            found.update(self._people_of(SERVICE_NUMBER, service_number))
        return found

    def _known_pair_born(self, given: str, patronymic: str, birth: date) -> Sequence[int]:
        """Everyone of this given name and patronymic born on this day."""
        patronymic_number = self.values.get(patronymic)
        if not patronymic_number:
            return ()
        return self._people_of(GIVEN_PATRONYMIC_BORN, given, patronymic_number, birth.toordinal())

    def by_identifiers(self, birth: date | None, unit: str, service_number: str) -> set[int]:
        """People found by a date of birth, unit or service number alone (registry search)."""
        found: set[int] = set()
        if birth:
            found.update(self.blocks.get(pack(BORN, birth.toordinal())))
        if unit:
            found.update(self._people_of(UNIT, unit))
        if service_number:
            found.update(self._people_of(SERVICE_NUMBER, service_number))
        return found

    def _precise_keys(self, reading: Reading) -> list[tuple[int, int | None]]:
        return [(SURNAME_GIVEN, self.values.get(reading.given.group))] if reading.given else []

    def _broad_keys(self, reading: Reading, birth: date | None) -> list[tuple[int, int | None]]:
        """The keys looked up with each surname near the reading's; a value no registry person
        has is kept as ``None`` (it finds nobody, but it is a key, not a surname alone)."""
        keys: list[tuple[int, int | None]] = []
        if reading.given and reading.given.group.startswith("?"):
            # A given name the book does not know, perhaps mistyped: anyone with its initial.
            # A known one was looked up by its group already, in every earlier stage.
            keys.append((SURNAME_INITIAL, self.values.get(reading.given.coarse[:1])))
        if reading.patronymic:
            keys.append((SURNAME_PATRONYMIC, self.values.get(reading.patronymic.group)))
        if birth:
            keys.extend((SURNAME_YEAR, birth.year + apart) for apart in (-1, 0, 1))
        if not keys and not reading.given:
            keys.append((SURNAME, 0))  # a surname alone: everyone who bears it
        return keys

    def _near_surnames(self, family: NameKeys, *, one_edit: bool) -> set[int]:
        sids: set[int] = set(self.surname_coarse.get(family.coarse))
        if not one_edit or len(family.fine) > MAX_FUZZY_LETTERS:
            return sids
        for variant in deletes(family.fine):
            sids.update(self.surname_deletes.get(variant))
            if len(sids) > MAX_SURNAMES_PER_ROW:
                break
        return sids

    # -- u-probabilities ---------------------------------------------------------------------
    def _estimate_fuzzy_u(self) -> dict[str, dict[str, float]]:
        """How often two random registry people agree at each fuzzy level, per name field."""
        rng = random.Random(SAMPLE_SEED)  # noqa: S311 - a fixed sample, not a secret
        people = len(self.person_ids)
        pairs = [
            (rng.randrange(people), rng.randrange(people))
            for _ in range(PAIR_SAMPLE if people > 1 else 0)
        ]
        floor = 1.0 / max(len(pairs), 1)
        # A registry of fewer people than √20,000 (the tests', the demo's first minutes) draws
        # the same few hundred pairs again and again: compare each once, counted as often as it
        # was drawn (the same estimate; it was 0.14 s of every such build, now 0.01 s).
        drawn: Iterable[tuple[tuple[int, int], int]] = (
            Counter(pairs).items() if people**2 < PAIR_SAMPLE else ((pair, 1) for pair in pairs)
        )
        weighted = list(drawn)
        estimate: dict[str, dict[str, float]] = {}
        columns = {
            "family": self.family_at,
            "given": self.given_at,
            "patronymic": self.patronymic_at,
        }
        names = self.names
        for field in NAME_M:
            seen: Counter[str] = Counter()
            column, forms = columns[field], field != "family"
            for (a, b), times in weighted:
                first, second = column[a], column[b]
                if first >= 0 and second >= 0 and a != b:
                    level = name_level(names[first], names[second], with_forms=forms)
                    seen[MODEL_LEVEL[level]] += times
            total = max(sum(seen.values()), 1)
            estimate[field] = {
                level: max(seen[level] / total, floor, FUZZY_U_FLOOR.get(level, 0.0))
                for level in ("typo", "similar", "different")
            }
            # Collapsed "same" levels are scored by term frequency, not by this sample.
        return estimate

    def lost_share(self, field: str, key: str) -> float:
        """The share of people whose name part ``field`` fits ``key``, which has letters the
        file lost: the u of a name that fits it (counted once per key and index)."""
        share = self._lost_shares.get((field, key))
        if share is None:
            fits = lost_pattern(key).fullmatch
            fitting = sum(n for value, n in self.counts[field].items() if fits(value))
            share = self._lost_shares[(field, key)] = max(fitting, 1) / self.size
        return share

    def is_final(self, person_id: int) -> bool:
        """Already returned or dead: such a person is never matched automatically."""
        return person_id in self.final_ids

    def frequency(self, field: str, value: str) -> float:
        """Share of people with this value: the u of agreeing on it.

        The registry's own count is smoothed toward a population prior by a few hundred
        pseudo-people, so that a small registry does not make every name look common and a
        large one speaks for itself.
        """
        count = self.counts[field][value] + PSEUDO_PEOPLE * PRIOR_SHARE[field]
        return count / (self.size + PSEUDO_PEOPLE)

    def date_frequency(self, value: date) -> float:
        count = self.date_counts[value] + PSEUDO_PEOPLE * PRIOR_SHARE["birth_date"]
        return count / (self.dated + PSEUDO_PEOPLE)


def clerical_variants(day: date) -> list[date]:
    """The date itself, with day and month swapped, and a year either side."""
    variants = [day]
    if day.day <= 12 and day.day != day.month:
        variants.append(day.replace(month=day.day, day=day.month))
    for year in (day.year - 1, day.year + 1):
        try:
            variants.append(day.replace(year=year))
        except ValueError:  # 29 February
            continue
    return variants


@contextmanager
def settled_in_memory() -> Iterator[None]:
    """Builds an index that will be kept out of the cyclic garbage collector's walk.

    Without it, a full collection visits the index's millions of objects every few lists a
    worker reconciles: a pause of about a quarter of a second each time (``python -m bench``
    shows it). Whatever is garbage is collected before the build, while that is cheap (an index
    kept already is frozen, so not walked), and everything is frozen after it: a collection
    after the build would walk the new index once more, a quarter of a second of every start.
    An index is freed by reference counting when it is dropped, frozen or not.
    """
    gc.collect()
    yield
    gc.freeze()


class _Slots:
    """Values kept once each, as the registry writes them (what a reviewer reads) and as they
    are compared; slot 0 is none."""

    def __init__(self) -> None:
        self.written, self.compared = [""], [""]
        self._slots = {"": 0}

    def slot(self, written: str, compared: str) -> int:
        found = self._slots.get(written)
        if found is None:
            found = self._slots[written] = len(self.written)
            self.written.append(written)
            self.compared.append(compared)
        return found


def _has_lost(reading: Reading) -> bool:
    return LOST in reading.family.fine or bool(reading.given and LOST in reading.given.fine)


__all__ = ["SIMILAR_JARO_WINKLER", "Prepared", "RegistryIndex", "deletes", "settled_in_memory"]
