"""A partner's receiver, for real: a tiny HTTP server in a thread on 127.0.0.1.

It answers with the status codes a test scripts (200 once the script runs out) and keeps every
request it got. Webhooks are https-only; the tests let plain http through for loopback with
``WEBHOOKS_ALLOW_HTTP_LOOPBACK``, which production keeps off.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from accounts.models import PartnerToken
from accounts.tokens import issue_token
from tests.loopback import loopback_server
from webhooks.models import AllowedHost


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    script: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 80


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.requests.append(Received(dict(self.headers.items()), body))
            status = receiver.script.pop(0) if receiver.script else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(url="")
    with loopback_server(_handler(found)) as address:
        found.url = f"{address}/hooks/homecoming"
        yield found


@pytest.fixture
def loopback(settings: Any, db: None, receiver: Receiver) -> None:
    """Let the local receiver in: http on loopback, and 127.0.0.1 with the receiver's port on
    the allow-list."""
    settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK = True
    AllowedHost.objects.get_or_create(host="127.0.0.1", port=receiver.port)


def partner_token(
    name: str = "ombudsman", scopes: list[str] | None = None
) -> tuple[PartnerToken, str]:
    """A partner's token for webhooks; by default one that may hear of captives and phases."""
    return issue_token(
        partner_name=name,
        scopes=scopes if scopes is not None else ["webhooks:manage", "registry:read"],
        now=timezone.now() - timedelta(minutes=1),
    )


@pytest.fixture
def loopback_worker(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Any:
    """A real Celery worker that may call the local receiver (plain http on loopback)."""
    monkeypatch.setenv("WEBHOOKS_ALLOW_HTTP_LOOPBACK", "true")
    request.getfixturevalue("loopback")
    return request.getfixturevalue("celery_worker")
