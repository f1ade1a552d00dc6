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
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

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


def deletes(key: str) -> set[str]:
    """The key and every string made by deleting one letter: equal sets mean one edit apart."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


class RegistryIndex:
    """Everything the engine needs to know about the registry, built once."""

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
        self.people: list[Prepared] = [self._prepare(p, stored) for p in persons]
        self.size = max(len(self.people), 1)
        # Log-odds, before any evidence, that an entry is a given registry person: one in N.
        self.prior_bits = -math.log2(self.size)
        self.final_ids = frozenset(p.person.id for p in self.people if p.person.final)
        self._count_values()
        self._build_columns()
        self._build_blocks()
        self.fuzzy_u = self._estimate_fuzzy_u()
        self._lost_shares: dict[tuple[str, str], float] = {}

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

    def _count_values(self) -> None:
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
        for prepared in self.people:
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
    def _build_columns(self) -> None:
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
        for index, prepared in enumerate(self.people):
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
    def _build_blocks(self) -> None:
        self.surname_ids: dict[str, int] = {}
        deleted: defaultdict[str, set[int]] = defaultdict(set)
        coarse: defaultdict[str, set[int]] = defaultdict(set)
        self._deleted, self._coarse = deleted, coarse
        # Arrays, not lists: a list holds an int object per person, and reading it would touch
        # (and so copy into a forked worker) the page of each (see ``_build_columns``).
        self.blocks: defaultdict[tuple[object, ...], array[int]] = defaultdict(_people_array)
        blocks = self.blocks
        for index, prepared in enumerate(self.people):
            readings = prepared.readings
            # One reading (most people) gives each key once; more may give one key twice.
            keys: Iterable[tuple[object, ...]] = (
                self._person_keys(readings[0], prepared)
                if len(readings) == 1
                else {key for r in readings for key in self._person_keys(r, prepared)}
            )
            for key in keys:
                blocks[key].append(index)
        self.surname_deletes = {k: array("i", sorted(v)) for k, v in deleted.items()}
        self.surname_coarse = {k: array("i", sorted(v)) for k, v in coarse.items()}
        del self._deleted, self._coarse

    def _surname_id(self, family: NameKeys) -> int:
        sid = self.surname_ids.get(family.fine)
        if sid is None:
            sid = self.surname_ids[family.fine] = len(self.surname_ids)
            for variant in deletes(family.fine):
                self._deleted[variant].add(sid)
        self._coarse[family.coarse].add(sid)
        return sid

    def _person_keys(self, reading: Reading, prepared: Prepared) -> list[tuple[object, ...]]:
        sid = self._surname_id(reading.family)
        birth = prepared.person.birth_date
        given, patronymic = reading.given, reading.patronymic
        keys: list[tuple[object, ...]] = [("s", sid, "")]
        if given:
            keys += (("sg", sid, given.group), ("si", sid, given.coarse[:1]))
        if patronymic:
            keys.append(("sp", sid, patronymic.group))
        if birth:
            keys.append(("sy", sid, birth.year))
            if given and patronymic:
                keys.append(("gpd", given.group, patronymic.group, birth))
            if given:
                keys.append(("gd", given.group, birth))
        if prepared.service_number:
            keys.append(("sn", prepared.service_number))
        if prepared.unit:
            keys.append(("u", prepared.unit))
        if birth:
            keys.append(("d", birth))
        return keys

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
        if stage == 2 and any(_has_lost(reading) for reading in readings):
            for day in clerical_variants(birth) if birth else ():
                found.update(self.blocks.get(("d", day), ()))
            if unit:
                found.update(self.blocks.get(("u", unit), ()))
        for reading in readings:
            keys = self._broad_keys(reading, birth) if stage == 2 else self._precise_keys(reading)
            for sid in self._near_surnames(reading.family, one_edit=stage > 0):
                for kind, value in keys:
                    found.update(self.blocks.get((kind, sid, value), ()))
            if stage == 0 and birth and reading.given and reading.patronymic:
                key = ("gpd", reading.given.group, reading.patronymic.group, birth)
                found.update(self.blocks.get(key, ()))
            if stage == 2 and birth and reading.given:
                # A surname mangled past one edit (a swap inside "shch" is three): the same
                # given name born that day, or on the day a clerk's slip makes of it.
                for day in clerical_variants(birth):
                    found.update(self.blocks.get(("gd", reading.given.group, day), ()))
        if service_number and stage == 0:
            found.update(self.blocks.get(("sn", service_number), ()))
        return found

    def by_identifiers(self, birth: date | None, unit: str, service_number: str) -> set[int]:
        """People found by a date of birth, unit or service number alone (registry search)."""
        found: set[int] = set()
        for key, present in (
            (("d", birth), birth),
            (("u", unit), unit),
            (("sn", service_number), service_number),
        ):
            if present:
                found.update(self.blocks.get(key, ()))
        return found

    @staticmethod
    def _precise_keys(reading: Reading) -> list[tuple[str, object]]:
        return [("sg", reading.given.group)] if reading.given else []

    @staticmethod
    def _broad_keys(reading: Reading, birth: date | None) -> list[tuple[str, object]]:
        keys: list[tuple[str, object]] = []
        if reading.given and reading.given.group.startswith("?"):
            # A given name the book does not know, perhaps mistyped: anyone with its initial.
            # A known one was looked up by its group already, in every earlier stage.
            keys.append(("si", reading.given.coarse[:1]))
        if reading.patronymic:
            keys.append(("sp", reading.patronymic.group))
        if birth:
            keys.extend(("sy", year) for year in (birth.year - 1, birth.year, birth.year + 1))
        if not keys and not reading.given:
            keys.append(("s", ""))  # a surname alone: everyone who bears it
        return keys

    def _near_surnames(self, family: NameKeys, *, one_edit: bool) -> set[int]:
        sids: set[int] = set(self.surname_coarse.get(family.coarse, ()))
        if not one_edit or len(family.fine) > MAX_FUZZY_LETTERS:
            return sids
        for variant in deletes(family.fine):
            sids.update(self.surname_deletes.get(variant, ()))
            if len(sids) > MAX_SURNAMES_PER_ROW:
                break
        return sids

    # -- u-probabilities ---------------------------------------------------------------------
    def _estimate_fuzzy_u(self) -> dict[str, dict[str, float]]:
        """How often two random registry people agree at each fuzzy level, per name field."""
        rng = random.Random(SAMPLE_SEED)  # noqa: S311 - a fixed sample, not a secret
        pairs = [
            (rng.randrange(len(self.people)), rng.randrange(len(self.people)))
            for _ in range(PAIR_SAMPLE if len(self.people) > 1 else 0)
        ]
        floor = 1.0 / max(len(pairs), 1)
        # A registry of fewer people than √20,000 (the tests', the demo's first minutes) draws
        # the same few hundred pairs again and again: compare each once, counted as often as it
        # was drawn (the same estimate; it was 0.14 s of every such build, now 0.01 s).
        drawn: Iterable[tuple[tuple[int, int], int]] = (
            Counter(pairs).items()
            if len(self.people) ** 2 < PAIR_SAMPLE
            else ((pair, 1) for pair in pairs)
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


def _people_array() -> array[int]:
    return array("i")


def _has_lost(reading: Reading) -> bool:
    return LOST in reading.family.fine or bool(reading.given and LOST in reading.given.fine)


__all__ = ["SIMILAR_JARO_WINKLER", "Prepared", "RegistryIndex", "deletes", "settled_in_memory"]
