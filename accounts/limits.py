"""Wrong passwords counted per address, whatever the username, before any password is hashed.

django-axes locks one (username, address) pair after five wrong passwords; an address trying a
new username each time never meets that lock, and every attempt costs a password hash (the
backend hashes even for an unknown username, so that timing does not tell which exist). This
limit counts each sign-in attempt from an address with an atomic counter (``config.limits``)
*before* the form authenticates, and takes a successful one back: only wrong passwords use it up.
Past the limit the address gets the "too many attempts" page (429, Retry-After) without a hash,
a query or a django-axes row. Every door that takes a password goes through ``limited_sign_in``:
the staff sign-in page and the admin's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from config import limits
from config.client import client_address

# Twenty wrong passwords per address in 15 minutes: an office behind one address, its staff
# mistyping, stays well inside it; a flood is held to 80 hashes an hour per address.
SIGN_IN_PER_ADDRESS = limits.Rule("sign-in-ip", limit=20, window=900)

View = Callable[..., HttpResponseBase]


def limited_sign_in(view: View) -> View:
    """Counts a POST to ``view`` (a sign-in form) against its address before the view runs;
    refuses past the limit; takes the hit back when the view signed someone in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        address = client_address(request)
        refused = limits.refusal(request, [(SIGN_IN_PER_ADDRESS, address)])
        if refused is not None:
            return refused
        before = request.session.session_key
        response = view(request, *args, **kwargs)
        if _signed_in(request, before):
            with contextlib.suppress(limits.LimitStoreDown):  # counted a little early, never late
                limits.refund(SIGN_IN_PER_ADDRESS, address)
        return response

    return wrapper


def _signed_in(request: HttpRequest, session_before: str | None) -> bool:
    """Whether the view signed someone in. ``django.contrib.auth.login()`` gives the session a
    new key on every sign-in, and nothing else in a sign-in form does; a signed-in user posting a
    wrong password keeps theirs, and a key the store does not know only turns into None."""
    after = request.session.session_key
    return after is not None and after != session_before
