"""``python -m bench.coldstart`` (``make bench-coldstart``): a cold start beside a warm one.

Steps: fill the scratch database in DATABASE_URL with a generated registry (100,000 people by
default, through ``import_registry``, kept for the next run; ``bench.load.seed``) and write a
1,000-row list; compile the app's bytecode as the image does. Then, in one run, so that the
machine's load weighs alike on all of them:

1. ``manage.py reconcile`` as a fresh process, its index loaded from the file an earlier
   process left (``captives.index_file``; one untimed run writes it first), deciding the rows
   on every core as it does by default, and again in one process; the same with no
   file, the index built from the name keys stored with each person; the same with every
   stored key stale as well (the naive baseline: each name worked out again, as before keys
   were stored); and a tiny ``rapidfuzz.process.cdist`` baseline, loading the same registry
   from the same database and scoring the list against all of it at once. Each ``--rounds``
   times, interleaved; the best of each. Then, in one process, the registry loaded and indexed
   from stored keys and naive in turns, and the index loaded from its file (CPU, the best of
   ``--rounds``): the part of a cold start the keys and the file change, without the noise
   around it. And the least any cold start could take: a bare Python and Django start, plus
   the command on an index already in its process (the list's own work).
2. gunicorn with one worker as production runs it (``config/gunicorn.py``: preload, the index
   loaded in the master from its file before the fork): the first search of a fresh worker,
   and again after the worker is killed and the master forks a new one. Beside it the naive
   baseline, the same server with ``WARM_UP_AT_START=false`` and no file, whose worker builds
   its index on its first search.
3. Each worker's memory after 21 searches and after 501, from ``/proc/<pid>/smaps_rollup``:
   USS (what is its own: what one more worker costs) and PSS, beside a bare Django worker that
   served a page and never built an index.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from tempfile import TemporaryDirectory

from bench.servers import gunicorn, production_django, redis_server, scratch_database_url

ROOT = Path(__file__).resolve().parent.parent
TARGETS = (
    "reconcile cold <= 0.5x the cdist baseline; first search on a fresh worker < 0.5 s; "
    "memory per extra worker < 50 MiB (USS) beyond a bare Django worker"
)
SETUP = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
"""
# The command as ``manage.py reconcile`` runs it (without the system checks manage.py runs first,
# a second that is no part of this), and the naive baseline: the same with every stored key
# stale (as if made by another version), so the index works each name out again.
RECONCILE_SCRIPT = (
    SETUP
    + """
if sys.argv[3] == "stale":
    import captives.matching.stored as stored
    stored.keys_version = lambda: "stale"
from django.core.management import call_command
call_command("reconcile", sys.argv[1], "--out", sys.argv[2], "--processes", sys.argv[4])
"""
)
# The part of a cold start no index can save: the command on an index already built in the same
# process (reading the list, its names read and transliterated afresh, the decisions, the file
# written). Added to a bare start (SETUP alone, its own process) it is the least any cold
# ``reconcile`` could take, however its index were stored or loaded.
WARM_SCRIPT = (
    SETUP
    + """
import json
from django.core.management import call_command
from captives.registry import registry_index
registry_index()
started = time.perf_counter()
call_command("reconcile", sys.argv[1], "--out", sys.argv[2])
print(json.dumps(time.perf_counter() - started))
"""
)
# rapidfuzz's cdist: every row of the list against every person at once, in C on every core.
CDIST_SCRIPT = (
    SETUP
    + """
import csv
from rapidfuzz import fuzz, process
from unidecode import unidecode
from captives.models import Captive
names = Captive.objects.values_list("id", "family_name", "given_name", "patronymic")
ids = [pk for pk, *_ in names]
choices = [unidecode(f"{f} {g} {p}").lower() for _, f, g, p in names]
with open(sys.argv[1], encoding="utf-8") as source:
    queries = [unidecode(row["full_name"]).lower() for row in csv.DictReader(source)]
scores = process.cdist(queries, choices, scorer=fuzz.token_sort_ratio, workers=-1)
best = [ids[i] for i in scores.argmax(axis=1)]
"""
)
# The registry loaded and indexed in one process, from stored keys and worked out again in
# turns, each key cache emptied first as in a new process: the part of a cold start the stored
# keys change, without the process start, the list and the machine's noise around it.
INDEX_SCRIPT = (
    SETUP
    + """
import json
from captives import index_file
from captives.matching import keys, readings, stored
from captives.matching.index import RegistryIndex
from captives.registry import load_persons, registry_version
caches = [keys.fine_key, keys.coarse_key, keys.folded_key, readings.family_keys,
          readings.given_keys, readings.patronymic_keys]
version, best = stored.keys_version, {}
for _ in range(int(sys.argv[1])):
    for name, current in (("stored", version), ("naive", lambda: "stale")):
        for cache in caches:
            cache.cache_clear()
        stored.keys_version = current
        started = time.process_time()
        index = RegistryIndex(load_persons())
        best[name] = min(best.get(name, 1e9), time.process_time() - started)
    stored.keys_version = version
    index_file.save(index, registry_version())
    del index
    started = time.process_time()
    index_file.load(registry_version())
    best["file"] = min(best.get("file", 1e9), time.process_time() - started)
print(json.dumps(best))
"""
)
FIRST_SEARCH = "Шевченко Андрій"
# A worker's memory is read after this many searches, and again after ``LONG_USE``: CPython
# writes a reference count into each object a search touches, so the pages of the shared index
# a worker has touched become its own, and its memory grows with use.
SHORT_USE, LONG_USE = 21, 501


NOT_THE_APP = r"/(tests|bench|node_modules|\.venv)/"  # as the Dockerfile leaves them out


def compile_bytecode() -> None:
    """The app's bytecode compiled once, as the image does (Dockerfile): where
    PYTHONDONTWRITEBYTECODE is set and nothing has compiled it, every process would compile
    each of the app's modules it imports at its start (about 0.13 s of a Django start here), a cost
    no deployment pays."""
    subprocess.run(  # noqa: S603 - our own interpreter and the standard library's module
        [sys.executable, "-m", "compileall", "-q", "-x", NOT_THE_APP, str(ROOT)],
        check=True,
    )


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user and system, every thread) of one command as its own process:
    on a shared machine the CPU time is the steadier of the two."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, env=env)  # noqa: S603
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), command)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def reconcile_figures(size: int, rounds: int) -> dict[str, tuple[float, float]]:
    """The best of ``rounds`` (wall, CPU) for the command with its index's file, without it,
    its naive baseline and the cdist baseline (the file in REGISTRY_INDEX_DIR, from ``main``)."""
    from bench.database import write_list
    from bench.population import registry
    from exchanges.management.commands.reconcile import usable_cores

    best: dict[str, tuple[float, float]] = {}
    without_file = os.environ | {"REGISTRY_INDEX_DIR": ""}
    with TemporaryDirectory() as folder:
        listed, out = Path(folder) / "list.csv", str(Path(folder) / "out.csv")
        write_list(registry(size, 1), 1000, listed)
        command = [sys.executable, "-c", RECONCILE_SCRIPT, str(listed), out]
        cores = str(usable_cores())  # the command's default
        commands = {
            "file": ([*command, "stored", cores], None),
            "one": ([*command, "stored", "1"], None),
            "stored": ([*command, "stored", cores], without_file),
            "naive": ([*command, "stale", cores], without_file),
            "cdist": ([sys.executable, "-c", CDIST_SCRIPT, str(listed)], None),
        }
        warm = [sys.executable, "-c", WARM_SCRIPT, str(listed), out]
        timed(commands["file"][0])  # the first process builds the index and leaves its file
        for _ in range(rounds):
            for name, (command, env) in commands.items():
                seconds = timed(command, env)
                best[name] = min(best.get(name, seconds), seconds)  # the least wall time
            start = timed([sys.executable, "-c", SETUP])
            best["start"] = min(best.get("start", start), start)
            output = subprocess.run(  # noqa: S603 - our own interpreter and script
                warm, cwd=ROOT, check=True, capture_output=True, text=True
            ).stdout
            listed_s = float(json.loads(output.splitlines()[-1]))
            best["list"] = min(best.get("list", (listed_s, 0.0)), (listed_s, 0.0))
    return best


def index_cpu(rounds: int) -> dict[str, float]:
    """CPU seconds to load and index the registry, from stored keys and naive, the best of
    ``rounds`` each, in one process."""
    command = [sys.executable, "-c", INDEX_SCRIPT, str(rounds)]
    output = subprocess.run(  # noqa: S603 - our own interpreter and script
        command, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    figures: dict[str, float] = json.loads(output.splitlines()[-1])
    return figures


def workers_of(master: int) -> list[int]:
    """The pids of a gunicorn master's workers (its children)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def masters() -> set[int]:
    """Our gunicorn masters: the children of this process running gunicorn."""
    found = set()
    for pid in workers_of(os.getpid()):
        if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes():
            found.add(pid)
    return found


def memory_mib(pid: int) -> tuple[float, float]:
    """USS (private pages) and PSS of a process, in MiB, from /proc/<pid>/smaps_rollup."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    uss = fields["Private_Clean"] + fields["Private_Dirty"]
    return uss / 1024, fields["Pss"] / 1024


def search_seconds(base: str, cookie: str, query: str) -> float:
    url = f"{base}/registry/?{urllib.parse.urlencode({'q': query})}"
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback
        response.read()
        if response.status != 200:
            raise RuntimeError(f"search answered HTTP {response.status}")
    return time.perf_counter() - started


def respawned(master: int, gone: int, timeout: float = 60) -> int:
    """The worker the master forks after ``gone`` was killed."""
    os.kill(gone, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fresh = [pid for pid in workers_of(master) if pid != gone]
        if fresh:
            return fresh[0]
        time.sleep(0.05)
    raise RuntimeError("gunicorn forked no new worker")


def pool_figures(env: dict[str, str], cookie: str, queries: list[str]) -> dict[str, float]:
    """One worker: its first search, a few more, its memory; then a fresh worker's first."""
    before = masters()
    with gunicorn(env, workers=1) as base:
        (master,) = masters() - before
        (worker,) = workers_of(master)
        first = search_seconds(base, cookie, FIRST_SEARCH)
        for done, query in enumerate(queries, start=2):
            search_seconds(base, cookie, query)
            if done == SHORT_USE:
                uss, pss = memory_mib(worker)
        long_uss, long_pss = memory_mib(worker)
        fresh = respawned(master, worker)
        again = search_seconds(base, cookie, FIRST_SEARCH)
        if fresh not in workers_of(master):
            raise RuntimeError("the fresh worker was replaced meanwhile")
    return {
        "first_s": first,
        "fresh_first_s": again,
        "uss": uss,
        "pss": pss,
        "long_uss": long_uss,
        "long_pss": long_pss,
    }


def bare_worker_mib(env: dict[str, str], cookie: str) -> tuple[float, float]:
    """A Django worker that served the search page with nothing searched: no index."""
    before = masters()
    with gunicorn(env | {"WARM_UP_AT_START": "false"}, workers=1) as base:
        (master,) = masters() - before
        (worker,) = workers_of(master)
        search_seconds(base, cookie, "")
        return memory_mib(worker)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coldstart")
    parser.add_argument("--registry", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each command")
    args = parser.parse_args()
    database_url = scratch_database_url()
    with redis_server() as redis_url:
        production_django(database_url, redis_url, bench="coldstart")
        from bench.load import credentials, search_queries, seed

        seed(args.registry, database_url)
        from django.core.management import call_command

        call_command("store_name_keys")  # a registry seeded before keys were stored
        found = credentials()
        queries = search_queries(LONG_USE - 1)
        from django.db import connections

        connections.close_all()
        compile_bytecode()
        load = os.getloadavg()[0]
        with TemporaryDirectory() as folder:
            # The index's file, as production keeps it; every process below may use it.
            os.environ["REGISTRY_INDEX_DIR"] = folder
            reconciled = reconcile_figures(args.registry, args.rounds)
            indexed = index_cpu(args.rounds)
            env = os.environ | {"ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"}
            warm = pool_figures(env, found["session"], queries)
            naive = pool_figures(
                env | {"WARM_UP_AT_START": "false", "REGISTRY_INDEX_DIR": ""},
                found["session"],
                queries,
            )
            bare = bare_worker_mib(env, found["session"])
    report(args, load, reconciled, indexed, warm, naive, bare)


def report(
    args: argparse.Namespace,
    load: float,
    reconciled: dict[str, tuple[float, float]],
    indexed: dict[str, float],
    warm: dict[str, float],
    naive: dict[str, float],
    bare: tuple[float, float],
) -> None:
    print(f"targets: {TARGETS}")
    print(f"registry {args.registry:,}; best of {args.rounds}; load average before: {load:.2f}")
    cdist, cdist_cpu = reconciled["cdist"]
    for name, label in (
        ("file", "reconcile, cold, index loaded from its file"),
        ("one", "reconcile, cold, index loaded from its file, one process (--processes 1)"),
        ("stored", "reconcile, cold, no file: index built from stored keys"),
        ("naive", "reconcile, cold, no file, every key worked out again (naive)"),
        ("cdist", "rapidfuzz cdist baseline, same list and database"),
    ):
        seconds, cpu = reconciled[name]
        print(
            f"{label}: {seconds:.2f} s ({seconds / cdist:.2f}x cdist); "
            f"CPU {cpu:.2f} s ({cpu / cdist_cpu:.2f}x)"
        )
    start, listed = reconciled["start"][0], reconciled["list"][0]
    print(
        f"least a cold reconcile could take: Python and Django started {start:.2f} s + the "
        f"command on an index already in the process {listed:.2f} s = {start + listed:.2f} s "
        f"({(start + listed) / cdist:.2f}x cdist)"
    )
    print(
        f"registry loaded and indexed in one process, CPU: from stored keys "
        f"{indexed['stored']:.2f} s, every key worked out again (naive) {indexed['naive']:.2f} s "
        f"({indexed['stored'] / indexed['naive']:.2f}x); the index loaded from its file "
        f"{indexed['file']:.2f} s ({indexed['file'] / indexed['naive']:.2f}x)"
    )
    for figures, label in ((warm, "preloaded index"), (naive, "no warm-up (naive)")):
        print(
            f"gunicorn, {label}: first search {figures['first_s']:.3f} s; a fresh worker's "
            f"first {figures['fresh_first_s']:.3f} s; worker after {SHORT_USE} searches USS "
            f"{figures['uss']:.0f} MiB, PSS {figures['pss']:.0f} MiB; after {LONG_USE} USS "
            f"{figures['long_uss']:.0f} MiB, PSS {figures['long_pss']:.0f} MiB"
        )
    print(
        f"bare Django worker (no index): USS {bare[0]:.0f} MiB, PSS {bare[1]:.0f} MiB; "
        f"extra per preloaded worker: {warm['uss'] - bare[0]:+.0f} MiB USS after {SHORT_USE} "
        f"searches, {warm['long_uss'] - bare[0]:+.0f} MiB after {LONG_USE}; naive "
        f"{naive['uss'] - bare[0]:+.0f} MiB, {naive['long_uss'] - bare[0]:+.0f} MiB"
    )


if __name__ == "__main__":
    main()
