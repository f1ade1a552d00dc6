from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from accounts.models import ApiCall, PartnerToken
from accounts.tokens import issue_token
from tests.factories import make_captive

pytestmark = pytest.mark.django_db


def _get(raw: str, path: str = "/api/v1/captives/") -> object:
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_issue_token_prints_it_once_and_keeps_only_a_digest() -> None:
    out = StringIO()
    call_command("issue_token", "ombudsman", scopes="registry:read", stdout=out)

    raw = out.getvalue().split()[0]
    token = PartnerToken.objects.get()
    assert raw.startswith("hc_")
    assert raw not in token.digest
    assert token.scopes == ["registry:read"]
    with pytest.raises(CommandError, match="Unknown scopes: registry:everything"):
        call_command("issue_token", "x", scopes="registry:everything")


def test_personal_data_only_with_its_scope_and_every_call_is_audited() -> None:
    make_captive()
    _, reader = issue_token(partner_name="icrc", scopes=["registry:read"], now=timezone.now())
    _, personal = issue_token(
        partner_name="ministry", scopes=["registry:read", "registry:personal"], now=timezone.now()
    )

    plain = _get(reader).json()["results"][0]  # type: ignore[attr-defined]
    full = _get(personal).json()["results"][0]  # type: ignore[attr-defined]

    assert "birth_date" not in plain
    assert "service_number" not in plain
    assert full["birth_date"] == "1990-03-14"
    assert ApiCall.objects.filter(token__partner__username="icrc", status=200).count() == 1


@pytest.mark.parametrize("trouble", ["expired", "revoked", "wrong", "no-scope"])
def test_refused_tokens(trouble: str) -> None:
    scopes = ["sightings:write"] if trouble == "no-scope" else ["registry:read"]
    token, raw = issue_token(partner_name="p", scopes=scopes, now=timezone.now())
    if trouble == "expired":
        PartnerToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(1))
    if trouble == "revoked":
        PartnerToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    if trouble == "wrong":
        raw = raw[:-1] + ("A" if raw[-1] != "A" else "B")

    response = _get(raw)

    assert response.status_code == (403 if trouble == "no-scope" else 401)  # type: ignore[attr-defined]
