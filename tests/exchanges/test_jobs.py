"""The reconciliation job's claim and heartbeat: a live job is never taken twice, a dead one is
found within a minute, and its heartbeat moves with the real clock while it works."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from captives.matching import reconcile
from captives.registry import registry_index
from exchanges.jobs import (
    STALE_AFTER,
    ClaimLostError,
    claim_release_list,
    requeue_lost_release_lists,
)
from exchanges.models import Outcome, ReleaseList, ReleaseListRow
from exchanges.reconciliation import (
    RECONCILED,
    _store,
    entry_of,
    reconcile_release_list,
    reviewers_memory,
)
from tests.factories import make_captive, make_phase
from tests.workers import wait_for

NOW = datetime(2025, 5, 22, 9, 0, tzinfo=UTC)


def _release_list(rows: int = 3) -> ReleaseList:
    release_list = ReleaseList.objects.create(
        phase=make_phase(), received_on=date(2025, 5, 21), sha256="f" * 64, rows_total=rows
    )
    ReleaseListRow.objects.bulk_create(
        ReleaseListRow(
            release_list=release_list,
            line_number=n,
            full_name=f"Шевченко Олександр {n}",
            birth_date=date(1990, 3, 14),
        )
        for n in range(1, rows + 1)
    )
    return release_list


def _held(release_list: ReleaseList) -> tuple[str, str, datetime | None]:
    state, claimed_by, heartbeat_at = ReleaseList.objects.values_list(
        "state", "claimed_by", "heartbeat_at"
    ).get(pk=release_list.pk)
    return str(state), claimed_by, heartbeat_at


@pytest.fixture
def engine_held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The engine's one long call waits until the test lets it go, as a big list's does."""
    go = threading.Event()

    def slow_reconcile(*args: Any, **kwargs: Any) -> Any:
        go.wait(timeout=60)
        return reconcile(*args, **kwargs)

    monkeypatch.setattr("exchanges.reconciliation.reconcile", slow_reconcile)
    monkeypatch.setattr("exchanges.jobs.BEAT_EVERY", 0.1)
    yield go
    go.set()


def _run_in_thread(release_list: ReleaseList, delivery: str) -> threading.Thread:
    def run() -> None:
        try:
            reconcile_release_list(
                release_list_id=release_list.pk, now=timezone.now(), delivery=delivery
            )
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_beats_with_the_real_clock_while_the_engine_works(
    engine_held: threading.Event,
) -> None:
    make_captive(birth_date=date(1990, 3, 14))
    release_list = _release_list()
    job = _run_in_thread(release_list, "first")
    assert wait_for(lambda: _held(release_list)[0] == ReleaseList.State.RECONCILING)
    claimed_at = _held(release_list)[2]

    beats = wait_for(lambda: (_held(release_list)[2] or NOW) > (claimed_at or NOW), timeout=10)
    engine_held.set()
    job.join(timeout=60)

    assert beats  # it moved before the first batch was stored: the engine was still deciding
    assert _held(release_list)[0] == ReleaseList.State.RECONCILED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_slow_live_job_is_never_taken_twice_and_each_row_is_decided_once(
    engine_held: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("exchanges.jobs.STALE_AFTER", timedelta(seconds=1))
    make_captive(birth_date=date(1990, 3, 14))
    release_list = _release_list()
    job = _run_in_thread(release_list, "first")
    assert wait_for(lambda: _held(release_list)[0] == ReleaseList.State.RECONCILING)
    holder, claimed_at = _held(release_list)[1:]
    # Slow: working for longer than a silent job may stay silent.
    assert wait_for(
        lambda: (_held(release_list)[2] or NOW) - (claimed_at or NOW) > timedelta(seconds=2)
    )

    again = reconcile_release_list(
        release_list_id=release_list.pk, now=timezone.now(), delivery="first"
    )  # the broker gave the same message out again
    swept = requeue_lost_release_lists(now=timezone.now())
    engine_held.set()
    job.join(timeout=60)

    assert holder.startswith("first/")
    assert (again.state, again.claimed_by) == (ReleaseList.State.RECONCILING, holder)
    assert swept == []
    assert _held(release_list)[:2] == (ReleaseList.State.RECONCILED, holder)
    decided = ReleaseListRow.history.filter(
        release_list_id=release_list.pk, history_change_reason=RECONCILED
    )
    assert decided.count() == 3  # one decision a row: nobody decided them twice


@pytest.mark.django_db
def test_a_run_that_lost_its_list_writes_nothing() -> None:
    make_captive(birth_date=date(1990, 3, 14))
    release_list = _release_list()
    assert claim_release_list(release_list_id=release_list.pk, run="first/a", now=NOW)
    # Silent for longer than STALE_AFTER: judged dead, and taken over.
    later = NOW + STALE_AFTER + timedelta(seconds=1)
    assert claim_release_list(release_list_id=release_list.pk, run="second/b", now=later)
    rows = list(release_list.rows.order_by("line_number"))
    decisions = reconcile([entry_of(r) for r in rows], registry_index(), reviewers_memory())

    with pytest.raises(ClaimLostError):
        _store(release_list, list(zip(rows, decisions, strict=True)), later, run="first/a")

    assert not release_list.rows.exclude(outcome=Outcome.PENDING).exists()
    assert _held(release_list)[1] == "second/b"


@pytest.mark.django_db
def test_a_live_job_is_refused_and_a_silent_one_taken_over() -> None:
    release_list = _release_list()
    assert claim_release_list(release_list_id=release_list.pk, run="first/a", now=NOW)

    fresh = NOW + STALE_AFTER - timedelta(seconds=1)
    silent = NOW + STALE_AFTER + timedelta(seconds=1)

    assert not claim_release_list(release_list_id=release_list.pk, run="second/b", now=fresh)
    assert claim_release_list(release_list_id=release_list.pk, run="second/b", now=silent)
    assert _held(release_list)[:2] == (ReleaseList.State.RECONCILING, "second/b")


@pytest.mark.django_db
def test_the_sweep_puts_a_dead_job_back_once_and_again_only_if_nobody_took_it() -> None:
    release_list = _release_list()
    claim_release_list(release_list_id=release_list.pk, run="first/a", now=NOW)
    dead = NOW + STALE_AFTER + timedelta(seconds=1)

    assert requeue_lost_release_lists(now=NOW + timedelta(seconds=10)) == []
    assert requeue_lost_release_lists(now=dead) == [release_list.pk]
    assert _held(release_list) == (ReleaseList.State.RECEIVED, "", dead)
    # Queued: the next sweeps leave it to the message they sent...
    assert requeue_lost_release_lists(now=dead + timedelta(seconds=15)) == []
    # ...unless that message too was lost (nobody claimed it for STALE_AFTER).
    assert requeue_lost_release_lists(now=dead + STALE_AFTER + timedelta(seconds=1)) == [
        release_list.pk
    ]
    # Waiting, it goes to whichever delivery comes first, an old one too.
    assert claim_release_list(release_list_id=release_list.pk, run="old/c", now=dead)
