"""Explanations told without the registry's values: the same decision, nothing quoted."""

from __future__ import annotations

from datetime import date

import pytest

from captives.matching import Entry, Person, RegistryIndex, decide
from captives.matching.explain import account, describe, explain, strength
from captives.matching.model import shown


def _quoted(person: Person, label: str) -> list[str]:
    """What of a registry person an explanation could quote."""
    values = [
        person.family_name,
        person.given_name,
        person.patronymic,
        shown(person.birth_date) if person.birth_date else "",
        person.military_unit,
        person.service_number,
        label,
    ]
    return [value for value in values if value]


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (Entry(1, "Shevchenko Oleksandr Petrovych", birth_date=date(1990, 3, 14)), "matched"),
        (Entry(1, "Кириленко Олексій Сергійович"), "namesakes"),
        (Entry(1, "Білик Тарас Іванович", birth_date=date(1969, 4, 30)), "contradicted"),
        (Entry(1, "Коваленко Іван Миколайович", birth_date=date(1979, 5, 5)), "final"),
        (Entry(1, "Білик Тарас Іванович", military_unit="А7777"), "unconfirmed"),
    ],
)
def test_an_explanation_without_values_quotes_nothing_of_the_people_compared(
    index: RegistryIndex, indexed: list[Person], entry: Entry, reason: str
) -> None:
    people = {person.id: person for person in indexed}
    decision = decide(entry, index)
    best = decision.candidates[0]

    told = explain(decision.reason, decision.candidates, entry, values=False)

    assert decision.reason == reason
    assert any(v in decision.explanation for v in _quoted(people[best.person_id], best.label))
    for candidate in decision.candidates:
        for value in _quoted(people[candidate.person_id], candidate.label):
            assert value not in told, (value, told)
    assert told.split()[0] == decision.explanation.split()[0]  # the same verdict
    assert all(describe(a, values=False) in told for a in best.agreements)
    assert f"Candidate 1: {best.score:.1f} bits" in told


@pytest.mark.parametrize(
    ("weight", "said"),
    [
        (9.0, "strong_for"),
        (6.0, "strong_for"),
        (4.2, "moderate_for"),
        (1.0, "weak_for"),
        (0.2, "neutral"),
        (-0.4, "neutral"),
        (-1.0, "weak_against"),
        (-4.0, "moderate_against"),
        (-6.0, "moderate_against"),
        (-12.0, "strong_against"),
    ],
)
def test_a_weight_is_told_as_a_strength_not_in_bits(weight: float, said: str) -> None:
    assert strength(weight) == said


def test_the_account_of_a_decision_is_codes_and_values_no_words(index: RegistryIndex) -> None:
    """The engine's structured account, for an interface to say in its reader's language: the
    same reason, the candidates' probabilities and each field's level and strength."""
    entry = Entry(1, "Shevchenko Oleksandr Petrovych", birth_date=date(1990, 3, 14))
    decision = decide(entry, index)

    told = account(decision.reason, decision.candidates, entry)

    best = decision.candidates[0]
    assert told.reason == decision.reason == "matched"
    assert told.candidates[0].label == best.label
    assert told.candidates[0].probability == best.probability
    assert [(e.field, e.strength) for e in told.candidates[0].evidence] == [
        (a.field, strength(a.weight)) for a in best.agreements
    ]
    family = told.candidates[0].evidence[0]
    assert (family.field, family.level) == ("family", "transliterated")
    assert family.detail.startswith("Shevchenko ~ ")


def test_an_account_without_values_quotes_nothing_of_the_registry(index: RegistryIndex) -> None:
    entry = Entry(1, "Білик Тарас Іванович", military_unit="А7777")
    decision = decide(entry, index)

    told = account(decision.reason, decision.candidates, entry, values=False)

    assert decision.reason == "unconfirmed"
    assert told.lacking == ()  # what the registry lacks would tell of it
    assert all(c.label == "" for c in told.candidates)
    assert all(e.detail == "" for c in told.candidates for e in c.evidence)
    assert account(decision.reason, decision.candidates, entry).lacking == ("military_unit",)


def test_an_account_keeps_a_written_date_that_is_no_date() -> None:
    entry = Entry(1, "Гнатюк Дмитро", birth_date_text="31.02.1997")

    assert account("no_candidate", [], entry).unreadable_date == "31.02.1997"
