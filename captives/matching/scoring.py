"""Scores one list entry against one registry person: the sum of each field's evidence."""

from __future__ import annotations

import math
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
    UNIT_M,
    bits,
    date_level,
    name_level,
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


def prior(index: RegistryIndex) -> float:
    """Log-odds, before any evidence, that an entry is a given registry person: one in N."""
    return math.log2(1.0 / index.size)


@dataclass(frozen=True, slots=True)
class Weighed:
    """A candidate's score and the field agreements behind it, before it becomes a
    ``Candidate``: only the few kept are turned into one."""

    score: float
    prepared: Prepared
    agreements: tuple[FieldAgreement, ...]

    def candidate(self, probability: float = 0.0) -> Candidate:
        person = self.prepared.person
        return Candidate(
            person_id=person.id,
            label=person.label or str(person.id),
            score=self.score,
            agreements=self.agreements,
            probability=probability,
        )


def weigh(
    facts: EntryFacts,
    prepared: Prepared,
    index: RegistryIndex,
    memo: dict[object, Any] | None = None,
) -> Weighed:
    """The best score over every reading of the entry and every spelling of the person, and
    its agreements, without the ``Candidate``: this runs for every candidate of every row.

    ``memo`` caches comparisons within one entry: its candidates share most values.
    """
    memo = {} if memo is None else memo
    person = prepared.person
    key = (person.birth_date, prepared.unit, prepared.service_number)
    others = memo.get(key)
    if others is None:
        fields = _other_fields(facts, prepared, index)
        others = memo[key] = (sum(a.weight for a in fields), fields)
    best_total: float = float("-inf")
    names: tuple[FieldAgreement, ...] = ()
    for entry_reading in facts.readings:
        for person_reading in prepared.readings:
            total, fields = _name_fields(entry_reading, person_reading, index, memo)
            if total > best_total:
                best_total, names = total, fields
    return Weighed(
        score=round(prior(index) + best_total + others[0], 3),
        prepared=prepared,
        agreements=names + others[1],
    )


def _name_fields(
    entry: Reading, person: Reading, index: RegistryIndex, memo: dict[object, Any]
) -> tuple[float, tuple[FieldAgreement, ...]]:
    """The agreements of the name parts both readings have, and their total weight."""
    fields = []
    total = 0.0
    for field, mine, theirs in (
        ("family", entry.family, person.family),
        ("given", entry.given, person.given),
        ("patronymic", entry.patronymic, person.patronymic),
    ):
        if mine and theirs:
            key = (field, mine, theirs)
            agreement = memo.get(key)
            if agreement is None:
                agreement = memo[key] = _name_field(field, mine, theirs, index)
            fields.append(agreement)
            total += agreement.weight
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
) -> tuple[FieldAgreement, ...]:
    person = prepared.person
    fields: list[FieldAgreement] = []
    if facts.birth_date and person.birth_date:
        level = date_level(facts.birth_date, person.birth_date)  # cached: dates repeat
        exact_u = index.date_frequency(person.birth_date)
        u = 1.0 - exact_u if level == "different" else exact_u * DATE_U_FACTOR.get(level, 1.0)
        detail = f"{shown(facts.birth_date)} ~ {shown(person.birth_date)}"
        fields.append(FieldAgreement("birth_date", level, bits(DATE_M[level], u), detail))
    if facts.unit and prepared.unit:
        same = facts.unit == prepared.unit
        u = index.frequency("unit", prepared.unit) if same else 0.99
        level = "same" if same else "different"
        fields.append(
            FieldAgreement("military_unit", level, bits(UNIT_M[level], u), person.military_unit)
        )
    if facts.service_number and prepared.service_number:
        same = facts.service_number == prepared.service_number
        u = 1.0 / index.size if same else 0.999
        level = "same" if same else "different"
        weight = bits(SERVICE_NUMBER_M[level], u)
        fields.append(FieldAgreement("service_number", level, weight, person.service_number))
    return tuple(fields)
