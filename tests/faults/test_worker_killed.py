"""A Celery worker killed (SIGKILL) half way through a list: another one finishes it, once."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from exchanges.models import Outcome, ReleaseList, ReleaseListRow
from tests.factories import make_phase
from tests.faults.conftest import PrivateRedis
from tests.faults.lists import import_generated_registry, upload
from tests.workers import start_worker, stop_worker, wait_for, worker_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VISIBILITY_SECONDS = 3  # production keeps the default hour; the test cannot wait that long


def _progress(pk: int) -> tuple[str, int, int]:
    state, done, total = ReleaseList.objects.values_list("state", "rows_done", "rows_total").get(
        pk=pk
    )
    return str(state), done, total


def _half_way(pk: int) -> bool:
    state, done, total = _progress(pk)
    return state == ReleaseList.State.RECONCILING and 0 < done < total


def _poll(condition: Callable[[], bool], timeout: float) -> bool:
    """Like ``wait_for``, but every 10 ms: a batch of rows takes a few tens of ms to store."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_list_whose_worker_was_killed_is_delivered_again_and_stored_once(
    private_broker: PrivateRedis, tmp_path: Path
) -> None:
    from tests.conftest import grant_roles

    grant_roles()
    data = import_generated_registry(tmp_path, people=2500, list_rows=2000)
    env = worker_env(redis_url=private_broker.url, tmp_path=tmp_path) | {
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS)
    }
    first = start_worker(env, tmp_path / "first.log")
    try:
        release_list = upload(make_phase(), data)  # queued to the private Redis on commit
        assert _poll(lambda: _half_way(release_list.pk), timeout=120), _progress(release_list.pk)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop_worker(first)
    killed_at = _progress(release_list.pk)
    assert killed_at[0] == ReleaseList.State.RECONCILING
    time.sleep(VISIBILITY_SECONDS + 1)  # the message is now past its visibility timeout

    second = start_worker(env, tmp_path / "second.log")
    try:
        assert wait_for(
            lambda: _progress(release_list.pk)[0] == ReleaseList.State.RECONCILED, timeout=120
        ), (tmp_path / "second.log").read_text()
    finally:
        stop_worker(second)

    rows = ReleaseListRow.objects.filter(release_list=release_list)
    total = killed_at[2]  # 2,000 people and a few repeated lines
    assert "reconcile_release_list_task" in (tmp_path / "second.log").read_text()
    assert 0 < killed_at[1] < total
    assert rows.count() == total >= 2000
    assert rows.values("line_number").distinct().count() == total
    assert not rows.filter(outcome=Outcome.PENDING).exists()
    assert _progress(release_list.pk)[1:] == (total, total)
    with connection.cursor() as cursor:  # the database's own word: no line stored twice
        cursor.execute(
            "SELECT count(*) FROM (SELECT release_list_id, line_number FROM "
            "exchanges_releaselistrow GROUP BY 1, 2 HAVING count(*) > 1) AS twice"
        )
        assert cursor.fetchone() == (0,)
