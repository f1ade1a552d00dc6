"""A realistic registry: Ukrainian names at realistic frequencies, namesakes by the hundred.

Written for the benchmark alone (it shares no code with the engine; its names are the BENCHMARK
selection of demo/names.py): common surnames each worn by about one person in a hundred, a long
tail of rarer ones made from roots and suffixes so that 100,000 people carry some 15,000
surnames, given names and fathers' names by rank.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from bench.profiles import SPARSE, Profile
from demo.names import BENCHMARK, patronymic

MIDDLES = ["", "а", "о", "ин", "ов", "ен", "ар", "ан", "ич", "ун", "ій"]
SUFFIXES = ["енко", "чук", "юк", "ук", "ський", "ович", "ів", "ко", "ець", "ак", "ишин", "енко"]


@dataclass(frozen=True)
class Someone:
    id: int
    family_name: str
    given_name: str
    patronymic: str
    father: str
    female: bool
    birth_date: date | None
    military_unit: str
    service_number: str


def _zipf(rng: random.Random, items: Sequence[str], exponent: float = 1.0) -> str:
    weights = [1 / (rank + 1) ** exponent for rank in range(len(items))]
    return rng.choices(items, weights)[0]


def surname(rng: random.Random, rare_pool: list[str]) -> str:
    """About 40% of people carry one of the common surnames, the rest one of the long tail."""
    if rng.random() < 0.40:
        return _zipf(rng, BENCHMARK.surnames, 0.7)
    return rng.choice(rare_pool)


def rare_surnames(rng: random.Random, count: int) -> list[str]:
    pool = {
        rng.choice(BENCHMARK.surname_roots) + rng.choice(MIDDLES) + rng.choice(SUFFIXES)
        for _ in range(count * 2)
    }
    return sorted(pool)[:count]


def person(
    rng: random.Random,
    pid: int,
    rare_pool: list[str],
    unknown_birth: float = SPARSE.registry_unknown_birth,
) -> Someone:
    female = rng.random() < 0.08
    serviceman = not female or rng.random() < 0.5
    father = _zipf(rng, BENCHMARK.fathers, 0.9)
    born = (
        None
        if rng.random() < unknown_birth
        else date(
            rng.randint(1970 if serviceman else 1960, 2005), rng.randint(1, 12), rng.randint(1, 28)
        )
    )
    return Someone(
        id=pid,
        family_name=surname(rng, rare_pool),
        given_name=_zipf(rng, BENCHMARK.female_given if female else BENCHMARK.male_given, 0.9),
        patronymic=patronymic(father, female),
        father=father,
        female=female,
        birth_date=born,
        military_unit=f"А{rng.randint(1000, 1500)}" if serviceman else "",
        service_number=f"АА{rng.randint(100000, 999999)}"
        if serviceman and rng.random() < 0.6
        else "",
    )


def registry(size: int, seed: int, profile: Profile = SPARSE) -> list[Someone]:
    """``size`` people; 3% are deliberate full-name namesakes of someone else."""
    rng = random.Random(seed)
    rare_pool = rare_surnames(rng, max(size // 6, 50))
    people: list[Someone] = []
    for pid in range(1, size + 1):
        someone = person(rng, pid, rare_pool, profile.registry_unknown_birth)
        if people and rng.random() < 0.03:
            twin = rng.choice(people)
            someone = replace(
                someone,
                family_name=twin.family_name,
                given_name=twin.given_name,
                patronymic=twin.patronymic,
                father=twin.father,
                female=twin.female,
            )
        people.append(someone)
    return people
