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

CROWD_SURNAMES = [
    "Шевченко",
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Бойко",
    "Мельник",
    "Коваль",
    "Олійник",
    "Шевчук",
    "Поліщук",
    "Бондар",
    "Ткачук",
    "Марченко",
    "Лисенко",
    "Руденко",
    "Савченко",
    "Петренко",
    "Клименко",
    "Мороз",
    "Павленко",
    "Кравчук",
    "Левченко",
    "Гончаренко",
    "Собко",
    "Ярема",
    "Дорошенко",
    "Стасюк",
    "Гуменюк",
    "Остапчук",
    "Литвин",
    "Процик",
    "Чорновол",
    "Заєць",
    "Гнатюк",
    "Кушнір",
    "Романюк",
    "Данилюк",
    "Юрченко",
    "Сидоренко",
]
CROWD_GIVEN = [
    "Олександр",
    "Сергій",
    "Андрій",
    "Дмитро",
    "Володимир",
    "Юрій",
    "Віталій",
    "Олег",
    "Іван",
    "Микола",
    "Василь",
    "Віктор",
    "Максим",
    "Богдан",
    "Тарас",
    "Ярослав",
    "Євген",
    "Ігор",
    "Роман",
    "Руслан",
]
CROWD_PATRONYMICS = [
    "Олександрович",
    "Сергійович",
    "Андрійович",
    "Дмитрович",
    "Володимирович",
    "Юрійович",
    "Іванович",
    "Миколайович",
    "Васильович",
    "Петрович",
    "Вікторович",
    "Богданович",
    "Тарасович",
    "Ігорович",
    "Романович",
]

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


ROOTS = [
    "Гриц",
    "Остап",
    "Марч",
    "Лук",
    "Дем",
    "Сав",
    "Кир",
    "Трох",
    "Мас",
    "Заг",
    "Вер",
    "Жур",
    "Кост",
    "Пан",
    "Гон",
    "Руд",
    "Бут",
    "Сок",
    "Бар",
    "Дуд",
]
ENDINGS = ["енко", "чук", "юк", "ський", "ович", "ів", "ець", "ак", "ун", "ишин"]


def surname(rng: random.Random) -> str:
    """Common surnames for a third of the crowd, a long tail of rarer ones for the rest."""
    if rng.random() < 0.35:
        return rng.choice(CROWD_SURNAMES)
    return rng.choice(ROOTS) + rng.choice("аоиеу") + rng.choice(ROOTS).lower() + rng.choice(ENDINGS)


def crowd(size: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)
    return [
        Person(
            id=1000 + n,
            family_name=surname(rng),
            given_name=rng.choice(CROWD_GIVEN),
            patronymic=rng.choice(CROWD_PATRONYMICS),
            birth_date=date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            label=f"C{n}",
        )
        for n in range(size)
    ]


@pytest.fixture(scope="session")
def index() -> RegistryIndex:
    named = [replace(p, label=f"P{p.id}") for p in PEOPLE.values()]
    return RegistryIndex([*named, *crowd(5000)])
