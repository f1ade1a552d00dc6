"""The demo's story: who came home in which phase, who is listed, who is still missing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from captives import wording
from captives.lifecycle import Status
from captives.models import Captive, Provenance, Side
from demo import story
from demo.people import crowd, russian, ukrainian
from demo.seeding import (
    PHASES,
    HistoryStep,
    Registry,
    accounts,
    at,
    exchange_1000,
    path_home,
    transfers,
)
from exchanges.models import Direction, Exchange, Phase

DEMO_EXCHANGE = "1000 for 1000"
LISTED = 84
NEXT_PHASE_DAY = date(2025, 10, 9)


def load_demo(rng: random.Random, captives: int) -> str:
    users = accounts()
    official = users["official"]
    ours = Provenance.objects.create(
        kind=Provenance.Kind.REGISTRY_IMPORT,
        side=Side.OURS,
        description=wording.DEMO_OUR_REGISTRY(),
    )
    theirs = Provenance.objects.create(
        kind=Provenance.Kind.REGISTRY_IMPORT,
        side=Side.THEIRS,
        description=wording.DEMO_THEIR_PEOPLE(),
    )
    registry = Registry()
    came_home = _came_home(rng, registry, ours)
    listed = [
        registry.add(p, Side.THEIRS, ours, _listed_path(rng))
        for p in crowd(rng, LISTED, ukrainian, "serviceman")
    ]
    held = _still_away(rng, registry, ours, captives - sum(map(len, came_home)) - LISTED)
    handed_over = _handed_over(rng, registry, theirs)
    registry.save(official)
    _, phases = exchange_1000(official, users["official2"])
    for phase, home, back in zip(phases, came_home, handed_over, strict=True):
        transfers(phase, home, Direction.RETURNED, official, confirmed=True)
        transfers(phase, back, Direction.HANDED_OVER, official, confirmed=True)
    next_phase = _exchange_84()
    transfers(next_phase, listed, Direction.RETURNED, official, confirmed=False)
    returned = [c for group in came_home for c in group]
    story.inquiries(returned, listed, held, users["caseworker"])
    story.sightings(rng, returned, held, users["caseworker"])
    story.release_list(rng, next_phase, listed, official, held)
    return f"Loaded {len(registry.captives)} captives and 2 exchanges; {len(returned)} came home."


def _came_home(rng: random.Random, registry: Registry, source: Provenance) -> list[list[Captive]]:
    groups = []
    for _number, day, _declared, civilians, named in PHASES:
        people = crowd(rng, named, ukrainian, "serviceman") + crowd(
            rng, civilians, ukrainian, "civilian"
        )
        groups.append([registry.add(p, Side.THEIRS, source, _home_path(rng, day)) for p in people])
    return groups


def _home_path(rng: random.Random, day: date) -> list[HistoryStep]:
    confirmed = date(2023, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.8 else None
    missing_since = date(2022, rng.randint(3, 12), rng.randint(1, 28))
    return path_home(missing_since, confirmed, day, Status.RETURNED)


def _listed_path(rng: random.Random) -> list[HistoryStep]:
    missing_since = date(2023, rng.randint(1, 12), rng.randint(1, 28))
    confirmed = date(2024, rng.randint(1, 12), rng.randint(1, 28))
    return path_home(missing_since, confirmed, NEXT_PHASE_DAY, Status.LISTED)


def _still_away(
    rng: random.Random, registry: Registry, source: Provenance, count: int
) -> list[Captive]:
    """The rest: most missing or confirmed in captivity, a few dead or released otherwise."""
    servicemen = count * 4 // 5
    people = crowd(rng, servicemen, ukrainian, "serviceman") + crowd(
        rng, count - servicemen, ukrainian, "civilian"
    )
    added = [registry.add(p, Side.THEIRS, source, _away_path(rng)) for p in people]
    return [c for c in added if c.status == Status.CONFIRMED_CAPTIVE]


def _away_path(rng: random.Random) -> list[HistoryStep]:
    registered = at(date(2022, rng.randint(3, 12), rng.randint(1, 28)))
    later = registered + timedelta(days=rng.randint(30, 600))
    steps: list[HistoryStep] = [(Status.MISSING, registered, wording.REPORTED_MISSING())]
    roll = rng.random()
    if roll < 0.40:
        steps.append((Status.CONFIRMED_CAPTIVE, later, wording.SEEN_BY_A_RETURNEE()))
    elif roll < 0.43:
        steps.append((Status.DECEASED, later, wording.DEATH_CONFIRMED()))
    elif roll < 0.45:
        steps.append((Status.RELEASED_OTHERWISE, later, wording.RELEASED_BY_AGREEMENT()))
    return steps


def _handed_over(rng: random.Random, registry: Registry, source: Provenance) -> list[list[Captive]]:
    groups = []
    for _number, day, servicemen, civilians, _named in PHASES:
        people = crowd(rng, servicemen, russian, "serviceman") + crowd(
            rng, civilians, russian, "civilian"
        )
        groups.append([registry.add(p, Side.OURS, source, _back_path(day)) for p in people])
    return groups


def _back_path(day: date) -> list[HistoryStep]:
    return [
        (Status.CONFIRMED_CAPTIVE, at(date(2024, 6, 1)), wording.HELD_BY_US()),
        (Status.LISTED, at(day - timedelta(days=3)), wording.ON_OUR_LIST()),
        (Status.RETURNED, at(day, 15), wording.HANDED_OVER()),
    ]


def _exchange_84() -> Phase:
    exchange = Exchange.objects.create(
        name="Обмін 84 на 84",
        agreed_on=date(2025, 10, 2),
        venue="Abu Dhabi",
        mediators="United Arab Emirates",
        agreed_returned_servicemen=LISTED,
        agreed_handed_over_servicemen=LISTED,
    )
    return Phase.objects.create(
        exchange=exchange,
        number=1,
        date=NEXT_PHASE_DAY,
        place="Sumy region border",
        declared_returned_servicemen=LISTED,
        declared_handed_over_servicemen=LISTED,
    )
