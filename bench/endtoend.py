"""``python -m bench.endtoend`` (``make bench-endtoend``): a release list from upload to its last
row stored, through a real Celery worker, and the registry import; at 100,000 and 200,000
people, to show how each grows when the registry doubles.

Steps, for each registry size: make the scratch database in DATABASE_URL anew and migrate it;
import the generated registry with ``import_registry`` as its own process (time, peak memory),
in files of 100,000 people, because one file may hold 20 MB;
start a Redis and a solo Celery worker of its own; upload a 1,000-row list as the upload page
does (stored, then queued after commit) and wait for the last row's decision; then a second
list on the same worker, whose registry index is already built. The worker's peak memory is
read from /proc.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory

from bench.database import timed, write_list, write_registry
from bench.population import registry
from bench.servers import (
    celery_worker,
    peak_rss_mib,
    recreate_database,
    redis_server,
    scratch_database_url,
    stop,
)

FILE_PEOPLE = 100_000


@dataclass(frozen=True)
class Run:
    people: int
    import_s: float
    import_mib: float
    cold_s: float
    warm_s: float
    worker_mib: float


def _reconcile_through_worker(data: bytes, name: str) -> float:
    """Seconds from the upload's commit to the list's last row stored."""
    from exchanges.models import ReleaseList
    from exchanges.reconciliation import receive_release_list
    from tests.factories import make_exchange, make_phase

    phase = make_phase(make_exchange(name=name))
    started = time.perf_counter()
    release_list, _ = receive_release_list(
        phase=phase,
        data=data,
        filename=f"{name}.csv",
        received_on=date(2025, 5, 21),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=None,
    )
    while True:
        release_list.refresh_from_db()
        if release_list.state == ReleaseList.State.RECONCILED:
            return time.perf_counter() - started
        if release_list.state == ReleaseList.State.FAILED or time.perf_counter() - started > 600:
            raise RuntimeError(f"list {name} ended {release_list.state}")
        time.sleep(0.05)


def run(people: int, rows: int, database_url: str, redis_url: str, folder: Path) -> Run:
    from django.db import connections

    connections.close_all()
    recreate_database(database_url)
    manage = [sys.executable, "manage.py"]
    timed([*manage, "migrate", "-v0"])
    someone = registry(people, 1)
    parts = []  # a registry file may hold 20 MB (captives/sheets.py): 100,000 people a file
    for start in range(0, people, FILE_PEOPLE):
        path = folder / f"registry-{start // FILE_PEOPLE + 1}.csv"
        write_registry(someone[start : start + FILE_PEOPLE], path)
        parts.append(timed([*manage, "import_registry", str(path), "--source", "e2e"]))
    imported = (sum(s for s, _ in parts), max(mib for _, mib in parts))
    write_list(someone, rows, folder / "first.csv")
    write_list(someone, rows, folder / "next.csv", seed=1002)
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    worker = celery_worker(os.environ | {"REDIS_URL": redis_url}, folder / "worker.log")
    try:
        cold = _reconcile_through_worker((folder / "first.csv").read_bytes(), "cold")
        warm = _reconcile_through_worker((folder / "next.csv").read_bytes(), "warm")
        worker_mib = peak_rss_mib(worker.pid)
    finally:
        stop(worker)
    return Run(people, imported[0], imported[1], cold, warm, worker_mib)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.endtoend")
    parser.add_argument("--registries", default="100000,200000")
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    database_url = scratch_database_url()
    runs = []
    with redis_server() as redis_url, TemporaryDirectory() as folder:
        os.environ.update(
            REDIS_URL=redis_url,
            DJANGO_SETTINGS_MODULE="config.settings",
            SECRET_KEY=os.environ.get("SECRET_KEY", "bench-endtoend-only"),
            PIN_KEYS=os.environ.get("PIN_KEYS", "bench:endtoend-only-pin-key-not-for-production"),
        )
        import django

        django.setup()
        for people in (int(n) for n in args.registries.split(",")):
            runs.append(run(people, args.rows, database_url, redis_url, Path(folder)))
            print(line(runs[-1], args.rows), flush=True)
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        print(
            f"registry x{last.people / first.people:.0f}: import time x"
            f"{last.import_s / first.import_s:.2f}, import peak x"
            f"{last.import_mib / first.import_mib:.2f}; list cold x{last.cold_s / first.cold_s:.2f}"
            f", warm x{last.warm_s / first.warm_s:.2f}; worker peak x"
            f"{last.worker_mib / first.worker_mib:.2f}"
        )
    print(f"load average: {os.getloadavg()[0]:.2f} (the machine is shared)")


def line(result: Run, rows: int) -> str:
    return (
        f"registry {result.people:,}: import {result.import_s:.1f} s, peak "
        f"{result.import_mib:.0f} MiB; {rows:,}-row list, upload to last row stored through a "
        f"Celery worker: {result.cold_s:.1f} s on a fresh worker (it loads and indexes the "
        f"registry), {result.warm_s:.1f} s for the next list; worker peak "
        f"{result.worker_mib:.0f} MiB"
    )


if __name__ == "__main__":
    main()
