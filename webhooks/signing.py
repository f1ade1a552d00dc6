"""How a webhook is signed, so that a partner knows it came from us and was not replayed.

As the Standard Webhooks specification says (https://www.standardwebhooks.com/), so that a
partner's standard library checks it: ``webhook-id`` (the event's id, the same on every retry),
``webhook-timestamp`` (Unix seconds) and ``webhook-signature: v1,<base64 HMAC-SHA256>`` over
``{id}.{timestamp}.{body}``, keyed with the base64-decoded part of the secret after ``whsec_``.

Until ``LEGACY_SIGNATURE_UNTIL`` the signature partners checked before is sent too:
``X-Homecoming-Signature: sha256=<hex HMAC-SHA256>`` over ``{timestamp}.{body}``, keyed with the
whole secret's text. ``docs/webhooks.md`` shows partners how to check both. Pure functions: no
Django, no clock.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

SECRET_PREFIX = "whsec_"  # noqa: S105 - a label in front of each secret, not one
SECRET_BYTES = 32
ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
EVENT_ID_HEADER = "X-Homecoming-Event-Id"
EVENT_TYPE_HEADER = "X-Homecoming-Event"
# The last day (UTC) the old signature, and the old timestamp header it needs, are sent.
LEGACY_SIGNATURE_UNTIL = date(2027, 6, 30)
LEGACY_TIMESTAMP_HEADER = "X-Homecoming-Timestamp"
LEGACY_SIGNATURE_HEADER = "X-Homecoming-Signature"
_LEGACY_ENDS = int(
    datetime.combine(LEGACY_SIGNATURE_UNTIL + timedelta(days=1), time(), tzinfo=UTC).timestamp()
)


def new_secret() -> str:
    """``whsec_`` and 32 random bytes in standard, padded base64, which every standard library
    decodes (some refuse the URL-safe alphabet or a missing padding)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def standard_spelling(secret: str) -> str:
    """The secret as the standard libraries read it. Secrets issued before the standard
    signature are URL-safe base64 without padding (``-`` and ``_`` for ``+`` and ``/``): the
    same bytes, spelt in the standard alphabet and padded. A new secret is returned as it is."""
    text = secret.removeprefix(SECRET_PREFIX).rstrip("=").replace("-", "+").replace("_", "/")
    return SECRET_PREFIX + text + "=" * (-len(text) % 4)


def signing_key(secret: str) -> bytes:
    """The standard signature's key: the bytes the part after ``whsec_`` encodes."""
    encoded = standard_spelling(secret).removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error as failure:
        raise ValueError("A webhook secret is not base64 after whsec_.") from failure


def body_of(envelope: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact JSON with sorted keys, UTF-8."""
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The standard signature: ``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body``."""
    message = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def legacy_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sends_legacy_signature(timestamp: int) -> bool:
    return timestamp < _LEGACY_ENDS


def signed_headers(
    *, secret: str, event_id: str, event_type: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The headers of one attempt sent at ``timestamp``. The event's id is the standard's
    message id: a receiver drops a retry as a duplicate by it."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Homecoming-Webhooks/1",
        ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(
            secret=secret, message_id=event_id, timestamp=timestamp, body=body
        ),
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
    }
    if sends_legacy_signature(timestamp):
        headers[LEGACY_TIMESTAMP_HEADER] = str(timestamp)
        headers[LEGACY_SIGNATURE_HEADER] = legacy_signature(
            secret=secret, timestamp=timestamp, body=body
        )
    return headers
