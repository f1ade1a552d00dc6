"""Weighing reads the index's columns, never a person's own objects.

A web worker forked from the master that built the index shares its pages; CPython writes a
reference count into every object it reads, and each page so written becomes the worker's own.
Through the columns (``RegistryIndex._build_columns``) a search reads the few names, units and
dates the registry has, and a worker's memory stays near a bare Django worker's however long it
serves (``python -m bench.coldstart``). These tests take the person objects away and ask the
engine for everything it answers: reconciliation, explanations and the registry search.
"""

from __future__ import annotations

from datetime import date
from typing import NoReturn

import pytest

from captives.matching import Entry, Outcome, Person, RegistryIndex, decide, reconcile, search
from tests.matching.conftest import crowd

HNATIUK = Person(
    1, "Гнатюк", "Дмитро", "Юрійович", date(1990, 5, 4), "в/ч А1234", "АБ 123456", label="H-1"
)
# Another spelling seen for him (a second reading) and a namesake with another date.
BILYK = Person(2, "Білик", "Тарас", "Іванович", spellings=("Билык Тарас Иванович",), label="")
NAMESAKE = Person(3, "Гнатюк", "Дмитро", "Юрійович", date(1985, 1, 2), label="H-3")


class Untouchable(list[object]):
    """A list of people that fails any test reading it."""

    def __getitem__(self, key: object) -> NoReturn:
        raise AssertionError("the engine read a person's own objects")

    def __iter__(self) -> NoReturn:
        raise AssertionError("the engine read a person's own objects")


@pytest.fixture(scope="module")
def registry() -> RegistryIndex:
    index = RegistryIndex([HNATIUK, BILYK, NAMESAKE, *crowd(2000)])
    index.people = Untouchable()  # type: ignore[assignment]
    return index


def test_a_match_and_its_explanation_come_from_the_columns(registry: RegistryIndex) -> None:
    decision = decide(
        Entry(1, "Гнатюк Дмитро Юрійович", birth_date=date(1990, 5, 4), military_unit="А1234"),
        registry,
    )

    assert decision.outcome is Outcome.MATCHED
    assert decision.person_id == 1
    assert decision.best is not None
    assert decision.best.label == "H-1"
    details = {a.field: a.detail for a in decision.best.agreements}
    assert details["birth_date"] == "04.05.1990 ~ 04.05.1990"
    assert details["military_unit"] == "в/ч А1234"  # as the registry writes it


def test_another_spelling_seen_for_a_person_is_weighed_from_the_columns(
    registry: RegistryIndex,
) -> None:
    (decision,) = reconcile([Entry(1, "Билык Тарас Иванович")], registry)

    assert decision.best is not None
    assert decision.best.person_id == 2
    assert decision.best.label == "2"  # no label: the id


def test_the_registry_search_comes_from_the_columns(registry: RegistryIndex) -> None:
    found = search(Entry(0, "Гнатюк Дмитро", service_number="АБ 123456"), registry)

    assert [c.person_id for c in found[:2]] == [1, 3]
    assert {a.field: a.detail for a in found[0].agreements}["service_number"] == "АБ 123456"
