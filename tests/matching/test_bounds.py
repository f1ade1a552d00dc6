"""No name buys unbounded work: however many words, the engine reads it a bounded number of ways
and compares each candidate a bounded number of times. Work is counted, never timed."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from captives.matching import Entry, RegistryIndex, decide, engine, scoring, search
from captives.matching.names import name_book
from captives.matching.readings import MAX_NAME_WORDS, MAX_READINGS, readings_of, split_full_name
from captives.matching.records import Person

GIVEN = ["Олександр", "Іван", "Петро", "Андрій", "Сергій", "Микола", "Василь", "Дмитро"]
PATRONYMICS = ["Петрович", "Іванович", "Сергійович", "Миколайович", "Васильович"]
# The sought name of the inquiry that held a web worker for 27.6 s (279 characters).
ATTACK = " ".join(
    [f"Іван{i}ович" for i in range(10)] + [a + b for a in "абвгдеж" for b in "клмнопрстух"][:70]
)
# (case, name): each would have cost thousands to millions of readings before the bound.
HOSTILE = [
    ("the attack seen: 10 -ович words, 70 two-letter ones", ATTACK),
    ("hundreds of words", " ".join(f"Слово{i}" for i in range(500))),
    ("one patronymic repeated", " ".join(["Петрович"] * 300)),
    ("many patronymics, many given names", " ".join((PATRONYMICS + GIVEN) * 40)),
    ("every word a different patronymic", " ".join(f"Петр{i}ович" for i in range(200))),
    ("one word of 5,000 letters", "Ш" * 5000),
    ("5,000 letters as 8 words", " ".join(["Ш" * 625] * 8)),
]
REAL = [
    ("Шевченко Олександр Петрович", ("Шевченко", "Олександр", "Петрович")),
    ("Олександр Петрович Шевченко", ("Шевченко", "Олександр", "Петрович")),
    ("Шевченко Олександр", ("Шевченко", "Олександр", "")),
    ("Римський-Корсаков Андрій Іванович", ("Римський-Корсаков", "Андрій", "Іванович")),
]


@pytest.mark.parametrize(("case", "name"), HOSTILE, ids=[c for c, _ in HOSTILE])
def test_a_hostile_name_has_at_most_max_readings_of_at_most_max_words(case: str, name: str) -> None:
    found = readings_of(name, name_book())

    assert 0 < len(found) <= MAX_READINGS == 24
    for reading in found:
        words = [reading.family.raw, reading.given.raw if reading.given else ""]
        words.append(reading.patronymic.raw if reading.patronymic else "")
        assert len(" ".join(words).split()) <= MAX_NAME_WORDS


@pytest.mark.parametrize(("name", "parts"), REAL)
def test_real_names_are_read_as_before(name: str, parts: tuple[str, str, str]) -> None:
    assert split_full_name(name, name_book()) == parts


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts, on the engine's own path, the readings looked up in the index, the candidates
    weighed and the name comparisons made (spies: each calls the real function)."""
    counted: Counter[str] = Counter()
    lookup, weigh, compare = RegistryIndex.candidates, scoring.weigh, scoring._name_fields

    def candidates(self: RegistryIndex, readings: tuple[Any, ...], *a: Any, **k: Any) -> Any:
        counted["readings"] += len(readings)
        counted["lookups"] += 1
        return lookup(self, readings, *a, **k)

    def weighed(*a: Any, **k: Any) -> Any:
        counted["candidates"] += 1
        return weigh(*a, **k)

    def compared(*a: Any, **k: Any) -> Any:
        counted["comparisons"] += 1
        return compare(*a, **k)

    monkeypatch.setattr(RegistryIndex, "candidates", candidates)
    monkeypatch.setattr(engine, "weigh", weighed)
    monkeypatch.setattr(scoring, "_name_fields", compared)
    return counted


def namesakes() -> RegistryIndex:
    """People who bear the hostile names' words, so that their readings find candidates."""
    people = [
        Person(id=n, family_name=f"Ш{n}", given_name=given, patronymic=patronymic)
        for n, (given, patronymic) in enumerate((g, p) for g in GIVEN for p in PATRONYMICS)
    ]
    people += [
        Person(id=100 + n, family_name=family, given_name=given, patronymic="Петрович")
        for n, (family, given) in enumerate((f, g) for f in GIVEN for g in GIVEN)
    ]
    return RegistryIndex(people)


@pytest.mark.parametrize(("case", "name"), HOSTILE, ids=[c for c, _ in HOSTILE])
def test_deciding_or_searching_a_hostile_name_does_bounded_work(
    case: str, name: str, work: Counter[str]
) -> None:
    index = namesakes()

    for run in (decide, search):
        work.clear()
        run(Entry(0, name), index)

        assert work["readings"] <= work["lookups"] * MAX_READINGS
        assert work["lookups"] <= len(engine.SEARCH_STAGES)
        # Each candidate is compared once per reading of the entry and of the person (one here).
        assert work["comparisons"] <= work["candidates"] * MAX_READINGS
        assert work["candidates"] <= index.size


def test_a_name_of_many_given_names_and_patronymics_compares_a_few_thousand_times_at_most(
    work: Counter[str],
) -> None:
    index = namesakes()

    search(Entry(0, " ".join((GIVEN + PATRONYMICS) * 40)), index)

    assert work["comparisons"] <= MAX_READINGS * index.size == 24 * 104
