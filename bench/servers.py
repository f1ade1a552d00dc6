"""Processes the database benchmarks start on loopback for themselves: a Redis of their own,
gunicorn, a Celery worker; and the scratch database they fill (dropped and made anew)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def production_django(database_url: str, redis_url: str, *, bench: str, **extra: str) -> None:
    """Django set up in this process as production runs it (``config.settings``, DEBUG off) on
    the scratch database and the benchmark's Redis; the keys are the benchmark's own unless set.
    ``extra``: more environment for the benchmark's servers to inherit."""
    os.environ.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY", f"bench-{bench}-only"),
        PIN_KEYS=os.environ.get("PIN_KEYS", f"bench:{bench}-only-pin-key-not-for-production"),
        SECURE_SSL_REDIRECT="false",
        DJANGO_SETTINGS_MODULE="config.settings",
        **extra,
    )
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def scratch_database_url() -> str:
    """DATABASE_URL, if it names a scratch PostgreSQL database (the benchmarks drop it)."""
    url = os.environ.get("DATABASE_URL", "")
    name = urlsplit(url).path.lstrip("/")
    if not url.startswith("postgres") or not any(w in name for w in ("bench", "scratch")):
        sys.exit(
            "Set DATABASE_URL to a scratch PostgreSQL database whose name contains 'bench' or "
            "'scratch' (e.g. postgres://postgres@127.0.0.1:5432/homecoming_bench): the "
            "benchmark drops and fills it."
        )
    return url


def recreate_database(url: str, *, keep: bool = False) -> None:
    """Drop the scratch database and make it anew, empty; with ``keep``, only make it if absent."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password or None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if keep and cursor.fetchone():
                return
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


@contextmanager
def redis_server() -> Iterator[str]:
    """A redis-server on a free loopback port that keeps nothing on disk; yields its URL."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - a fixed command line
        ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2, niceness: int = 0) -> Iterator[str]:
    """gunicorn with the production settings (``config/gunicorn.py``, sync workers), on loopback
    and without the access log; yields its URL.

    ``niceness`` lowers the CPU weight of the whole server against every other process, as a
    container's CPU shares do in production (``docker-compose.yml``): it sets the nice of the
    server's own scheduling group (a session is one with Linux's autogroups, which this machine
    has), since a plain ``nice`` weighs a process only against others of its group."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own app, arguments we built
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "config/gunicorn.py",
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "--no-control-socket",  # several engineers' gunicorns share this machine
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    if niceness:
        Path(f"/proc/{process.pid}/autogroup").write_text(str(niceness))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(f"{base}/healthz")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wait_until_answers(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):  # refused, reset, or no worker ready yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


# Every queue of config/settings.py (CELERY_TASK_ROUTES and the default): a worker of the
# tests' or the benchmark's takes any task; production runs one worker per queue.
ALL_QUEUES = ("celery", "lists", "notifications", "webhooks")


def celery_worker(
    env: dict[str, str],
    log: Path,
    *,
    loglevel: str = "WARNING",
    queues: Sequence[str] = ALL_QUEUES,
    pool: str = "solo",
    concurrency: int = 1,
    beat_schedule: Path | None = None,
) -> subprocess.Popen[bytes]:
    """A worker (solo pool unless told) in a session of its own, its output in ``log`` (the
    tests start theirs here too); its peak memory can be read from /proc while it runs. With a
    ``beat_schedule`` file it runs the beat scheduler too (``-B``), as ``make worker`` does."""
    beat = ["-B", f"--schedule={beat_schedule}"] if beat_schedule else []
    processes = [] if pool == "solo" else [f"--concurrency={concurrency}"]
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter, arguments we chose
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                f"--pool={pool}",
                *processes,
                f"--queues={','.join(queues)}",
                "--without-gossip",
                "--without-mingle",
                f"--loglevel={loglevel}",
                *beat,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
