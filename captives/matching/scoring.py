"""Scores one list entry against one registry person: the sum of each field's evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from captives.matching.index import Prepared, RegistryIndex
from captives.matching.model import (
    DATE_M,
    DATE_U_FACTOR,
    MODEL_LEVEL,
    NAME_M,
    SERVICE_NUMBER_M,
    SERVICE_NUMBER_TYPO_U_FACTOR,
    UNIT_M,
    bits,
    date_level,
    name_level,
    service_number_level,
    shown,
)
from captives.matching.readings import NameKeys, Reading
from captives.matching.records import Candidate, FieldAgreement


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """An entry reduced to what scoring compares."""

    readings: tuple[Reading, ...]
    birth_date: date | None
    unit: str
    service_number: str

    @property
    def has_discriminator(self) -> bool:
        return bool(self.birth_date or self.unit or self.service_number)


# One field other than the name, as compared: (field, level, weight in bits).
Compared = tuple[str, str, float]


@dataclass(frozen=True, slots=True)
class Weighed:
    """A candidate's score and what it rests on, before it becomes a ``Candidate``: only the
    few kept are turned into one, and only they get their agreements written out in words."""

    score: float
    prepared: Prepared
    facts: EntryFacts
    names: tuple[FieldAgreement, ...]
    others: tuple[Compared, ...]

    @property
    def name_score(self) -> float:
        """The score of the name alone, the prior included: what a namesake would get."""
        return self.score - sum(weight for _, _, weight in self.others)

    def candidate(self, probability: float = 0.0) -> Candidate:
        person = self.prepared.person
        return Candidate(
            person_id=person.id,
            label=person.label or str(person.id),
            score=self.score,
            agreements=self.names + tuple(self._described(*c) for c in self.others),
            probability=probability,
        )

    def _described(self, field: str, level: str, weight: float) -> FieldAgreement:
        person = self.prepared.person
        if field == "birth_date":
            detail = f"{shown(self.facts.birth_date)} ~ {shown(person.birth_date)}"
        elif field == "military_unit":
            detail = person.military_unit
        else:
            detail = person.service_number
        return FieldAgreement(field, level, weight, detail)


def weigh(
    facts: EntryFacts,
    prepared: Prepared,
    index: RegistryIndex,
    memo: dict[object, Any] | None = None,
) -> Weighed:
    """The best score over every reading of the entry and every spelling of the person, and
    what it rests on, without the ``Candidate``: this runs for every candidate of every row.

    ``memo`` caches comparisons within one entry: its candidates share most values.
    """
    memo = {} if memo is None else memo
    others = _other_fields(facts, prepared, index)
    best_total: float = float("-inf")
    names: tuple[FieldAgreement, ...] = ()
    for entry_reading in facts.readings:
        for person_reading in prepared.readings:
            total, fields = _name_fields(entry_reading, person_reading, index, memo)
            if total > best_total:
                best_total, names = total, fields
    for compared in others:
        best_total += compared[2]
    return Weighed(
        score=round(index.prior_bits + best_total, 3),
        prepared=prepared,
        facts=facts,
        names=names,
        others=others,
    )


def _name_fields(
    entry: Reading, person: Reading, index: RegistryIndex, memo: dict[object, Any]
) -> tuple[float, tuple[FieldAgreement, ...]]:
    """The agreements of the name parts both readings have, and their total weight.

    Written out part by part, the memo looked up inline: this runs for every reading of every
    candidate of every row, where a loop or a helper call costs a sixth of the engine's time.
    """
    key: tuple[str, NameKeys, NameKeys] = ("family", entry.family, person.family)
    family = memo.get(key)
    if family is None:
        family = memo[key] = _name_field(*key, index)
    total = family.weight
    fields = [family]
    if entry.given and person.given:
        key = ("given", entry.given, person.given)
        given = memo.get(key)
        if given is None:
            given = memo[key] = _name_field(*key, index)
        total += given.weight
        fields.append(given)
    if entry.patronymic and person.patronymic:
        key = ("patronymic", entry.patronymic, person.patronymic)
        patronymic = memo.get(key)
        if patronymic is None:
            patronymic = memo[key] = _name_field(*key, index)
        total += patronymic.weight
        fields.append(patronymic)
    return total, tuple(fields)


def _name_field(
    field: str, entry: NameKeys, person: NameKeys, index: RegistryIndex
) -> FieldAgreement:
    level = name_level(entry, person, with_forms=field != "family")
    model_level = MODEL_LEVEL[level]
    if model_level == "same":
        # Term frequency of the registered value, at the loosest key that still counts as same.
        key = "family_coarse" if field == "family" else f"{field}_group"
        u = index.frequency(key, person.coarse if field == "family" else person.group)
    else:
        u = index.fuzzy_u[field][model_level]
    return FieldAgreement(
        field, level, bits(NAME_M[field][model_level], u), f"{entry.raw} ~ {person.raw}"
    )


def _other_fields(
    facts: EntryFacts, prepared: Prepared, index: RegistryIndex
) -> tuple[Compared, ...]:
    person = prepared.person
    compared: list[Compared] = []
    if facts.birth_date and person.birth_date:
        level = date_level(facts.birth_date, person.birth_date)  # cached: dates repeat
        exact_u = index.date_frequency(person.birth_date)
        u = 1.0 - exact_u if level == "different" else exact_u * DATE_U_FACTOR.get(level, 1.0)
        compared.append(("birth_date", level, bits(DATE_M[level], u)))
    if facts.unit and prepared.unit:
        same = facts.unit == prepared.unit
        u = index.frequency("unit", prepared.unit) if same else 0.99
        level = "same" if same else "different"
        compared.append(("military_unit", level, bits(UNIT_M[level], u)))
    if facts.service_number and prepared.service_number:
        level = service_number_level(facts.service_number, prepared.service_number)
        if level == "different":
            u = 0.999
        else:
            strangers = 1.0 if level == "same" else SERVICE_NUMBER_TYPO_U_FACTOR
            u = min(strangers / index.size, 1.0)
        compared.append(("service_number", level, bits(SERVICE_NUMBER_M[level], u)))
    return tuple(compared)
