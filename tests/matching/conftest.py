"""A registry for engine tests: hand-written people of interest among a seeded crowd.

The crowd gives the term frequencies their realistic shape (common surnames are common); the
people the tests look for are written by hand below.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from captives.matching import Person, RegistryIndex
from demo.names import ENGINE_TEST_CROWD as NAMES
from demo.names import patronymic

# id → person. The tests name these by id.
PEOPLE = {
    1: Person(1, "Шевченко", "Олександр", "Петрович", date(1990, 3, 14), "А1234", "АА123456"),
    2: Person(2, "Шевченко", "Олександр", "Петрович", date(1985, 7, 2), "А4321"),
    3: Person(3, "Гнатюк", "Дмитро", "Юрійович", date(1998, 12, 3), "А0501"),
    4: Person(4, "Білик", "Тарас", "Іванович", date(1979, 1, 25)),
    5: Person(5, "Коваленко", "Іван", "Миколайович", date(1979, 5, 5), final=True),
    6: Person(6, "Ярошенко", "Вікторія", "Олегівна", date(2001, 6, 30)),
    7: Person(7, "Щербак", "Євген", "Григорович", date(1994, 11, 9)),
    8: Person(8, "Воробйов", "Микола", "Анатолійович", date(1988, 2, 17)),
    9: Person(9, "Цибуля", "Андрій", "Васильович", date(1996, 4, 1)),
    10: Person(10, "Кириленко", "Олексій", "Сергійович", None),
    11: Person(11, "Кириленко", "Олексій", "Сергійович", None),
    12: Person(12, "Дячук", "Юрій", "Олексійович", date(1983, 8, 19), spellings=("Дьячук Юрий",)),
    13: Person(13, "Зінченко", "Ілля", "Ілліч", date(1975, 10, 12)),
    14: Person(14, "Хоменко", "Григорій", "Дмитрович", date(1991, 9, 23)),
}


PATRONYMICS = [patronymic(father, female=False) for father in NAMES.fathers]
ENDINGS = ["енко", "чук", "юк", "ський", "ович", "ів", "ець", "ак", "ун", "ишин"]


def surname(rng: random.Random) -> str:
    """Common surnames for a third of the crowd, a long tail of rarer ones for the rest."""
    if rng.random() < 0.35:
        return rng.choice(NAMES.surnames)
    roots = NAMES.surname_roots
    return rng.choice(roots) + rng.choice("аоиеу") + rng.choice(roots).lower() + rng.choice(ENDINGS)


def crowd(size: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)
    return [
        Person(
            id=1000 + n,
            family_name=surname(rng),
            given_name=rng.choice(NAMES.male_given),
            patronymic=rng.choice(PATRONYMICS),
            birth_date=date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            label=f"C{n}",
        )
        for n in range(size)
    ]


@pytest.fixture(scope="session")
def indexed() -> list[Person]:
    """The people of ``index``, as they were given to it (it keeps none of their objects)."""
    named = [replace(p, label=f"P{p.id}") for p in PEOPLE.values()]
    return [*named, *crowd(5000)]


@pytest.fixture(scope="session")
def index(indexed: list[Person]) -> RegistryIndex:
    return RegistryIndex(indexed)
