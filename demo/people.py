"""A deterministic crowd for the demo: plain values from a seeded generator, no database."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from demo import names

NAMESAKE_SHARE = 0.03


@dataclass(frozen=True)
class DemoPerson:
    family_name: str
    given_name: str
    patronymic: str
    birth_date: date | None
    sex: str
    category: str
    rank: str = ""
    military_unit: str = ""
    service_number: str = ""
    birth_place: str = ""
    citizenship: str = "UA"


def _ranked(rng: random.Random, items: tuple[str, ...] | list[str]) -> str:
    """A Zipf-like pick: the first items are the commonest."""
    weights = [1 / (rank + 4) for rank in range(len(items))]
    return rng.choices(list(items), weights)[0]


def ukrainian(rng: random.Random, category: str) -> DemoPerson:
    female = category == "civilian" and rng.random() < 0.4
    father = _ranked(rng, names.DEMO.fathers)
    serviceman = category == "serviceman"
    born = (
        None
        if rng.random() < 0.2
        else date(
            rng.randint(1970 if serviceman else 1950, 2005), rng.randint(1, 12), rng.randint(1, 28)
        )
    )
    return DemoPerson(
        family_name=_ranked(rng, names.DEMO.surnames),
        given_name=_ranked(rng, names.DEMO.female_given if female else names.DEMO.male_given),
        patronymic=names.patronymic(father, female),
        birth_date=born,
        sex="female" if female else "male",
        category=category,
        rank=rng.choice(names.RANKS) if serviceman else "",
        military_unit=f"А{rng.randint(1000, 1400)}" if serviceman else "",
        service_number=f"АА{rng.randint(100000, 999999)}"
        if serviceman and rng.random() < 0.6
        else "",
        birth_place=rng.choice(names.TOWNS),
    )


def russian(rng: random.Random, category: str) -> DemoPerson:
    born = date(rng.randint(1975, 2004), rng.randint(1, 12), rng.randint(1, 28))
    return DemoPerson(
        family_name=_ranked(rng, names.RUSSIAN_SURNAMES),
        given_name=_ranked(rng, names.RUSSIAN_GIVEN),
        patronymic=rng.choice(names.RUSSIAN_PATRONYMICS),
        birth_date=born,
        sex="male",
        category=category,
        citizenship="RU",
    )


def crowd(
    rng: random.Random, count: int, make: Callable[[random.Random, str], DemoPerson], category: str
) -> list[DemoPerson]:
    """``count`` people; a few are namesakes of earlier ones, on purpose, as registries are."""
    people: list[DemoPerson] = []
    for _ in range(count):
        person = make(rng, category)
        if people and rng.random() < NAMESAKE_SHARE:
            twin = rng.choice(people)
            person = replace(
                person,
                family_name=twin.family_name,
                given_name=twin.given_name,
                patronymic=twin.patronymic,
                sex=twin.sex,
            )
        people.append(person)
    return people
