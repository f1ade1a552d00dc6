"""Filing and following tracing inquiries."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction

from inquiries.models import Inquiry

# No 0/O, 1/I/L: relatives read the code aloud on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PIN_DIGITS = 6
# Hashed once so that an unknown reference costs the same hashing work as a known one.
_ABSENT_PIN_HASH = make_password(secrets.token_hex(16))


@dataclass(frozen=True)
class Receipt:
    """What the relative is shown once, after filing: the PIN is never shown again."""

    inquiry: Inquiry
    pin: str


def _new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"HC-{body[:4]}-{body[4:]}"


def file_inquiry(*, inquiry: Inquiry, at: datetime) -> Receipt:
    """Save a relative's inquiry with a fresh reference code and a hashed PIN."""
    pin = "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))
    inquiry.pin_hash = make_password(pin)
    inquiry.consent_given_at = at
    inquiry._change_reason = "Filed by the relative"  # type: ignore[attr-defined]
    for _attempt in range(5):
        inquiry.reference = _new_reference()
        try:
            with transaction.atomic():
                inquiry.save()
        except IntegrityError:
            continue  # a reference collision: 31^8 makes a second one vanishingly rare
        return Receipt(inquiry=inquiry, pin=pin)
    raise RuntimeError("Could not allocate a unique inquiry reference")


def find_inquiry(*, reference: str, pin: str) -> Inquiry | None:
    """The inquiry for this reference and PIN, or None; both failures take the same work."""
    inquiry = Inquiry.objects.filter(reference=reference.strip().upper()).first()
    encoded = inquiry.pin_hash if inquiry is not None else _ABSENT_PIN_HASH
    pin_ok = check_password(pin.strip(), encoded)
    return inquiry if inquiry is not None and pin_ok else None


def public_state(inquiry: Inquiry) -> Inquiry.State:
    """What the relative may be told: nothing beyond “received” before their tie is verified."""
    if inquiry.verified_at is None:
        return Inquiry.State.RECEIVED
    if inquiry.state == Inquiry.State.RETURNED and not inquiry.disclosable:
        return Inquiry.State.NEWS
    return Inquiry.State(inquiry.state)
