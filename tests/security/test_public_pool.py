"""The public pages run on a pool of their own, at a lower CPU priority, so that a crowd or an
attacker on them takes only the CPU the officials leave (docs/security.md)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.urls import Resolver404, resolve

from accounts.views import admin_login
from bench.servers import ROOT, free_port

CADDYFILE = Path(ROOT) / "config" / "Caddyfile"
COMPOSE = Path(ROOT) / "docker-compose.yml"
# What the public pool serves: the relatives' pages and the staff sign-in forms, whose
# password hashing an attacker would otherwise spend on the officials' workers.
PUBLIC_PAGES = {
    "inquiries:new",
    "inquiries:filed",
    "inquiries:status",
    "set_language",
    "login",
    None,  # the admin's sign-in form, a view without a URL name
}


def _public_paths() -> list[str]:
    match = re.search(r"^\s*@public path (.+)$", CADDYFILE.read_text(), re.MULTILINE)
    assert match, "the Caddyfile names no public paths"
    return match.group(1).split()


def test_the_proxy_sends_the_relatives_pages_and_sign_in_to_the_public_pool() -> None:
    matches = [resolve(path.replace("*", "setlang/")) for path in _public_paths()]
    routed = {None if m.func is admin_login else m.view_name for m in matches}

    assert routed == PUBLIC_PAGES
    assert "reverse_proxy public:8000" in CADDYFILE.read_text()
    assert "reverse_proxy web:8000" in CADDYFILE.read_text()


@pytest.mark.parametrize("path", ["/inquiries/", "/inquiries/ABC-123/", "/registry/", "/api/v1/"])
def test_staff_and_partner_pages_stay_on_the_officials_pool(path: str) -> None:
    try:
        resolve(path)
    except Resolver404:
        pytest.fail(f"{path} is not a page")
    assert not any(
        path == public or (public.endswith("*") and path.startswith(public[:-1]))
        for public in _public_paths()
    )


def test_compose_runs_the_public_pool_at_a_lower_priority_behind_the_proxy() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]

    assert int(services["public"]["environment"]["WEB_NICENESS"]) > 0
    assert "WEB_NICENESS" not in services["web"]["environment"]
    assert services["public"]["command"] == "gunicorn -c config/gunicorn.py config.wsgi"
    assert "./config/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    assert "ports" not in services["web"]  # only through the proxy, which routes
    for pool in ("web", "public"):
        assert services[pool]["environment"]["TRUSTED_PROXIES"] == "1"


def test_gunicorn_lowers_its_workers_priority_and_not_its_masters() -> None:
    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"),
            *("--no-control-socket", "tests.security.niceness_app"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "WEB_NICENESS": "7",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        answered = _read_until_served(f"http://127.0.0.1:{port}/")
        master = os.getpriority(os.PRIO_PROCESS, server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert int(answered) == min(own + 7, 19)
    assert master == own


def _read_until_served(url: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return str(response.read().decode())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
