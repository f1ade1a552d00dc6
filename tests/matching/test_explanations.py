"""Explanations told without the registry's values: the same decision, nothing quoted."""

from __future__ import annotations

from datetime import date

import pytest

from captives.matching import Entry, Person, RegistryIndex, decide
from captives.matching.explain import describe, explain
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
    index: RegistryIndex, entry: Entry, reason: str
) -> None:
    people = {prepared.person.id: prepared.person for prepared in index.people}
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
