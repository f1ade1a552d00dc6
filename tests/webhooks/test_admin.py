from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from webhooks.models import AllowedHost, Delivery, Endpoint, EventType
from webhooks.services import record_event, register_endpoint

from .conftest import partner_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(admin_client: Client) -> Client:
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


def test_administrators_keep_the_allow_list_see_deliveries_and_disable_endpoints(
    client: Client,
) -> None:
    added = client.post(
        "/admin/webhooks/allowedhost/add/",
        {"host": " Hooks.Partner.Example ", "port": "443", "note": "ICRC"},
    )
    endpoint = register_endpoint(
        token=partner_token()[0],
        url="https://hooks.partner.example/in",
        events=["phase.completed"],
    )
    record_event(
        event_type=EventType.PHASE_COMPLETED,
        subject="phase:1",
        payload={"phase": 1},
        at=datetime(2025, 5, 23, tzinfo=UTC),
    )
    deliveries = client.get("/admin/webhooks/delivery/")
    disabled = client.post(
        "/admin/webhooks/endpoint/",
        {"action": "disable", "_selected_action": [endpoint.pk]},
    )

    assert added.status_code == 302
    assert AllowedHost.objects.get().host == "hooks.partner.example"
    assert deliveries.status_code == 200
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1
    assert "hooks.partner.example/in" in deliveries.content.decode()
    assert disabled.status_code == 302
    assert not Endpoint.objects.get(pk=endpoint.pk).is_active
    assert (
        endpoint.secret
        not in client.get(f"/admin/webhooks/endpoint/{endpoint.pk}/change/").content.decode()
    )


def test_the_allow_list_takes_a_host_name_not_a_url(client: Client) -> None:
    response = client.post(
        "/admin/webhooks/allowedhost/add/", {"host": "https://hooks.partner.example/in"}
    )

    assert response.status_code == 200
    assert "A host name only" in response.content.decode()
    assert not AllowedHost.objects.exists()
