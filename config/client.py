"""The address a request came from, seen through the proxies the deployment says it has.

Rate limits, the lockout after wrong passwords and the API's public throttle all count per
address. Behind a TLS-terminating proxy every request arrives from the proxy: counted by
``REMOTE_ADDR``, every family would share one limit. Each proxy appends the address it saw to
``X-Forwarded-For``; with ``TRUSTED_PROXIES`` = N, the client is the N-th entry from the right —
anything further left was written by the client itself and is not believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, or None when the request carries none (a test client's login,
    a management command): django-axes stores it in an address column."""
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies: int = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        return remote  # not through all our proxies: trust only what connected to us
    return _valid(forwarded[-proxies]) or remote


def client_address(request: HttpRequest) -> str:
    """The key limits count under: the client's address, or "unknown"."""
    return client_ip(request) or "unknown"


def _valid(address: object) -> str | None:
    try:
        return str(ipaddress.ip_address(str(address)))
    except ValueError:
        return None
