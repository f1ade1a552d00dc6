"""A real Celery worker for the tests that need one: its own process, the test database, Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


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


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """A solo-pool Celery worker in a session of its own, its output in ``log_path``."""
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=30)


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()
