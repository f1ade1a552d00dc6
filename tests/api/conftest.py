"""Partner API tests: a token per test, a client that sends it, and a small seeded world."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.tokens import SCOPES, issue_token
from captives.models import Captive
from exchanges.models import Exchange, Phase
from tests.factories import make_captive, make_exchange, make_phase

_keys = itertools.count(1)


class Partner:
    """A partner system calling the API with its token."""

    def __init__(self, name: str, scopes: list[str] | frozenset[str]) -> None:
        self.token, self.raw = issue_token(
            partner_name=name, scopes=sorted(scopes), now=timezone.now()
        )
        self.client = Client(headers={"Authorization": f"Bearer {self.raw}"})

    def get(self, path: str, **headers: str) -> Any:
        return self.client.get(path, headers=headers)

    def post(self, path: str, body: Any, key: str | None = None, **headers: str) -> Any:
        headers = {"Idempotency-Key": key or f"key-{next(_keys)}"} | headers
        if isinstance(body, dict) and any(hasattr(v, "read") for v in body.values()):
            return self.client.post(path, body, headers=headers)  # multipart
        return self.client.post(
            path, json.dumps(body), content_type="application/json", headers=headers
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def partner(db: None) -> Partner:
    return Partner("ministry", SCOPES)


@pytest.fixture
def other_partner(db: None) -> Partner:
    return Partner("ombudsman", SCOPES)


@dataclass
class World:
    exchange: Exchange
    phase: Phase
    captive: Captive


@pytest.fixture
def world(db: None) -> World:
    exchange = make_exchange()
    phase = make_phase(exchange)
    return World(exchange=exchange, phase=phase, captive=make_captive())


def is_problem(response: Any, status: int) -> bool:
    """An RFC 9457 problem with the status it claims."""
    body = response.json()
    return (
        response.status_code == status
        and response["Content-Type"] == "application/problem+json"
        and body["status"] == status
        and body["type"].startswith("urn:homecoming:problem:")
        and bool(body["title"])
        and bool(body["detail"])
    )
