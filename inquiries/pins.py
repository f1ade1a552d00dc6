"""Relatives' PINs, kept as an HMAC-SHA256 under a server key (``PIN_KEYS``), not a slow hash.

A 6-digit PIN has 10⁶ values: no iteration count stops offline guessing, so a slow hash buys
nothing but a denial of service on the public status page (PBKDF2 cost ~0.5 s of CPU a check).
What protects a PIN is the key, which the database does not hold, and the counted online
guesses (``inquiries.limits``). A stored PIN reads ``hmac-sha256$<key id>$<hex digest>``: the key
id lets the key be rotated, old keys listed after the current one still open their hashes.
Hashes from before (Django's password hashers) still check, slowly, until their right PIN
rewrites them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ImproperlyConfigured

SCHEME = "hmac-sha256"
MIN_SECRET_LENGTH = 32
# What an unknown reference is checked against, so that it costs the work of a wrong PIN.
_ABSENT_DIGEST = secrets.token_hex(32)


@dataclass(frozen=True)
class PinCheck:
    """Whether the PIN is right, and whether its hash should be written again (old key or
    old scheme)."""

    right: bool
    outdated: bool


def pin_keys() -> dict[str, bytes]:
    """``PIN_KEYS`` as key id → secret, the current key first; refuses a malformed setting."""
    keys: dict[str, bytes] = {}
    for pair in settings.PIN_KEYS:
        key_id, colon, secret = pair.partition(":")
        if not colon or not key_id or not secret or "$" in key_id:
            raise ImproperlyConfigured(
                "PIN_KEYS holds comma-separated 'id:secret' pairs (an id without '$')."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"PIN_KEYS names the key id {key_id!r} twice.")
        keys[key_id] = secret.encode()
    if not keys:
        raise ImproperlyConfigured("Set PIN_KEYS: relatives' PINs are hashed under it.")
    return keys


def _digest(pin: str, secret: bytes) -> str:
    return hmac.new(secret, pin.encode(), hashlib.sha256).hexdigest()


def hash_pin(pin: str) -> str:
    """The PIN's keyed hash under the current key, as stored."""
    key_id, secret = next(iter(pin_keys().items()))
    return f"{SCHEME}${key_id}${_digest(pin, secret)}"


def check_pin(pin: str, encoded: str) -> PinCheck:
    """Whether ``pin`` is the one ``encoded`` was made from. A keyed hash under a key id no
    longer in ``PIN_KEYS`` is refused; anything else not ours goes to Django's hashers."""
    keys = pin_keys()
    scheme, _, rest = encoded.partition("$")
    if scheme != SCHEME:
        return PinCheck(right=check_password(pin, encoded), outdated=True)
    key_id, _, stored = rest.partition("$")
    current_id = next(iter(keys))
    known = key_id in keys
    # An unknown key id still costs one HMAC, so that every refusal takes the same work.
    computed = _digest(pin, keys[key_id if known else current_id])
    right = hmac.compare_digest(computed.encode(), stored.encode()) and known
    return PinCheck(right=right, outdated=key_id != current_id)


def check_absent_pin(pin: str) -> None:
    """Do the work of checking a wrong PIN, for a reference nobody has: every refusal costs
    the same, so the time taken does not tell whether a reference exists."""
    check_pin(pin, f"{SCHEME}${next(iter(pin_keys()))}${_ABSENT_DIGEST}")
