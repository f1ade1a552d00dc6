"""Administrators issue and revoke partner tokens in the browser; the audit log is read-only."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import ApiCall, PartnerToken
from accounts.tokens import digest
from tests.api.conftest import Partner

pytestmark = pytest.mark.django_db


def test_a_token_issued_in_the_admin_is_shown_once_and_works(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/accounts/partnertoken/add/",
        {"partner_name": "red-cross", "scopes": ["registry:read", "lists:submit"], "days": "30"},
    )

    raw = re.search(r'id="raw-token"[^>]*>(hc_[\w-]+)<', response.content.decode())
    token = PartnerToken.objects.get()
    assert response.status_code == 200
    assert raw is not None
    assert token.digest == digest(raw.group(1))
    assert token.scopes == ["lists:submit", "registry:read"]
    assert (
        raw.group(1)
        not in admin_client.get(f"/admin/accounts/partnertoken/{token.pk}/change/").content.decode()
    )
    api = Client(headers={"Authorization": f"Bearer {raw.group(1)}"})
    assert api.get("/api/v1/exchanges/").status_code == 200


def test_revoking_in_the_admin_refuses_the_token_from_then_on(admin_client: Client) -> None:
    partner = Partner("ngo", ["registry:read"])
    assert partner.get("/api/v1/exchanges/").status_code == 200

    admin_client.post(
        "/admin/accounts/partnertoken/",
        {"action": "revoke", "_selected_action": [partner.token.pk]},
    )

    partner.token.refresh_from_db()
    assert partner.token.revoked_at is not None
    assert partner.get("/api/v1/exchanges/").status_code == 401


def test_the_token_list_shows_scopes_and_expiry_and_the_audit_log_cannot_be_changed(
    admin_client: Client,
) -> None:
    partner = Partner("ngo", ["registry:read", "sightings:write"])
    partner.get("/api/v1/exchanges/")
    call = ApiCall.objects.get()

    tokens = admin_client.get("/admin/accounts/partnertoken/").content.decode()
    log = admin_client.get("/admin/accounts/apicall/")

    assert "registry:read, sightings:write" in tokens
    assert log.status_code == 200
    assert admin_client.get("/admin/accounts/apicall/add/").status_code == 403
    admin_client.post(f"/admin/accounts/apicall/{call.pk}/delete/", {"post": "yes"})
    assert ApiCall.objects.filter(pk=call.pk).exists()


def test_the_audit_log_keeps_the_endpoint_and_not_what_was_searched() -> None:
    partner = Partner("ministry", ["registry:read"])
    partner.get("/api/v1/captives/?q=Шевченко+Андрій")

    call = ApiCall.objects.get()
    assert call.path == "/api/v1/captives/"
    assert call.status == 200
