"""What every endpoint shares: problem details, ETags, throttling, refused tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiCall, PartnerToken
from tests.api.conftest import Partner, World, is_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("trouble", ["missing", "expired", "revoked", "wrong"])
def test_refused_tokens_get_a_401_problem_with_a_challenge(trouble: str) -> None:
    partner = Partner("p", ["registry:read"])
    if trouble == "expired":
        PartnerToken.objects.filter(pk=partner.token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    if trouble == "revoked":
        PartnerToken.objects.filter(pk=partner.token.pk).update(revoked_at=timezone.now())
    client = Client() if trouble == "missing" else partner.client
    if trouble == "wrong":
        client = Client(headers={"Authorization": f"Bearer {partner.raw}x"})

    response = client.get("/api/v1/captives/")

    assert is_problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["type"] == "urn:homecoming:problem:not-authenticated"


def test_a_missing_scope_is_a_403_problem(world: World) -> None:
    response = Partner("p", ["sightings:write"]).get("/api/v1/captives/")

    assert is_problem(response, 403)


def test_unknown_address_and_object_are_404_problems(partner: Partner) -> None:
    assert is_problem(partner.get("/api/v1/nothing-here/"), 404)
    assert is_problem(partner.get("/api/v1/exchanges/999999/"), 404)
    assert is_problem(partner.get("/api/v1/captives/00000000-0000-0000-0000-000000000000/"), 404)


def test_a_method_an_endpoint_lacks_is_a_405_problem_naming_the_allowed_ones(
    partner: Partner,
) -> None:
    response = partner.client.delete("/api/v1/exchanges/")

    assert is_problem(response, 405)
    assert "GET" in response["Allow"]


def test_validation_errors_name_each_field(partner: Partner, world: World) -> None:
    response = partner.post("/api/v1/phases/", {"exchange": world.exchange.pk, "number": "one"})

    body = response.json()
    assert is_problem(response, 400)
    assert body["type"] == "urn:homecoming:problem:validation"
    assert set(body["errors"]) >= {"number", "date"}
    assert all(isinstance(m, str) for messages in body["errors"].values() for m in messages)


def test_a_read_carries_an_etag_and_the_same_tag_gets_304(partner: Partner, world: World) -> None:
    first = partner.get(f"/api/v1/exchanges/{world.exchange.pk}/")
    again = partner.get(f"/api/v1/exchanges/{world.exchange.pk}/", If_None_Match=first["ETag"])
    world.exchange.venue = "Abu Dhabi"
    world.exchange.save(update_fields=["venue"])
    changed = partner.get(f"/api/v1/exchanges/{world.exchange.pk}/", If_None_Match=first["ETag"])

    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_scopes_change_the_body_so_they_change_the_tag(world: World) -> None:
    reader = Partner("reader", ["registry:read"])
    personal = Partner("personal", ["registry:read", "registry:personal"])
    path = f"/api/v1/captives/{world.captive.public_id}/"

    tag = reader.get(path)["ETag"]

    assert personal.get(path, If_None_Match=tag).status_code == 200
    assert "Authorization" in reader.get(path)["Vary"]


def test_past_its_rate_a_token_gets_429_with_retry_after_and_others_go_on(
    settings: object, world: World
) -> None:
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {  # type: ignore[attr-defined]
        "DEFAULT_THROTTLE_RATES": {"partner": "3/min"}
    }
    busy, calm = Partner("busy", ["registry:read"]), Partner("calm", ["registry:read"])

    statuses = [busy.get("/api/v1/exchanges/").status_code for _ in range(4)]
    refused = busy.get("/api/v1/exchanges/")

    assert statuses == [200, 200, 200, 429]
    assert is_problem(refused, 429)
    assert refused["Retry-After"] == "60"
    assert calm.get("/api/v1/exchanges/").status_code == 200


def test_every_call_is_audited_with_its_endpoint_object_and_outcome(
    partner: Partner, world: World
) -> None:
    partner.get(f"/api/v1/exchanges/{world.exchange.pk}/")
    partner.get("/api/v1/exchanges/424242/")

    found, missing = ApiCall.objects.order_by("at", "pk")
    assert (found.action, found.object_ref, found.status, found.outcome) == (
        "exchange-detail",
        str(world.exchange.pk),
        200,
        "",
    )
    assert (missing.status, missing.outcome) == (404, "not-found")
    assert found.token == partner.token


def test_a_body_in_an_unknown_format_is_a_415_problem(partner: Partner, world: World) -> None:
    response = partner.client.post(
        "/api/v1/phases/", "number=2", content_type="text/plain", headers={"Idempotency-Key": "k"}
    )

    assert is_problem(response, 415)


def test_a_browser_asking_for_html_still_gets_a_json_problem(partner: Partner) -> None:
    response = partner.client.get("/api/v1/exchanges/999/", headers={"Accept": "text/html"})

    assert is_problem(response, 404)


def test_when_the_rate_store_does_not_answer_calls_are_refused_not_let_through(
    settings: object, partner: Partner
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # type: ignore[attr-defined]  # nothing listens

    response = partner.get("/api/v1/exchanges/")

    assert is_problem(response, 503)
