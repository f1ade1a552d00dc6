"""``python -m bench.database``: the registry import and the ``reconcile`` command, end to end
against the database in DATABASE_URL, timed beside the naive baseline on the same files.

Steps: write a generated registry as CSV and import it with ``import_registry`` (timed, and again
to show the upsert is idempotent); write a generated list as CSV; run ``reconcile FILE --out``
as a fresh process (timed: it loads the registry from the database and builds the index); run
the baseline the same way, loading the registry from the database too.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from bench.lists import release_list
from bench.population import Someone, registry
from bench.servers import scratch_database_url

ROOT = Path(__file__).resolve().parent.parent
BASELINE_SCRIPT = """
import csv, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from captives.models import Captive
from bench.baseline import Baseline
from bench.population import Someone
from captives.matching import Entry
people = [Someone(pk, f, g, p, "", False, b, u, s) for pk, f, g, p, b, u, s in
          Captive.objects.values_list("id", "family_name", "given_name", "patronymic",
                                      "birth_date", "military_unit", "service_number")]
baseline = Baseline(people)
with open(sys.argv[1], encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
for row in rows:
    baseline.decide(Entry(int(row["line"]), row["full_name"]))
"""


def write_registry(people: list[Someone], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "external_id",
                "family_name",
                "given_name",
                "patronymic",
                "date_of_birth",
                "sex",
                "citizenship",
                "category",
                "military_unit",
                "service_number",
                "status",
            ]
        )
        for p in people:
            writer.writerow(
                [
                    f"B{p.id}",
                    p.family_name,
                    p.given_name,
                    p.patronymic,
                    p.birth_date.isoformat() if p.birth_date else "",
                    "female" if p.female else "male",
                    "UA",
                    "serviceman" if p.military_unit else "civilian",
                    p.military_unit,
                    p.service_number,
                    "captive",
                ]
            )


def write_list(people: list[Someone], rows: int, path: Path, seed: int = 1001) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["line", "full_name", "date_of_birth", "unit", "service_number"])
        for row in release_list(people, rows, seed):
            e = row.entry
            writer.writerow(
                [e.line, e.full_name, e.birth_date_text, e.military_unit, e.service_number]
            )


def timed(command: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one command, run as its own process."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own manage.py, arguments we built
        command, cwd=ROOT, env=os.environ | {"DEBUG": "true"}, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.database")
    parser.add_argument("--registry", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    scratch_database_url()  # exits unless DATABASE_URL names a scratch database
    people = registry(args.registry, 1)
    manage = [sys.executable, "manage.py"]
    with TemporaryDirectory() as folder:
        registry_csv, list_csv = Path(folder) / "registry.csv", Path(folder) / "list.csv"
        write_registry(people, registry_csv)
        write_list(people, args.rows, list_csv)
        timed([*manage, "migrate", "-v0"])
        first = timed([*manage, "import_registry", str(registry_csv), "--source", "bench"])
        again = timed([*manage, "import_registry", str(registry_csv), "--source", "bench"])
        ours = timed([*manage, "reconcile", str(list_csv), "--out", str(Path(folder) / "out.csv")])
        naive = timed([sys.executable, "-c", BASELINE_SCRIPT, str(list_csv)])
    report(args, first, again, ours, naive)


def report(
    args: argparse.Namespace,
    first: tuple[float, float],
    again: tuple[float, float],
    ours: tuple[float, float],
    naive: tuple[float, float],
) -> None:
    print(
        f"import_registry, {args.registry:,} rows: {first[0]:.1f} s, peak {first[1]:.0f} MiB; "
        f"again, nothing changes: {again[0]:.1f} s"
    )
    print(
        f"reconcile command, {args.rows:,} rows, registry loaded from the database and "
        f"indexed: {ours[0]:.1f} s, peak {ours[1]:.0f} MiB"
    )
    print(
        f"naive baseline, same list, registry loaded from the same database: {naive[0]:.1f} s, "
        f"peak {naive[1]:.0f} MiB"
    )


if __name__ == "__main__":
    main()
