"""The systems ``python -m bench`` compares, each run as it would be used, in a process of its own.

Each run returns its decisions reduced to ``Outcome`` and its times: ``index_s`` what is done
once per registry (the engine's index, a baseline's transliterated names, Splink's tables and
training), ``run_s`` the list itself, ``peak_mib`` the growth of the process's peak resident set.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import resource
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from bench.baseline import Baseline, CdistBaseline
from bench.lists import ListRow
from bench.population import Someone
from bench.score import Outcome
from captives.matching import Person, RegistryIndex, reconcile
from captives.matching.index import settled_in_memory

Times = dict[str, float]
Run = tuple[list[Outcome], Times]


def as_person(someone: Someone) -> Person:
    return Person(
        id=someone.id,
        family_name=someone.family_name,
        given_name=someone.given_name,
        patronymic=someone.patronymic,
        birth_date=someone.birth_date,
        military_unit=someone.military_unit,
        service_number=someone.service_number,
        label=f"R{someone.id}",
    )


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def isolated(system: Callable[..., Run], *args: Any) -> Run:
    """``system(*args)`` in a forked child: a child's peak resident set starts from what it holds
    at the fork, so each system's peak is its own, not the high-water mark a system run before it
    in the same process left (the baseline's read 0 MiB after the engine's). Fork hands the
    arguments over without copying them; only the decisions come back."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_report, args=(send, system, args))
    child.start()
    send.close()
    result: Run = receive.recv()
    child.join()
    if child.exitcode:
        raise RuntimeError(f"{system.__name__} failed in its process ({child.exitcode})")
    return result


def _report(send: Connection, system: Callable[..., Run], args: tuple[Any, ...]) -> None:
    send.send(system(*args))
    send.close()


def run_engine(
    people: Sequence[Someone], rows: Sequence[ListRow], others: Sequence[Sequence[ListRow]]
) -> Run:
    """The engine as a worker runs it: build the index once, then reconcile the list; then
    ``others``, lists it has not seen, on the loaded index (their spellings are new to it)."""
    before = peak_mib()
    started = time.perf_counter()
    with settled_in_memory():  # as the worker builds the index it keeps
        index = RegistryIndex([as_person(p) for p in people])
    built = time.perf_counter()
    decisions = reconcile([r.entry for r in rows], index)
    done = time.perf_counter()
    loaded = []
    for other in others:
        start = time.perf_counter()
        reconcile([r.entry for r in other], index)
        loaded.append(time.perf_counter() - start)
    outcomes = [
        Outcome(d.outcome.value, d.person_id, d.best.person_id if d.best else None, d.reason)
        for d in decisions
    ]
    return outcomes, {
        "index_s": built - started,
        "run_s": done - built,
        "loaded_s": max(loaded, default=0.0),
        "loaded_median_s": sorted(loaded)[len(loaded) // 2] if loaded else 0.0,
        "peak_mib": peak_mib() - before,
    }


def run_naive(people: Sequence[Someone], rows: Sequence[ListRow]) -> Run:
    """The naive baseline, row by row over the registry (``process.extract``)."""
    before = peak_mib()
    started = time.perf_counter()
    baseline = Baseline(people)
    built = time.perf_counter()
    decisions = [baseline.decide(r.entry) for r in rows]
    done = time.perf_counter()
    outcomes = [Outcome(d.outcome, d.person_id, d.best_id) for d in decisions]
    return outcomes, _times(started, built, done, before)


def run_cdist(people: Sequence[Someone], rows: Sequence[ListRow]) -> Run:
    """The same rule as one score matrix on every core (``process.cdist``)."""
    before = peak_mib()
    started = time.perf_counter()
    baseline = CdistBaseline(people)
    built = time.perf_counter()
    decisions = baseline.decide_all([r.entry for r in rows])
    done = time.perf_counter()
    outcomes = [Outcome(d.outcome, d.person_id, d.best_id) for d in decisions]
    return outcomes, _times(started, built, done, before)


def splink_installed() -> bool:
    return importlib.util.find_spec("splink") is not None


def run_splink(people: Sequence[Someone], rows: Sequence[ListRow]) -> Run:
    """Splink (bench/peer.py): tables and training count as the index, as a model trained once
    would be saved and reused; prediction and our rules on its pairs as the run."""
    from bench.peer import decide, link

    before = peak_mib()
    started = time.perf_counter()
    pairs, trained = link(people, [r.entry for r in rows])
    decisions = decide([r.entry.line for r in rows], pairs)
    done = time.perf_counter()
    return decisions, _times(started, started + trained, done, before)


def _times(started: float, built: float, done: float, before: float) -> Times:
    return {"index_s": built - started, "run_s": done - built, "peak_mib": peak_mib() - before}
