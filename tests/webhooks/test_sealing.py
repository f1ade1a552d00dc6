"""Endpoint secrets are kept sealed: the database and its backups never hold one in the clear."""

from __future__ import annotations

import importlib
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from tests.webhooks.conftest import partner_token
from webhooks.models import AllowedHost, Endpoint
from webhooks.services import register_endpoint

pytestmark = pytest.mark.django_db


def _endpoint() -> Endpoint:
    AllowedHost.objects.get_or_create(host="hooks.partner.example")
    token, _ = partner_token()
    return register_endpoint(
        token=token, url="https://hooks.partner.example/in", events=["phase.completed"]
    )


def _stored(endpoint: Endpoint) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_endpoint WHERE id = %s", [endpoint.pk])
        return str(cursor.fetchone()[0])


def test_the_database_holds_the_secret_sealed_and_the_app_reads_it() -> None:
    endpoint = _endpoint()
    secret = endpoint.secret

    stored = _stored(endpoint)

    assert secret.startswith("whsec_")
    assert secret not in stored
    assert "whsec_" not in stored
    assert Endpoint.objects.get(pk=endpoint.pk).secret == secret


def test_a_rotated_secret_key_still_opens_what_the_old_one_sealed(settings: Any) -> None:
    endpoint = _endpoint()
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-key-" + "x" * 40, [old_key]

    call_command("reseal_webhook_secrets", stdout=io.StringIO())  # under the new key
    settings.SECRET_KEY_FALLBACKS = []

    assert Endpoint.objects.get(pk=endpoint.pk).secret == endpoint.secret


def test_a_secret_key_changed_without_its_fallback_says_so(settings: Any) -> None:
    endpoint = _endpoint()
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FALLBACKS"):
        Endpoint.objects.get(pk=endpoint.pk)


def test_the_migration_seals_the_secrets_stored_in_the_clear_and_opens_them_back() -> None:
    migration = importlib.import_module("webhooks.migrations.0002_seal_endpoint_secrets")
    endpoint = _endpoint()
    with connection.cursor() as cursor:  # as 0001 left it: in the clear
        cursor.execute(
            "UPDATE webhooks_endpoint SET secret = %s WHERE id = %s", ["whsec_clear", endpoint.pk]
        )
    editor = SimpleNamespace(connection=connection)

    migration.seal_secrets(None, editor)
    sealed = _stored(endpoint)
    migration.open_secrets(None, editor)

    assert "whsec_clear" not in sealed
    assert _stored(endpoint) == "whsec_clear"


def test_the_migration_leaves_an_empty_secret_as_it_is_both_ways() -> None:
    migration = importlib.import_module("webhooks.migrations.0002_seal_endpoint_secrets")
    endpoint = _endpoint()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE webhooks_endpoint SET secret = '' WHERE id = %s", [endpoint.pk])
    editor = SimpleNamespace(connection=connection)

    migration.seal_secrets(None, editor)
    migration.open_secrets(None, editor)  # used to fail: nothing to open in an empty value

    assert _stored(endpoint) == ""
