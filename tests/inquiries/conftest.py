"""A message provider's API, for real: an HTTP server in a thread on 127.0.0.1.

It answers with the replies a test scripts (``201`` with ``{}`` once the script runs out), or
holds a request unanswered until the test ends (``HANG``), and keeps every request it got.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.loopback import loopback_server

# A reply never sent: the client's read timeout has to end the wait.
HANG: tuple[int, dict[str, Any]] = (0, {})


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Provider:
    url: str = ""
    script: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            provider.requests.append(Request(self.path, dict(self.headers.items()), body))
            status, answer = provider.script.pop(0) if provider.script else (201, {})
            if (status, answer) == HANG:
                provider.released.wait()
                return
            reply = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def provider() -> Iterator[Provider]:
    found = Provider()
    with loopback_server(_handler(found)) as address:
        found.url = address
        try:
            yield found
        finally:
            found.released.set()  # a request left hanging ends before the server closes
