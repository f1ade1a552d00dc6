"""A real Celery worker for the tests that need one: its own process, the test database, Redis."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from bench.servers import ALL_QUEUES, stop
from bench.servers import celery_worker as worker_process


@pytest.fixture
def celery_worker(transactional_db: None, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Start a worker on the test database; stop it before the database is flushed.

    Tests using it mark themselves ``django_db(transaction=True, serialized_rollback=True)``, so
    that the groups and permissions the migrations made are restored after the flush.
    """
    from tests.conftest import grant_roles

    grant_roles()  # an earlier flushing test may have emptied the tables
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    env = worker_env(redis_url=settings.REDIS_URL, tmp_path=tmp_path)
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        yield worker
    finally:
        stop_worker(worker)


def worker_env(*, redis_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment of a worker on the test database and the given Redis."""
    database = connection.settings_dict
    return os.environ | {
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # The worker sends the mail: into files the test can open.
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }


def start_worker(
    env: dict[str, str],
    log_path: Path,
    *,
    queues: Sequence[str] = ALL_QUEUES,
    pool: str = "solo",
    concurrency: int = 1,
    beat_schedule: Path | None = None,
) -> subprocess.Popen[bytes]:
    """A Celery worker (solo pool unless told) in a session of its own, taking every queue
    unless told, its output in ``log_path``; with ``beat_schedule``, the beat scheduler too."""
    return worker_process(
        env,
        log_path,
        loglevel="INFO",
        queues=queues,
        pool=pool,
        concurrency=concurrency,
        beat_schedule=beat_schedule,
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    stop(worker)


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()
