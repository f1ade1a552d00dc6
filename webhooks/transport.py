"""One HTTP POST to a partner, with the standard library: redirects are never followed
(``http.client`` does not follow them), and every failure comes back as a value, not raised."""

from __future__ import annotations

import http.client
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Response:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(
    url: str, *, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_SECONDS
) -> Response:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(64 * 1024)  # the receiver's words are not ours to keep; drain a little
        status, error = answer.status, "" if 200 <= answer.status < 300 else answer.reason
    except (OSError, http.client.HTTPException) as failure:
        status, error = None, f"{type(failure).__name__}: {failure}"
    finally:
        connection.close()
    return Response(status, error[:300], int((time.monotonic() - started) * 1000))
