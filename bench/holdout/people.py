"""The hold-out registry: Ukrainian people with realistic name frequencies and many namesakes.

Steps: build one weighted surname table (common surnames on a Zipf law, then a long tail of
root + infix + ending); draw each person's sex, names, birth date, unit and service number;
people absent from the registry are drawn the same way, some as namesakes of registry people.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

from bench.holdout.names import (
    COMMON_SURNAMES,
    MEN,
    ROOTS,
    SUFFIXES,
    WOMEN,
    GivenName,
    daughters_patronymic_ru,
    daughters_patronymic_ua,
)
from bench.holdout.scripts import russian_spelling

COMMON_SHARE = 0.07  # of people bear one of the ~140 common surnames (Zipf, exponent 0.5)
SERVICEMEN = 0.85
WOMEN_AMONG = {"serviceman": 0.06, "civilian": 0.45}
UNKNOWN_BIRTH = 0.02
NO_PATRONYMIC = 0.01
UNIT_KNOWN = 0.92  # of servicemen
SERVICE_NUMBER_KNOWN = 0.45  # of servicemen
UNITS = 700
STATUSES = (("captive", 0.55), ("missing", 0.35), ("listed", 0.10))
INFIXES = (("", 12.0), ("ик", 1.0), ("ан", 1.0), ("ен", 1.0), ("ин", 1.0), ("ов", 1.0))
JOINS = {"іе": "іє", "іу": "ію", "іа": "ія", "йе": "є", "йу": "ю", "йа": "я", "йі": "ї"}
MEN_WEIGHTS = [g.weight for g in MEN]
WOMEN_WEIGHTS = [g.weight for g in WOMEN]
JOINS |= {
    "чч": "ч",
    "шш": "ш",
    "кк": "к",
    "ье": "е",
    "ьу": "ю",
    "ьа": "я",
    "ьі": "і",
    "йи": "ї",
    "ьи": "и",
}


@dataclass(frozen=True)
class Individual:
    """One person as the registry knows them (or would, for someone absent from it)."""

    external_id: str
    family_name: str
    given: GivenName
    father: GivenName | None
    female: bool
    birth_date: date | None
    category: str
    military_unit: str
    service_number: str
    status: str

    @property
    def patronymic(self) -> str:
        if self.father is None:
            return ""
        sons = self.father.patronymic_ua
        return daughters_patronymic_ua(sons) if self.female else sons

    @property
    def patronymic_ru(self) -> str:
        if self.father is None:
            return ""
        sons = self.father.patronymic_ru
        return daughters_patronymic_ru(sons) if self.female else sons

    @property
    def family_name_ru(self) -> str:
        return russian_spelling(self.family_name)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.given.ukrainian, self.patronymic) if p)


def feminine(surname: str) -> str:
    """Лозинський → Лозинська, Чорний → Чорна, Соловйов → Соловйова; -енко, -ук stay."""
    if surname.endswith("ий"):
        return surname[:-2] + "а"
    if surname.endswith("ов"):
        return surname + "а"
    return surname


def _join(root: str, ending: str) -> str:
    if root[-1] in "аоуе" and ending[:1] in "аеиіоу":
        root = root[:-1]
    pair = root[-1:] + ending[:1]
    if pair in JOINS:
        return root[:-1] + JOINS[pair] + ending[1:]
    return root + ending


@cache
def surname_table() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Every surname with its cumulative weight: common ones first, then the long tail."""
    common_weights = [1 / (rank + 1) ** 0.5 for rank in range(len(COMMON_SURNAMES))]
    scale = COMMON_SHARE / sum(common_weights)
    names, weights = list(COMMON_SURNAMES), [w * scale for w in common_weights]
    order = random.Random(20261125).sample(ROOTS, len(ROOTS))  # which roots are popular
    seen = set(names)
    tail: list[tuple[str, float]] = []
    for rank, root in enumerate(order):
        root_weight = 1 / (rank + 1) ** 0.3
        for (infix, infix_weight), (ending, weight, _) in itertools.product(INFIXES, SUFFIXES):
            name = _join(_join(root, infix) if infix else root, ending)
            if name not in seen:
                seen.add(name)
                tail.append((name, root_weight * infix_weight * weight))
    tail_scale = (1 - COMMON_SHARE) / sum(w for _, w in tail)
    names += [n for n, _ in tail]
    weights += [w * tail_scale for _, w in tail]
    return tuple(names), tuple(itertools.accumulate(weights))


def _birth_date(rng: random.Random, category: str) -> date | None:
    if rng.random() < UNKNOWN_BIRTH:
        return None
    if category == "serviceman":
        year = round(rng.triangular(1965, 2006, 1991))
    else:
        year = rng.randint(1965, 2006)
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def unit_codes(rng: random.Random) -> tuple[list[str], list[float]]:
    """Military units "А1234" (and a few National Guard "3057"), popular ones captured often."""
    codes = {f"А{rng.randint(0, 7999):04d}" for _ in range(UNITS * 9 // 10)}
    codes |= {f"{rng.randint(1001, 3099)}" for _ in range(UNITS // 10)}
    ordered = sorted(codes)
    rng.shuffle(ordered)
    return ordered, [1 / (rank + 1) ** 0.8 for rank in range(len(ordered))]


def draw(rng: random.Random, external_id: str, units: tuple[list[str], list[float]]) -> Individual:
    """One person, drawn from the frequency tables."""
    names, cumulative = surname_table()
    category = "serviceman" if rng.random() < SERVICEMEN else "civilian"
    female = rng.random() < WOMEN_AMONG[category]
    family = rng.choices(names, cum_weights=cumulative)[0]
    given = rng.choices(*((WOMEN, WOMEN_WEIGHTS) if female else (MEN, MEN_WEIGHTS)))[0]
    father = None if rng.random() < NO_PATRONYMIC else rng.choices(MEN, MEN_WEIGHTS)[0]
    serviceman = category == "serviceman"
    unit = rng.choices(*units)[0] if serviceman and rng.random() < UNIT_KNOWN else ""
    number = ""
    if serviceman and rng.random() < SERVICE_NUMBER_KNOWN:
        number = f"{rng.choice('АВЕКМНОРСТ')}{rng.choice('АВЕКМНОРСТ')}{rng.randint(0, 999999):06d}"
    status = rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]
    return Individual(
        external_id=external_id,
        family_name=feminine(family) if female else family,
        given=given,
        father=father,
        female=female,
        birth_date=_birth_date(rng, category),
        category=category,
        military_unit=unit,
        service_number=number,
        status=status,
    )


def registry(size: int, seed: int) -> list[Individual]:
    """``size`` people, the same ones for the same seed."""
    rng = random.Random(f"holdout-registry-{seed}")
    units = unit_codes(rng)
    return [draw(rng, f"H{seed}-{i:06d}", units) for i in range(1, size + 1)]


def absent(count: int, seed: int, people: list[Individual], namesakes: float) -> list[Individual]:
    """People not in the registry; a share of them bear a registry person's full name."""
    rng = random.Random(f"holdout-absent-{seed}")
    units = unit_codes(random.Random(f"holdout-registry-{seed}"))
    out = []
    for i in range(count):
        someone = draw(rng, f"X{seed}-{i:06d}", units)
        if rng.random() < namesakes:
            twin = rng.choice(people)
            born = someone.birth_date or date(1990, 6, 1)
            if twin.birth_date is not None and abs((born - twin.birth_date).days) < 400:
                born = date(1965 + (born.year - 1965 + 7) % 42, born.month, min(born.day, 28))
            someone = replace(
                someone,
                family_name=twin.family_name,
                given=twin.given,
                father=twin.father,
                female=twin.female,
                birth_date=born,
            )
        out.append(someone)
    return out
