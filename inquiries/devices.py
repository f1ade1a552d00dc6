"""Trusted devices for the status page: OWASP's "device cookies".

A browser that filed an inquiry, or opened its status with the right PIN, gets a signed cookie
naming that reference and a random device id. Presenting it for that reference, the browser's
wrong PINs are counted on a budget of its own, apart from everyone else's (``inquiries.limits``):
strangers guessing a reference cannot lock its relative out of the device they use. The cookie
never replaces the PIN; it only chooses which counter a guess is counted on.

The cookie is set only where the right PIN (or the filing) has just proved the reference, so
neither its presence nor its absence says anything about a reference a visitor does not
already know. One cookie holds the last ``KEPT`` references, most recent first: a relative may
follow several inquiries. Signed with ``SECRET_KEY`` (Django's cookie signer, with its
fallbacks for rotation); a cookie whose signature or age fails is no cookie.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE = "inquiry_devices"
SALT = "inquiries.devices"
PATH = "/inquiries/status/"  # sent with the status page alone
MAX_AGE = 365 * 24 * 3600  # renewed at each right PIN; an inquiry can stay open for years
KEPT = 10
_ENTRY = re.compile(r"^(?P<reference>HC-[0-9A-Z]{4}-[0-9A-Z]{4})\.(?P<device>[\w-]{16})$")


def _devices(request: HttpRequest) -> dict[str, str]:
    """Reference → device id, as the request's cookie names them (empty if it is not ours)."""
    value = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=MAX_AGE)
    devices: dict[str, str] = {}
    for entry in value.split("|") if value else ():
        match = _ENTRY.match(entry)
        if match:
            devices.setdefault(match["reference"], match["device"])
    return devices


def trusted_device(request: HttpRequest, reference: str) -> str | None:
    """The id this browser was given for ``reference``, or None: an untrusted client."""
    return _devices(request).get(reference)


def remember_device(request: HttpRequest, response: HttpResponse, reference: str) -> None:
    """Trust this browser for ``reference`` (keeping its id if it has one), for ``MAX_AGE``."""
    devices = _devices(request)
    device = devices.pop(reference, None) or secrets.token_urlsafe(12)
    kept = [(reference, device), *list(devices.items())[: KEPT - 1]]
    response.set_signed_cookie(
        COOKIE,
        "|".join(f"{each}.{device}" for each, device in kept),
        salt=SALT,
        max_age=MAX_AGE,
        path=PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
