"""``python -m bench.traps``: strangers who share all but one name part with a registry person.

Every row is someone the registry does not hold, so every automatic match is false. Each shares
a registry person's date of birth (and, one row in two, unit) and all of the name but one part:

- *twin*: another given name under the same surname and father's name (twins, often captured
  together, share everything else);
- *another surname*: the same given name and father's name under another surname;
- *another father*: the same surname and given name under another father's name, written
  (a row that leaves the father's name out is the registry person's own row, and no trap).

The rows are written as the main benchmark writes its lists (``bench.lists.make_row``: styles,
orders, typos, a date sometimes left out), and the same three systems decide them under the
same rules as in ``python -m bench``. These rows were written after the engine learnt to tell
them apart (session 9), to show what that is worth beside the others; they are no blind test.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from bench.lists import ListRow, make_row
from bench.population import Someone, registry
from bench.profiles import DATED
from bench.score import Outcome
from bench.systems import Run, isolated, run_cdist, run_engine, run_splink, splink_installed
from demo.names import patronymic

KINDS = ("twin", "another surname", "another father")


def trap(someone: Someone, kind: str, donor: Someone, rng: random.Random) -> Someone:
    """``someone`` with one name part taken from ``donor`` (a registry person of the same sex
    whose part differs), nothing of their papers, and their unit one time in two."""
    unit = someone.military_unit if rng.random() < 0.5 else ""
    stranger = replace(someone, id=-1, service_number="", military_unit=unit)
    if kind == "twin":
        return replace(stranger, given_name=donor.given_name)
    if kind == "another surname":
        return replace(stranger, family_name=donor.family_name)
    return replace(
        stranger, father=donor.father, patronymic=patronymic(donor.father, someone.female)
    )


def _differs(someone: Someone, donor: Someone, kind: str) -> bool:
    if donor.female != someone.female:
        return False
    if kind == "twin":
        return donor.given_name != someone.given_name
    if kind == "another surname":
        return donor.family_name != someone.family_name
    return donor.father != someone.father


def trap_list(people: Sequence[Someone], rows: int, seed: int) -> list[tuple[ListRow, str]]:
    """``rows`` rows, the three kinds in turn, each with the kind it is."""
    rng = random.Random(seed)
    dated = [p for p in people if p.birth_date]
    listed = []
    for line in range(1, rows + 1):
        kind = KINDS[(line - 1) % len(KINDS)]
        someone = rng.choice(dated)
        donor = rng.choice(people)
        while not _differs(someone, donor, kind):
            donor = rng.choice(people)
        stranger = trap(someone, kind, donor, rng)
        row = make_row(line, stranger, None, rng, profile=DATED)
        while kind == "another father" and "P" not in row.order:
            row = make_row(line, stranger, None, rng, profile=DATED)  # else it is his own row
        listed.append((row, kind))
    return listed


def tally(outcomes: Sequence[Outcome], kinds: Sequence[str]) -> dict[str, Counter[str]]:
    """Each system's outcomes by kind of row, and in all."""
    counts: dict[str, Counter[str]] = {kind: Counter() for kind in (*KINDS, "all")}
    for outcome, kind in zip(outcomes, kinds, strict=True):
        counts[kind][outcome.outcome] += 1
        counts["all"][outcome.outcome] += 1
    return counts


def line(name: str, counts: dict[str, Counter[str]]) -> str:
    every = counts["all"]
    by_kind = " ".join(f"{counts[k]['matched']:>7}" for k in KINDS)
    return (
        f"{name:<8} {every['matched']:>6} {by_kind}   {every['review'] + every['conflict']:>6} "
        f"{every['unmatched']:>9}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.traps")
    parser.add_argument("--registry", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-splink", action="store_true", help="not the peer")
    args = parser.parse_args()
    people = registry(args.registry, args.seed, DATED)
    listed = trap_list(people, args.rows, args.seed)
    rows, kinds = [row for row, _ in listed], [kind for _, kind in listed]
    print(
        f"traps: registry {args.registry:,} people (profile dated, seed {args.seed}), "
        f"{len(rows)} rows of people it does not hold: every automatic match is false"
    )
    print(
        f"{'':<8} {'false':>6} "
        + " ".join(f"{kind.split()[-1]:>7}" for kind in KINDS)
        + "   review unmatched"
    )
    systems: list[tuple[str, Callable[..., Run], tuple[object, ...]]] = [
        ("engine", run_engine, (people, rows, [])),
        ("cdist", run_cdist, (people, rows)),
    ]
    if not args.no_splink and splink_installed():
        systems.append(("splink", run_splink, (people, rows)))
    for name, system, arguments in systems:
        outcomes, _times = isolated(system, *arguments)
        print(line(name, tally(outcomes, kinds)))


if __name__ == "__main__":
    main()
