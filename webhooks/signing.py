"""How a webhook is signed, so that a partner knows it came from us and was not replayed.

The signature is HMAC-SHA256 over ``timestamp + "." + body`` with the endpoint's secret, hex
encoded, in ``X-Homecoming-Signature: sha256=<hex>``. ``docs/webhooks.md`` shows partners how to
check it. Pure functions: no Django, no clock.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

SECRET_PREFIX = "whsec_"  # noqa: S105 - a label in front of each secret, not one
EVENT_ID_HEADER = "X-Homecoming-Event-Id"
EVENT_TYPE_HEADER = "X-Homecoming-Event"
TIMESTAMP_HEADER = "X-Homecoming-Timestamp"
SIGNATURE_HEADER = "X-Homecoming-Signature"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def body_of(envelope: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact JSON with sorted keys, UTF-8."""
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    *, secret: str, event_id: str, event_type: str, timestamp: int, body: bytes
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Homecoming-Webhooks/1",
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret=secret, timestamp=timestamp, body=body),
    }
