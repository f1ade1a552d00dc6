from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client

from accounts.roles import Role
from tests.factories import make_user, sign_in
from webhooks.models import AllowedHost, Endpoint

from .conftest import partner_token

pytestmark = pytest.mark.django_db
URL = "https://hooks.partner.example/homecoming"
_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def allowed() -> None:
    AllowedHost.objects.create(host="hooks.partner.example", note="the ombudsman's receiver")


def _client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")


def _register(client: Client, **body: Any) -> Any:
    data = {"url": URL, "events": ["captive.returned", "phase.completed"]} | body
    return client.post(
        "/api/v1/webhooks/",
        data,
        content_type="application/json",
        headers={"Idempotency-Key": f"register-{next(_keys)}"},
    )


def test_a_partner_registers_an_endpoint_and_sees_its_secret_only_once() -> None:
    token, raw = partner_token()
    client = _client(raw)

    created = _register(client)
    listed = client.get("/api/v1/webhooks/")
    one = client.get(f"/api/v1/webhooks/{created.json()['id']}/")

    assert created.status_code == 201
    assert created.json()["secret"].startswith("whsec_")
    endpoint = Endpoint.objects.get()
    assert (endpoint.token, endpoint.secret) == (token, created.json()["secret"])
    assert endpoint.events == ["captive.returned", "phase.completed"]
    assert [e["url"] for e in listed.json()] == [URL]
    assert "secret" not in listed.json()[0]
    assert one.status_code == 200
    assert "secret" not in one.json()


@pytest.mark.parametrize(
    ("url", "events", "message", "status"),
    [
        ("https://evil.example/x", ["captive.returned"], "evil.example on port 443 is not on", 422),
        ("https://hooks.partner.example:6379/", ["captive.returned"], "port 6379 is not on", 422),
        ("https://hooks.partner.example:99999/", ["captive.returned"], "from 1 to 65535", 422),
        ("http://hooks.partner.example/x", ["captive.returned"], "must use https", 422),
        ("http://127.0.0.1:8000/x", ["captive.returned"], "must use https", 422),
        ("https://u:p@hooks.partner.example/x", ["captive.returned"], "user name or password", 422),
        (URL, ["captive.exploded"], "is not a valid choice", 400),  # not in the schema's enum
    ],
)
def test_an_endpoint_is_refused_clearly(
    url: str, events: list[str], message: str, status: int
) -> None:
    _, raw = partner_token()

    response = _register(_client(raw), url=url, events=events)

    assert response.status_code == status
    assert message in str(response.json())
    assert not Endpoint.objects.exists()


def test_an_allowed_host_is_allowed_on_its_own_port_alone() -> None:
    _, raw = partner_token()
    client = _client(raw)

    default = _register(client, url="https://hooks.partner.example/")
    named = _register(client, url="https://hooks.partner.example:443/in")
    redis = _register(client, url="https://hooks.partner.example:6379/")
    unlisted = _register(client, url="https://hooks.partner.example:8443/")
    AllowedHost.objects.create(host="hooks.partner.example", port=8443)
    listed = _register(client, url="https://hooks.partner.example:8443/")
    still_redis = _register(client, url="https://hooks.partner.example:6379/")

    assert (default.status_code, named.status_code, listed.status_code) == (201, 201, 201)
    assert (redis.status_code, unlisted.status_code, still_redis.status_code) == (422, 422, 422)
    assert "hooks.partner.example on port 6379 is not on the list" in str(redis.json())
    assert Endpoint.objects.count() == 3


@pytest.mark.parametrize(
    ("scopes", "events", "refused"),
    [
        (["registry:read"], ["captive.returned", "captive.listed", "phase.completed"], ""),
        ([], ["captive.returned"], "captive.returned needs registry:read"),
        ([], ["captive.listed"], "captive.listed needs registry:read"),
        ([], ["phase.completed"], "phase.completed needs registry:read"),
        (["lists:submit"], ["list.reconciled"], ""),
        (["registry:read"], ["list.reconciled"], "list.reconciled needs lists:submit"),
    ],
    ids=["reader", "returned", "listed", "completed", "submitter", "reconciled"],
)
def test_an_event_is_subscribed_to_only_with_the_scope_that_reads_what_it_is_about(
    scopes: list[str], events: list[str], refused: str
) -> None:
    _, raw = partner_token(scopes=["webhooks:manage", *scopes])

    response = _register(_client(raw), events=events)

    if not refused:
        assert response.status_code == 201
        assert Endpoint.objects.get().events == sorted(events)
    else:
        assert response.status_code == 403
        assert refused in response.json()["detail"]
        assert not Endpoint.objects.exists()


def test_a_partner_deletes_its_endpoint_and_cannot_touch_another_partners() -> None:
    _, mine = partner_token("ombudsman")
    _, theirs = partner_token("icrc")
    own = _register(_client(mine)).json()["id"]
    other = _register(_client(theirs)).json()["id"]

    foreign_read = _client(mine).get(f"/api/v1/webhooks/{other}/")
    foreign_delete = _client(mine).delete(f"/api/v1/webhooks/{other}/")
    deleted = _client(mine).delete(f"/api/v1/webhooks/{own}/")

    assert (foreign_read.status_code, foreign_delete.status_code) == (404, 404)
    assert deleted.status_code == 204
    assert _client(mine).get("/api/v1/webhooks/").json() == []
    assert Endpoint.objects.get(pk=other).is_active
    gone = Endpoint.objects.get(pk=own)
    assert not gone.is_active
    assert gone.removed_at is not None


@pytest.mark.parametrize(
    ("who", "status"),
    [("scoped", 201), ("no-scope", 403), ("official-session", 403), ("nobody", 401)],
)
def test_only_a_partner_token_with_the_webhooks_scope_registers(who: str, status: int) -> None:
    client = Client()
    if who in ("scoped", "no-scope"):
        scopes = ["webhooks:manage", "registry:read"] if who == "scoped" else ["registry:read"]
        client = _client(partner_token(scopes=scopes)[1])
    if who == "official-session":
        sign_in(client, make_user(Role.OFFICIAL))

    assert _register(client).status_code == status
