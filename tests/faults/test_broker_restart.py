"""Redis restarts under a worker that is running a task: the same worker process reconnects and
keeps consuming. Before config/broker.py it exited with "Unrecoverable error:
AttributeError("'NoneType' object has no attribute 'hostname'")" while restoring its
unacknowledged messages. The worker runs the prefork pool with two processes, as production
does: the error needs one busy (an unacknowledged message) and one free (the worker waiting on
Redis for more when the connection drops); the solo pool notices a lost connection only between
tasks, and never met it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from exchanges.models import ReleaseList
from tests.factories import make_phase
from tests.faults.conftest import PrivateRedis
from tests.faults.lists import import_generated_registry, upload
from tests.workers import start_worker, stop_worker, wait_for, worker_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AFTER = "ПІБ;Дата народження\nКоваль Іван Петрович;01.02.1985\n".encode()


def _state(release_list: ReleaseList) -> str:
    return str(ReleaseList.objects.values_list("state", flat=True).get(pk=release_list.pk))


def test_a_worker_keeps_consuming_across_a_broker_restart(
    private_broker: PrivateRedis, tmp_path: Path
) -> None:
    from tests.conftest import grant_roles

    grant_roles()
    data = import_generated_registry(tmp_path, people=1500, list_rows=1500)
    log = tmp_path / "worker.log"
    worker = start_worker(
        worker_env(redis_url=private_broker.url, tmp_path=tmp_path),
        log,
        pool="prefork",
        concurrency=2,
    )
    try:
        phase = make_phase()
        during = upload(phase, data)  # running, unacknowledged, when Redis goes
        assert wait_for(lambda: _state(during) == ReleaseList.State.RECONCILING)
        private_broker.stop()
        time.sleep(3)  # down for a while; the worker retries meanwhile
        private_broker.start()  # the same port, empty

        after = upload(phase, AFTER)  # queued after the restart

        assert wait_for(lambda: _state(after) == ReleaseList.State.RECONCILED), log.read_text()
        assert worker.poll() is None  # the same process
        # The run that was going when Redis went went on meanwhile (it needs only PostgreSQL).
        assert wait_for(lambda: _state(during) == ReleaseList.State.RECONCILED)
    finally:
        stop_worker(worker)

    text = log.read_text()
    assert "Connection to broker lost" in text
    assert "Unrecoverable error" not in text
