"""Weighing reads the index's columns, never a person's own objects.

A web worker forked from the master that built the index shares its pages; CPython writes a
reference count into every object it reads, and each page so written becomes the worker's own.
Through the columns (``RegistryIndex._build_columns``) a search reads the few names, units and
dates the registry has, and a worker's memory stays near a bare Django worker's however long it
serves (``python -m bench.coldstart``). The index keeps no person's objects once built (nor does a
copy of it in a file), and these tests ask it for everything the engine answers:
reconciliation, explanations and the registry search.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from types import FunctionType, ModuleType

import pytest

from captives.matching import Entry, Outcome, Person, RegistryIndex, decide, reconcile, search
from captives.matching.index import Prepared
from tests.matching.conftest import crowd

HNATIUK = Person(
    1, "Гнатюк", "Дмитро", "Юрійович", date(1990, 5, 4), "в/ч А1234", "АБ 123456", label="H-1"
)
# Another spelling seen for him (a second reading) and a namesake with another date.
BILYK = Person(2, "Білик", "Тарас", "Іванович", spellings=("Билык Тарас Иванович",), label="")
NAMESAKE = Person(3, "Гнатюк", "Дмитро", "Юрійович", date(1985, 1, 2), label="H-3")


def _reachable(root: object) -> Iterator[object]:
    """Every object reachable from ``root``, as the garbage collector sees it, but through
    classes, functions and modules (which reach everything, this test's people included)."""
    seen, todo = {id(root)}, [root]
    while todo:
        found = todo.pop()
        yield found
        for referent in gc.get_referents(found):
            if isinstance(referent, type | FunctionType | ModuleType):
                continue
            if id(referent) not in seen:
                seen.add(id(referent))
                todo.append(referent)


@pytest.fixture(scope="module")
def registry() -> RegistryIndex:
    return RegistryIndex([HNATIUK, BILYK, NAMESAKE, *crowd(2000)])


def test_the_index_keeps_no_person_of_its_own(registry: RegistryIndex) -> None:
    kept = [o for o in _reachable(registry) if isinstance(o, (Person, Prepared))]

    assert kept == []


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
