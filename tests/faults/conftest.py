"""Services the fault tests start, stop and kill themselves, never the machine's shared ones."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from django.test import override_settings

from config.celery import app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PrivateRedis:
    """A ``redis-server`` on a port of its own that keeps nothing on disk, as in production."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # a crash, not a clean shutdown: whatever it held is gone
            self.process.wait(timeout=10)
        self.process = None

    def answers(self) -> bool:
        client = redis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(folder=tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _repoint_celery(broker: str, backend: str | None) -> None:
    """Point this process's Celery at another Redis, dropping what it holds of the old one: the
    pooled broker connections and the result backend (whose pub/sub would retry a dead server)."""
    app.conf.update(broker_url=broker, result_backend=backend)
    app._after_fork()  # type: ignore[attr-defined]
    app._backend_cache = None  # type: ignore[attr-defined]  # Celery keeps it here, or
    vars(app._local).pop("backend", None)  # type: ignore[attr-defined]  # per thread


@pytest.fixture
def private_broker(private_redis: PrivateRedis) -> Iterator[PrivateRedis]:
    """This process's Celery, health check and rate limits use the private Redis."""
    previous = (app.conf.broker_url, app.conf.result_backend)
    _repoint_celery(private_redis.url, private_redis.url)
    try:
        with override_settings(REDIS_URL=private_redis.url, CELERY_BROKER_URL=private_redis.url):
            yield private_redis
    finally:
        _repoint_celery(*previous)
