"""The load benchmark's bare endpoints: only in its own URLconf, and the list's own rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from bench.load import BARE_PATH, NAKED_PATH
from tests.api.conftest import Partner
from tests.factories import make_captive

pytestmark = pytest.mark.django_db


def moment_read(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its moment read: DRF writes the database's UTC, the list Kyiv's offset."""
    return row | {"updated_at": datetime.fromisoformat(row["updated_at"])}


def test_production_routes_neither_bare_endpoint() -> None:
    assert resolve(f"/{BARE_PATH}").url_name == "not-found"  # the API's 404 problem
    with pytest.raises(Resolver404):
        resolve(f"/{NAKED_PATH}")


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bare_endpoints_answer_the_lists_first_page() -> None:
    for n in range(3):
        make_captive(family_name=f"Бондар{n}")
    reader = Partner("bench", ["registry:read"])

    listed = reader.get("/api/v1/captives/").json()["results"]
    bare = reader.get(f"/{BARE_PATH}").json()
    naked = Client().get(f"/{NAKED_PATH}").json()
    anonymous = Client().get(f"/{BARE_PATH}")

    assert bare == naked
    assert [moment_read(row) for row in bare] == [moment_read(row) for row in listed]
    assert anonymous.status_code == 401
