"""The public pages run on a pool of their own, with a small CPU weight, so that a crowd or an
attacker on them takes only the CPU the officials leave (docs/security.md); the load benchmark
measures it (bench/load.py), and tests/bench/test_load.py checks the weight it gives its pool."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.urls import Resolver404, resolve

from accounts.views import admin_login
from bench.servers import ROOT

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


def test_compose_gives_the_public_pool_a_small_cpu_weight_behind_the_proxy() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]

    assert services["public"]["cpu_shares"] * 32 <= 1024  # Docker's default weight, the others'
    assert all("cpu_shares" not in s for name, s in services.items() if name != "public")
    assert services["public"]["command"] == "gunicorn -c config/gunicorn.py config.wsgi"
    assert "./config/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    assert "ports" not in services["web"]  # only through the proxy, which routes
    for pool in ("web", "public"):
        assert services[pool]["environment"]["TRUSTED_PROXIES"] == "1"


def test_the_proxy_answers_metrics_itself_and_never_passes_them_on() -> None:
    """/metrics is for the operators' Prometheus inside the deployment's network: the proxy
    answers 404 for it before any handle that proxies. (Checked by hand with Caddy 2.6 too:
    /metrics/, /METRICS, /%6detrics and //metrics are all answered by the proxy.)"""
    text = CADDYFILE.read_text()
    match = re.search(r"^\s*@internal path (.+)$", text, re.MULTILINE)
    assert match, "the Caddyfile names no internal paths"
    assert set(match.group(1).split()) == {"/metrics", "/metrics/*"}
    assert resolve("/metrics").view_name == "metrics"
    handled = re.search(r"handle @internal \{\s*respond 404\s*\}", text)
    assert handled
    assert handled.start() < text.index("handle @public") < text.index("handle {")
