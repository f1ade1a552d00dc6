"""Limits and lockouts count per client, read through the proxies the deployment declares."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from accounts.roles import Role
from config.client import client_address, client_ip
from inquiries.limits import INQUIRY_PER_IP
from tests.factories import make_user
from tests.inquiries.test_status import FORM

PROXY = "10.0.0.2"  # the TLS terminator in front of gunicorn


def address(forwarded: str | None, *, proxies: int, settings: Settings) -> str:
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


def test_a_request_without_an_address_is_counted_as_unknown_and_stored_as_none(
    settings: Settings,
) -> None:
    settings.TRUSTED_PROXIES = 1
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]

    assert client_ip(request) is None  # django-axes stores it in an address column
    assert client_address(request) == "unknown"


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        ("203.0.113.7", 0, PROXY),  # no proxy declared: a client's header is not believed
        (None, 1, PROXY),  # declared, but the request did not come through it
        ("203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),  # the client wrote the left entry itself
        ("6.6.6.6, 203.0.113.7, 10.0.0.1", 2, "203.0.113.7"),  # two proxies, each appended
        ("203.0.113.7", 2, PROXY),  # fewer entries than proxies: misconfigured, trust none
        ("not-an-address", 1, PROXY),
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
    ids=["none", "bypassed", "one", "spoofed", "two", "short", "junk", "ipv6"],
)
def test_the_client_is_read_through_the_declared_proxies(
    settings: Settings, forwarded: str | None, proxies: int, expected: str
) -> None:
    assert address(forwarded, proxies=proxies, settings=settings) == expected


@pytest.mark.django_db
def test_behind_a_proxy_each_family_has_its_own_limit(settings: Settings) -> None:
    settings.TRUSTED_PROXIES = 1

    def client(ip: str, spoof: str = "") -> Client:
        forwarded = f"{spoof}, {ip}" if spoof else ip
        return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    first = client("203.0.113.7")
    for _ in range(INQUIRY_PER_IP.limit):
        assert first.post("/inquiries/new/", FORM).status_code == 302

    assert first.post("/inquiries/new/", FORM).status_code == 429
    # A header the client writes itself does not get it a fresh limit...
    assert client("203.0.113.7", spoof="6.6.6.6").post("/inquiries/new/", FORM).status_code == 429
    # ...and another family behind the same proxy is not refused with it.
    assert client("203.0.113.8").post("/inquiries/new/", FORM).status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_a_lockout_holds_one_address_not_everyone(settings: Settings) -> None:
    settings.TRUSTED_PROXIES = 1
    make_user(Role.OFFICIAL, username="olena", password="a-long-test-password")

    def attempt(ip: str, password: str) -> int:
        client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ip)
        form = {"username": "olena", "password": password}
        return client.post("/accounts/login/", form).status_code

    statuses = [attempt("198.51.100.9", "wrong-password") for _ in range(5)]

    assert statuses[-1] == 429  # the guesser's address is locked out
    assert attempt("203.0.113.7", "a-long-test-password") == 302  # Olena, elsewhere, is not


def _scheme_header(trusted_proxies: str) -> str:
    """SECURE_PROXY_SSL_HEADER as settings.py sets it for this many declared proxies."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "TRUSTED_PROXIES": trusted_proxies,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_only_a_declared_proxy_is_believed_about_the_scheme() -> None:
    assert _scheme_header("0") == "None"
    assert _scheme_header("1") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_without_a_proxy_a_client_claiming_https_is_still_sent_to_it(settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/inquiries/new/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")
