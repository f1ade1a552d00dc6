"""A release list with known truth: mostly registry people, some absent ones, a few repeats."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from bench.holdout.clerks import Rendering, real_birth_date, render
from bench.holdout.people import Individual, absent

ABSENT = 0.10  # of rows name someone not in the registry
ABSENT_NAMESAKES = 0.40  # of those bear a registry person's full name (another birth date)
REPEATED = 0.006  # of rows copy an earlier row of the same list, word for word


@dataclass(frozen=True)
class ListRow:
    """Line ``line`` of the list; ``truth`` is the registry external id, or "" if absent."""

    line: int
    truth: str
    name: str  # the person's full name in Ukrainian, as the registry would hold it
    rendering: Rendering
    repeat: bool = False


def release_list(people: list[Individual], rows: int, seed: int) -> list[ListRow]:
    """``rows`` rows, the same for the same registry and seed, in list order."""
    rng = random.Random(f"holdout-list-{seed}")
    repeats = round(rows * REPEATED)
    distinct = rows - repeats
    absentees = absent(round(distinct * ABSENT), seed, people, ABSENT_NAMESAKES)
    chosen = [(p, True) for p in rng.sample(people, distinct - len(absentees))]
    chosen += [(p, False) for p in absentees]
    rng.shuffle(chosen)
    drafted = [
        ListRow(
            0,
            p.external_id if present else "",
            p.full_name,
            render(p, rng, real_birth_date(p, rng)),
        )
        for p, present in chosen
    ]
    for _ in range(repeats):
        at = rng.randrange(len(drafted) // 2, len(drafted) + 1)
        drafted.insert(at, replace(drafted[rng.randrange(at)], repeat=True))
    return [replace(row, line=line) for line, row in enumerate(drafted, start=1)]
