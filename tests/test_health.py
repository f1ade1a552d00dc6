from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db


def test_health_says_database_and_broker_answer() -> None:
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_health_reports_a_broker_that_does_not_answer(settings: Settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}
