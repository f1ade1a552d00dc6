"""The README's run command, on its SQLite path: it sets up, loads the demo and serves."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    workdir = tmp_path_factory.mktemp("run")
    database, log = workdir / "demo.sqlite3", workdir / "run.log"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env |= {"DATABASE_URL": f"sqlite:///{database}", "PORT": str(port), "MEDIA_ROOT": str(workdir)}
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


@pytest.mark.slow
def test_run_command_serves_the_home_page_and_prints_the_demo_logins(
    demo_server: tuple[str, Path, Path],
) -> None:
    base, _, log = demo_server

    status, body = _get(f"{base}/")

    assert status == 200
    assert "/inquiries/new/" in body
    output = log.read_text()
    for login in ("official", "reviewer", "caseworker", "admin"):
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
