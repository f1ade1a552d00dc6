"""``python -m bench.holdout [--registry N] [--rows M] [--seed S | --seeds S ...]``.

Per seed: empty the scratch database, write and import a registry, write the list as a file,
run ``manage.py reconcile FILE --out RESULT.csv`` as its own process (timed), score the result.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlparse

from bench.holdout.files import file_shape, write_list, write_registry
from bench.holdout.people import Individual, registry
from bench.holdout.release import ListRow, release_list
from bench.holdout.scoring import (
    Expected,
    Figures,
    Floor,
    Outcome,
    figures,
    read_results,
    table,
)
from bench.servers import scratch_database_url
from captives.sheets import SheetError, read_table
from exchanges.listfile import match_columns, parse_release_list

ROOT = Path(__file__).resolve().parent.parent.parent


def manage(*arguments: str) -> tuple[float, str]:
    """Run one management command as its own process: seconds taken and what it printed."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own manage.py, arguments we built
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {arguments[0]} failed: {done.stderr.strip()[-600:]}")
    return time.perf_counter() - started, done.stdout.strip()


def describe_population(people: list[Individual], rows: list[ListRow]) -> list[str]:
    names = collections.Counter(p.full_name for p in people)
    shared = [n for n in names.values() if n > 1]
    surnames = collections.Counter(p.family_name for p in people)
    registry_names = set(names)
    absent = [r for r in rows if not r.truth]
    styles = collections.Counter(r.rendering.style for r in rows)
    return [
        f"  registry: {len(people):,} people, {len(surnames):,} surnames, "
        f"{len(shared):,} full names shared by {sum(shared):,} people, "
        f"{sum(p.birth_date is None for p in people):,} without a birth date",
        f"  list: {len(rows):,} rows, {len(rows) - len(absent):,} present, {len(absent):,} absent "
        f"({sum(r.name in registry_names for r in absent)} of them registry namesakes), "
        f"{sum(r.repeat for r in rows)} repeated lines, "
        f"{sum(not r.rendering.identifying for r in rows)} with no date, unit or number",
        "  styles: " + ", ".join(f"{s} {n}" for s, n in styles.most_common()),
    ]


def _comparable(row: ListRow, person: Individual) -> bool:
    """Whether the row gives a date, unit or number that the registry holds for ``person``."""
    r = row.rendering
    return bool(
        (r.birth_date_text and person.birth_date)
        or (r.military_unit and person.military_unit)
        or (r.service_number and person.service_number)
    )


def floor_by_rule(people: list[Individual], rows: list[ListRow]) -> Floor:
    """Rows the issue's own rules put in front of a person, counted from the truth before the
    engine runs: a present row with nothing the registry can compare (never matched on a name
    alone), a repeated line (never two lines matched to one person), an absent namesake with
    nothing that tells them from the registry's bearer of the name."""
    known = {p.external_id: p for p in people}
    bearers = collections.defaultdict(list)
    for p in people:
        bearers[p.full_name].append(p)
    present = sum(
        1 for r in rows if r.truth and not r.repeat and not _comparable(r, known[r.truth])
    )
    repeats = sum(r.repeat for r in rows)
    namesakes = sum(
        1
        for r in rows
        if not r.truth and any(not _comparable(r, p) for p in bearers.get(r.name, ()))
    )
    # Also as the row is written: a row without the patronymic names everyone who shares the
    # surname and given name, and is a namesake of each (not counted in the ceiling above).
    written: dict[tuple[str, str], list[Individual]] = collections.defaultdict(list)
    for person in people:
        written[person.family_name, person.given.ukrainian].append(person)
    as_written = 0
    for r in rows:
        if r.truth or "P" in r.rendering.name_order.split():
            continue
        if any(not _comparable(r, p) for p in bearers.get(r.name, ())):
            continue  # counted among the namesakes already
        family, given, *_ = [*r.name.split(" "), ""]
        as_written += any(not _comparable(r, p) for p in written.get((family, given), ()))
    listed = sum(1 for r in rows if r.truth)
    return Floor(present, repeats, namesakes, as_written, listed, len(rows) - listed)


def parsed_columns(path: Path, headers: list[str]) -> str:
    """Which headers the project's parser took, and which it left unread."""
    found = match_columns(tuple(headers))
    taken = {headers[i]: field for field, i in found.items()}
    unread = [h for h in headers if h not in taken]
    try:
        entries = len(parse_release_list(read_table(path.read_bytes(), path.name)).entries)
    except SheetError as error:
        return f"  parser refused the file: {error}"
    return (
        f"  parser: {entries} rows read; columns "
        + ", ".join(f"“{h}”→{f}" for h, f in taken.items())
        + (f"; NOT RECOGNISED: {', '.join(f'“{h}”' for h in unread)}" if unread else "")
    )


def by_style(rows: list[ListRow], results: dict[int, Outcome]) -> list[str]:
    lines = ["  per style:                 rows   coverage  recall  false auto  review+conflict"]
    for style in sorted({r.rendering.style for r in rows}):
        subset = [expected(r) for r in rows if r.rendering.style == style]
        f = figures(subset, results)
        lines.append(
            f"    {style:<22} {f.rows:>6} {f.coverage:>10.3f} {f.recall:>7.3f} "
            f"{f.false_auto:>11} {f.review_conflict:>16}"
        )
    return lines


# What the engine's explanations say first, for each cause of a row left to a person.
CAUSES = (
    ("only the name can be compared", "name alone"),
    ("nothing else the row gives confirms", "nothing else confirms"),
    ("plausible but not certain", "uncertain"),
    ("of this list claim the same person", "two lines, one person"),
    ("namesakes fit about equally", "namesakes, nothing to tell apart"),
    ("registry people fit about equally", "several fit equally"),
    ("already recorded as returned or dead", "returned or dead"),
)


def left_to_people(results: dict[int, Outcome]) -> str:
    """Review and conflict rows by the cause their explanation gives first."""
    causes = collections.Counter(
        next((cause for words, cause in CAUSES if words in o.explanation[:160]), "other")
        for o in results.values()
        if o.outcome in ("review", "conflict")
    )
    return "  review + conflict by cause: " + ", ".join(f"{c} {n}" for c, n in causes.most_common())


def misses(
    rows: list[ListRow], results: dict[int, Outcome], people: list[Individual], limit: int
) -> list[str]:
    """Up to ``limit`` rows the engine got wrong or left to a person: the row, the registry's
    record of the person, and what the engine said."""
    if not limit:
        return []
    known = {p.external_id: p for p in people}
    lines = []
    for row in rows:
        got = results.get(row.line, Outcome("unmatched", ""))
        if row.truth and got.outcome == "matched" and got.candidate == row.truth:
            continue
        if not row.truth and got.outcome == "unmatched":
            continue
        r, p = row.rendering, known.get(row.truth)
        record = f"{p.birth_date}, {p.military_unit or '-'}, {p.service_number or '-'}" if p else ""
        lines.append(
            f"    {row.line:>5} {r.style:<18} {r.full_name!r} {r.birth_date_text!r} "
            f"{r.military_unit!r} {r.service_number!r} — truth {row.truth or 'absent'} "
            f"({row.name}{', ' + record if record else ''}); {got.outcome} {got.candidate}: "
            f"{got.explanation[:110]}"
        )
    return ["  rows not decided rightly by themselves:", *lines[:limit]] if lines else []


def expected(row: ListRow) -> Expected:
    return Expected(row.line, row.truth, row.rendering.identifying)


def run_seed(seed: int, size: int, count: int, folder: Path, shown: int) -> Figures | None:
    """One seed end to end; prints its table and returns its figures."""
    people = registry(size, seed)
    rows = release_list(people, count, seed)
    shape = file_shape(seed)
    print(f"\n== seed {seed}: registry {size:,}, list {count:,} rows ==")
    print("\n".join(describe_population(people, rows)))
    floor = floor_by_rule(people, rows)
    print(floor.describe())
    registry_csv = folder / f"registry-{seed}.csv"
    list_file = folder / f"list-{seed}{shape.suffix}"
    result_csv = folder / f"result-{seed}.csv"
    write_registry(people, registry_csv)
    lost = write_list(rows, shape, list_file, seed)
    print(f"  file: {shape.describe()}" + (f"; {lost} characters lost to cp1251" if lost else ""))
    print(parsed_columns(list_file, list(shape.headers.values())))
    manage("flush", "--no-input")
    seconds, said = manage("import_registry", str(registry_csv), "--source", "holdout")
    print(f"  import_registry: {seconds:.1f} s ({said})")
    try:
        seconds, said = manage("reconcile", str(list_file), "--out", str(result_csv))
    except RuntimeError as error:
        print(f"  {error}")
        return None
    print(f"  reconcile: {said}")
    results = read_results(result_csv)
    f = figures([expected(r) for r in rows], results)
    listed = collections.Counter(r.truth for r in rows if r.truth)
    once = figures([expected(r) for r in rows if listed[r.truth] < 2], results)
    print(f"  {'figure':<50} {'value':>12} {'(count)':<14} {'target':<12}")
    print("\n".join(table(f, seconds, once, floor)))
    print(left_to_people(results))
    print("\n".join(by_style(rows, results)))
    missed = misses(rows, results, people, shown)
    if missed:
        print("\n".join(missed))
    return f


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.holdout")
    parser.add_argument("--registry", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--misses", type=int, default=0, help="show this many missed rows")
    args = parser.parse_args()
    if args.rows > args.registry:
        parser.error("--rows must not exceed --registry: the list draws its people from it")
    name = urlparse(scratch_database_url()).path.lstrip("/")
    print(f"hold-out benchmark on database {name}")
    manage("migrate", "-v0")
    with TemporaryDirectory() as folder:
        for seed in args.seeds or [args.seed]:
            run_seed(seed, args.registry, args.rows, Path(folder), args.misses)


if __name__ == "__main__":
    main()
