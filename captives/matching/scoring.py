"""Scores one list entry against one registry person: the sum of each field's evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from captives.matching.index import RegistryIndex
from captives.matching.model import (
    DATE_M,
    DATE_U_FACTOR,
    LOST_M,
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
    at: int  # the person's place in the index
    person_id: int
    index: RegistryIndex
    facts: EntryFacts
    names: tuple[FieldAgreement, ...]
    others: tuple[Compared, ...]

    @property
    def name_score(self) -> float:
        """The score of the name alone, the prior included: what a namesake would get."""
        return self.score - sum(weight for _, _, weight in self.others)

    def candidate(self, probability: float = 0.0) -> Candidate:
        """The candidate in words, from the index's columns, as weighing reads them."""
        return Candidate(
            person_id=self.person_id,
            label=self.index.label_at(self.at),
            score=self.score,
            agreements=self.names + tuple(self._described(*c) for c in self.others),
            probability=probability,
        )

    def _described(self, field: str, level: str, weight: float) -> FieldAgreement:
        index, at = self.index, self.at
        if field == "birth_date":
            detail = f"{shown(self.facts.birth_date)} ~ {shown(index.birth_date_at(at))}"
        elif field == "military_unit":
            detail = index.units_written[index.unit_at[at]]
        else:
            detail = index.numbers_written[index.number_at[at]]
        return FieldAgreement(field, level, weight, detail)


def weigh(
    facts: EntryFacts,
    at: int,
    index: RegistryIndex,
    memo: dict[object, Any] | None = None,
) -> Weighed:
    """The best score over every reading of the entry and every spelling of the person at
    ``at`` in the index, and what it rests on, without the ``Candidate``: this runs for every
    candidate of every row, and reads only the index's columns (``_build_columns``).

    ``memo`` caches comparisons within one entry: its candidates share most values.
    """
    memo = {} if memo is None else memo
    others = _other_fields(facts, at, index)
    best_total: float = float("-inf")
    names: tuple[FieldAgreement, ...] = ()
    parts = index.name_parts(at)
    for entry_reading in facts.readings:
        for family, given, patronymic in parts:
            total, fields = _name_fields(entry_reading, family, given, patronymic, index, memo)
            if total > best_total:
                best_total, names = total, fields
    for compared in others:
        best_total += compared[2]
    return Weighed(
        score=round(index.prior_bits + best_total, 3),
        at=at,
        person_id=index.person_ids[at],
        index=index,
        facts=facts,
        names=names,
        others=others,
    )


def _name_fields(
    entry: Reading,
    family_keys: NameKeys,
    given_keys: NameKeys | None,
    patronymic_keys: NameKeys | None,
    index: RegistryIndex,
    memo: dict[object, Any],
) -> tuple[float, tuple[FieldAgreement, ...]]:
    """The agreements of the name parts both the entry's reading and the person's have, and
    their total weight.

    Written out part by part, the memo looked up inline: this runs for every reading of every
    candidate of every row, where a loop or a helper call costs a sixth of the engine's time.
    """
    key: tuple[str, NameKeys, NameKeys] = ("family", entry.family, family_keys)
    family = memo.get(key)
    if family is None:
        family = memo[key] = _name_field(*key, index)
    total = family.weight
    fields = [family]
    if entry.given and given_keys:
        key = ("given", entry.given, given_keys)
        given = memo.get(key)
        if given is None:
            given = memo[key] = _name_field(*key, index)
        total += given.weight
        fields.append(given)
    if entry.patronymic and patronymic_keys:
        key = ("patronymic", entry.patronymic, patronymic_keys)
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
        m, u = NAME_M[field]["same"], _agreeing_share(field, level, person, index)
    elif model_level == "lost":
        m, u = LOST_M, index.lost_share(field, entry.fine)
    else:
        m, u = NAME_M[field][model_level], index.fuzzy_u[field][model_level]
    return FieldAgreement(field, level, bits(m, u), f"{entry.raw} ~ {person.raw}")


def _agreeing_share(field: str, level: str, person: NameKeys, index: RegistryIndex) -> float:
    """The u of a name part that agrees: the share of the registry whose name would agree with
    the row's as closely (term frequency of the registered value, at the key the two share).

    A given name or patronymic agrees in any of its forms, so its whole group shares it. A
    surname written as the registry writes it (the same fine key) is shared only by those who
    bear that spelling; one that agrees once diacritics and glides are forgotten (a variant),
    by all whose surname forgets to the same coarse key: Мохюк and Могук are both ``moguk``.
    """
    if field != "family":
        return index.frequency(f"{field}_group", person.group)
    if level == "same":
        return index.frequency("family", person.fine)
    return index.frequency("family_coarse", person.coarse)


def _other_fields(facts: EntryFacts, at: int, index: RegistryIndex) -> tuple[Compared, ...]:
    compared: list[Compared] = []
    if facts.birth_date:
        born = index.birth_date_at(at)
        if born:
            level = date_level(facts.birth_date, born)  # cached: dates repeat
            exact_u = index.date_frequency(born)
            u = 1.0 - exact_u if level == "different" else exact_u * DATE_U_FACTOR.get(level, 1.0)
            compared.append(("birth_date", level, bits(DATE_M[level], u)))
    if facts.unit:
        unit = index.units[index.unit_at[at]]
        if unit:
            same = facts.unit == unit
            u = index.frequency("unit", unit) if same else 0.99
            level = "same" if same else "different"
            compared.append(("military_unit", level, bits(UNIT_M[level], u)))
    if facts.service_number:
        number = index.numbers[index.number_at[at]]
        if number:
            level = service_number_level(facts.service_number, number)
            if level == "different":
                u = 0.999
            else:
                strangers = 1.0 if level == "same" else SERVICE_NUMBER_TYPO_U_FACTOR
                u = min(strangers / index.size, 1.0)
            compared.append(("service_number", level, bits(SERVICE_NUMBER_M[level], u)))
    return tuple(compared)
