"""A Celery worker killed (SIGKILL) at row 250 of a 1,000-row list: the sweep, on production's
schedule and thresholds, has another worker resume it within a minute, and every row is stored
once. And the other side of it: a live job is never taken twice."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from exchanges.models import Outcome, ReleaseList, ReleaseListRow
from exchanges.reconciliation import RECONCILED
from exchanges.tasks import reconcile_release_list_task
from tests.factories import make_phase
from tests.faults.conftest import PrivateRedis
from tests.faults.lists import import_generated_registry, upload
from tests.workers import start_worker, stop_worker, wait_for, worker_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECOVERY_SECONDS = 60  # the promise: a dead job resumes within a minute of its worker's death


def _progress(pk: int) -> tuple[str, int, int, str]:
    return ReleaseList.objects.values_list("state", "rows_done", "rows_total", "claimed_by").get(
        pk=pk
    )


def _half_way(pk: int) -> bool:
    state, done, total, _ = _progress(pk)
    return state == ReleaseList.State.RECONCILING and 0 < done < total


def _poll(condition: Callable[[], bool], timeout: float) -> bool:
    """Like ``wait_for``, but every 10 ms: a batch of rows takes a few tens of ms to store."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def _stored_once(release_list: ReleaseList, total: int) -> None:
    rows = ReleaseListRow.objects.filter(release_list=release_list)
    assert rows.count() == total
    assert rows.values("line_number").distinct().count() == total
    assert not rows.filter(outcome=Outcome.PENDING).exists()
    decided = ReleaseListRow.history.filter(
        release_list_id=release_list.pk, history_change_reason=RECONCILED
    )
    assert decided.count() == total  # one decision a row: none decided twice
    with connection.cursor() as cursor:  # the database's own word: no line stored twice
        cursor.execute(
            "SELECT count(*) FROM (SELECT release_list_id, line_number FROM "
            "exchanges_releaselistrow GROUP BY 1, 2 HAVING count(*) > 1) AS twice"
        )
        assert cursor.fetchone() == (0,)


def test_a_list_whose_worker_was_killed_resumes_within_a_minute_and_is_stored_once(
    private_broker: PrivateRedis, tmp_path: Path
) -> None:
    from tests.conftest import grant_roles

    grant_roles()
    data = import_generated_registry(tmp_path, people=1200, list_rows=1000)
    env = worker_env(redis_url=private_broker.url, tmp_path=tmp_path)  # production's timeout
    first = start_worker(env, tmp_path / "first.log")
    try:
        release_list = upload(make_phase(), data)  # queued to the private Redis on commit
        assert _poll(lambda: _half_way(release_list.pk), timeout=60), _progress(release_list.pk)
        os.killpg(first.pid, signal.SIGKILL)
        killed = time.monotonic()
        first.wait(timeout=10)
    finally:
        stop_worker(first)
    state, done_when_killed, total, dead_run = _progress(release_list.pk)
    assert state == ReleaseList.State.RECONCILING

    # The supervisor starts a worker again at once; beat (here inside it) runs the sweep.
    second = start_worker(env, tmp_path / "second.log", beat_schedule=tmp_path / "beat")
    try:
        resumed = wait_for(
            lambda: _progress(release_list.pk)[3] not in ("", dead_run), RECOVERY_SECONDS
        )
        recovery = time.monotonic() - killed
        print(f"killed at {done_when_killed}/{total}; resumed after {recovery:.1f} s")
        assert resumed, (tmp_path / "second.log").read_text()
        assert wait_for(
            lambda: _progress(release_list.pk)[0] == ReleaseList.State.RECONCILED, timeout=60
        ), (tmp_path / "second.log").read_text()
    finally:
        stop_worker(second)

    log = (tmp_path / "second.log").read_text()
    assert "requeue_stale_release_lists_task" in log
    assert "reconcile_release_list_task" in log
    assert 0 < done_when_killed < total
    assert total >= 1000
    assert _progress(release_list.pk)[1:3] == (total, total)
    _stored_once(release_list, total)


def test_a_second_delivery_of_a_live_list_does_nothing(
    private_broker: PrivateRedis, tmp_path: Path
) -> None:
    from tests.conftest import grant_roles

    grant_roles()
    data = import_generated_registry(tmp_path, people=1500, list_rows=1500)
    env = worker_env(redis_url=private_broker.url, tmp_path=tmp_path)
    # Two workers of the lists queue: either may take either message.
    workers = [start_worker(env, tmp_path / f"worker{n}.log", queues=["lists"]) for n in (1, 2)]
    try:
        release_list = upload(make_phase(), data)
        assert _poll(
            lambda: _progress(release_list.pk)[0] == ReleaseList.State.RECONCILING, timeout=60
        )
        holder = _progress(release_list.pk)[3]
        # The broker hands the list out again while the first run decides its rows.
        again = reconcile_release_list_task.delay(release_list.pk).get(timeout=30)
        assert wait_for(
            lambda: _progress(release_list.pk)[0] == ReleaseList.State.RECONCILED, timeout=60
        )
    finally:
        for worker in workers:
            stop_worker(worker)

    assert again == ReleaseList.State.RECONCILING  # refused: a live run held the list
    assert _progress(release_list.pk)[3] == holder  # and the first run finished it
    _stored_once(release_list, _progress(release_list.pk)[2])
