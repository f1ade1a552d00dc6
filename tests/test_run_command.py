"""The README's run command: it sets up, loads the demo and serves; with REDIS_URL set it starts
a Celery worker beside the server. And ``make worker`` in a fresh terminal."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from bench.servers import redis_server

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode()


# What a fresh terminal has not: the variables the tests' environment sets.
FRESH = {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "PIN_KEYS"}


@contextmanager
def _running_demo(workdir: Path, redis_url: str = "") -> Iterator[tuple[str, Path, Path]]:
    database, log = workdir / "demo.sqlite3", workdir / "run.log"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in FRESH}
    env |= {"DATABASE_URL": f"sqlite:///{database}", "PORT": str(port), "MEDIA_ROOT": str(workdir)}
    if redis_url:
        env["REDIS_URL"] = redis_url
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "run.sh")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail(f"the run command did not serve:\n{log.read_text()[-3000:]}")
        yield base, database, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    with _running_demo(tmp_path_factory.mktemp("run")) as running:
        yield running


@pytest.mark.slow
def test_run_command_serves_the_home_page_and_prints_the_demo_logins(
    demo_server: tuple[str, Path, Path],
) -> None:
    base, _, log = demo_server

    status, body = _get(f"{base}/")

    assert status == 200
    assert "/inquiries/new/" in body
    output = log.read_text()
    for login in ("official", "official2", "reviewer", "caseworker", "admin"):
        assert login in output
    assert "homecoming-demo" in output
    assert "Tasks go to Redis" not in output


@pytest.mark.slow
def test_run_command_loads_the_demo_into_sqlite(demo_server: tuple[str, Path, Path]) -> None:
    _, database, _ = demo_server

    with sqlite3.connect(database) as db:
        captives = db.execute("SELECT count(*) FROM captives_captive").fetchone()[0]
        first_phase = db.execute(
            "SELECT date FROM exchanges_phase p JOIN exchanges_exchange e ON p.exchange_id = e.id"
            " WHERE e.name = '1000 for 1000' AND p.number = 1"
        ).fetchone()[0]
        history = db.execute("SELECT count(*) FROM captives_historicalcaptive").fetchone()[0]

    assert captives >= 2000
    assert date.fromisoformat(first_phase).strftime("%A") == "Friday"
    assert history > captives


def _wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return condition()


@pytest.mark.slow
def test_run_command_with_redis_starts_a_worker_that_reconciles_the_demo_list(
    tmp_path: Path,
) -> None:
    """Set up as the README says, with REDIS_URL: the demo's list, queued to Redis as the demo
    loads, is reconciled by the worker the run command started, with no second terminal."""

    def reconciled(database: Path) -> bool:
        with sqlite3.connect(database) as db:
            states = db.execute("SELECT state FROM exchanges_releaselist").fetchall()
        return bool(states) and all(state == "reconciled" for (state,) in states)

    with redis_server() as redis_url, _running_demo(tmp_path, redis_url) as (_, database, log):
        done = _wait_for(lambda: reconciled(database), timeout=180)

        output = log.read_text()
    assert done, output[-3000:]
    assert "Tasks go to Redis" in output
    assert "lists@" in output  # the lists' worker, and the one for the rest with beat
    assert "default@" in output


@pytest.mark.slow
def test_make_worker_starts_in_a_fresh_terminal(tmp_path: Path) -> None:
    """The README's second terminal: no SECRET_KEY nor DEBUG set, yet the worker starts (it
    takes the run command's defaults) instead of failing on the missing key."""
    log = tmp_path / "worker.log"
    with redis_server() as redis_url:
        env = {k: v for k, v in os.environ.items() if k not in FRESH}
        env |= {"REDIS_URL": redis_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
        with log.open("w") as out:
            process = subprocess.Popen(
                ["make", "worker"],  # noqa: S607 - make from the PATH, as a terminal finds it
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            ready = _wait_for(lambda: "ready." in log.read_text() or process.poll() is not None, 90)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    output = log.read_text()
    assert ready, output[-3000:]
    assert "ready." in output, output[-3000:]
    assert "KeyError" not in output


def test_make_worker_without_redis_says_what_to_set() -> None:
    env = {k: v for k, v in os.environ.items() if k not in FRESH}

    finished = subprocess.run(
        ["make", "--no-print-directory", "worker"],  # noqa: S607 - make from the PATH
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert finished.returncode != 0
    assert "set REDIS_URL" in finished.stderr
