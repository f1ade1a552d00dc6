"""Deliveries as a partner's Standard Webhooks library checks them: the bytes and headers the
transport sent, as the local receiver got them (``conftest.receiver``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from webhooks.delivery import attempt_delivery
from webhooks.models import Delivery, Endpoint, EventType
from webhooks.services import record_event, register_endpoint
from webhooks.signing import (
    LEGACY_SIGNATURE_UNTIL,
    new_secret,
    sends_legacy_signature,
    signature,
    signing_key,
    standard_spelling,
)

from .conftest import Received, Receiver, partner_token

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
T0 = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)
# A secret as issued before the standard signature: 32 bytes, URL-safe base64 without padding
# (0xFBEFFF spells "--__"), as secrets.token_urlsafe(32) made them.
OLD_KEY = b"\xfb\xef\xff" * 10 + b"\x00\x01"
OLD_SECRET = "whsec_" + base64.urlsafe_b64encode(OLD_KEY).decode().rstrip("=")


def _delivery(receiver: Receiver, *, at: datetime, secret: str | None = None) -> Delivery:
    endpoint = register_endpoint(
        token=partner_token()[0], url=receiver.url, events=["captive.returned"]
    )
    if secret is not None:
        Endpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
    record_event(
        event_type=EventType.CAPTIVE_RETURNED,
        subject="transfer:1",
        payload={"captive": "c0ffee", "status": "returned"},
        at=at,
    )
    return Delivery.objects.select_related("endpoint", "event").get(endpoint=endpoint)


def _sent_now(receiver: Receiver, *, secret: str | None = None) -> tuple[Delivery, Received]:
    """A delivery sent at the real time: the library checks the timestamp against its clock."""
    now = timezone.now()
    delivery = _delivery(receiver, at=now - timedelta(seconds=1), secret=secret)
    assert attempt_delivery(delivery_id=delivery.pk, now=now, jitter=0).state == "delivered"
    [request] = receiver.requests
    return delivery, request


def _library_signature(secret: str, request: Received) -> str:
    headers = request.headers
    sent_at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), tz=UTC)
    return Webhook(secret).sign(headers["webhook-id"], sent_at, request.body)


@pytest.mark.usefixtures("loopback")
def test_a_real_delivery_verifies_with_the_standard_webhooks_library(receiver: Receiver) -> None:
    delivery, request = _sent_now(receiver)
    secret = delivery.endpoint.secret

    received = Webhook(secret).verify(request.body, request.headers)

    assert received == json.loads(request.body)
    assert received["id"] == request.headers["webhook-id"] == str(delivery.event.event_id)
    assert request.headers["webhook-signature"].startswith("v1,")
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(request.body.replace(b"c0ffee", b"bad"), request.headers)
    with pytest.raises(WebhookVerificationError):  # the id is signed: it cannot be swapped
        Webhook(secret).verify(request.body, request.headers | {"webhook-id": "another"})


@pytest.mark.usefixtures("loopback")
def test_a_retry_keeps_the_webhook_id_and_is_signed_again_at_its_own_time(
    receiver: Receiver,
) -> None:
    receiver.script = [500]
    delivery = _delivery(receiver, at=T0)

    first = attempt_delivery(delivery_id=delivery.pk, now=T0, jitter=0)
    assert first.retry_in is not None
    attempt_delivery(delivery_id=delivery.pk, now=T0 + first.retry_in, jitter=0)

    a, b = receiver.requests
    assert a.headers["webhook-id"] == b.headers["webhook-id"] == str(delivery.event.event_id)
    assert a.body == b.body
    assert int(b.headers["webhook-timestamp"]) - int(a.headers["webhook-timestamp"]) == 30
    for request in (a, b):
        assert request.headers["webhook-signature"] == _library_signature(
            delivery.endpoint.secret, request
        )


def _legacy_verifies(secret: str, request: Received) -> bool:
    """The old check partners run, written here independently of webhooks.signing."""
    timestamp = request.headers["X-Homecoming-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256)
    return hmac.compare_digest(
        "sha256=" + expected.hexdigest(), request.headers["X-Homecoming-Signature"]
    )


@pytest.mark.usefixtures("loopback")
@pytest.mark.parametrize(
    ("sent_at", "legacy"),
    [
        (datetime(2027, 6, 30, 23, 59, 59, tzinfo=UTC), True),
        (datetime(2027, 7, 1, 0, 0, 0, tzinfo=UTC), False),
    ],
    ids=["last-second-of-the-last-day", "the-day-after"],
)
def test_the_old_signature_header_is_sent_until_its_end_date_and_not_after(
    receiver: Receiver, sent_at: datetime, legacy: bool
) -> None:
    delivery = _delivery(receiver, at=sent_at)

    attempt_delivery(delivery_id=delivery.pk, now=sent_at, jitter=0)

    [request] = receiver.requests
    secret = delivery.endpoint.secret
    assert request.headers["webhook-signature"] == _library_signature(secret, request)
    assert request.headers["X-Homecoming-Event-Id"] == str(delivery.event.event_id)
    assert ("X-Homecoming-Signature" in request.headers) is legacy
    assert ("X-Homecoming-Timestamp" in request.headers) is legacy
    if legacy:
        assert _legacy_verifies(secret, request)
        assert request.headers["X-Homecoming-Timestamp"] == str(int(sent_at.timestamp()))


def test_the_partners_guide_states_the_day_the_old_header_ends() -> None:
    assert LEGACY_SIGNATURE_UNTIL.isoformat() == "2027-06-30"
    assert "until 2027-06-30" in DOCS.read_text()
    assert sends_legacy_signature(int(datetime(2027, 6, 30, 12, tzinfo=UTC).timestamp()))
    assert not sends_legacy_signature(int(datetime(2027, 7, 1, tzinfo=UTC).timestamp()))


@pytest.mark.usefixtures("loopback")
def test_an_old_url_safe_secret_verifies_in_its_standard_spelling(receiver: Receiver) -> None:
    assert "-" in OLD_SECRET
    assert "_" in OLD_SECRET.removeprefix("whsec_")
    _, request = _sent_now(receiver, secret=OLD_SECRET)

    received = Webhook(standard_spelling(OLD_SECRET)).verify(request.body, request.headers)

    assert received["type"] == "captive.returned"
    with pytest.raises(WebhookVerificationError):  # the library drops - and _ as it decodes
        Webhook(OLD_SECRET).verify(request.body, request.headers)
    assert _legacy_verifies(OLD_SECRET, request)  # the old header, keyed as before


@pytest.mark.usefixtures("loopback")
def test_the_partners_guide_verifies_ours_and_refuses_others(receiver: Receiver) -> None:
    namespace: dict[str, Any] = {}
    for snippet in DOCS.read_text().split("```python\n")[1:]:
        exec(snippet.split("```", 1)[0], namespace)  # noqa: S102 - our own guide, run as a partner would
    receive, verify_legacy = namespace["receive"], namespace["verify_legacy"]
    delivery, request = _sent_now(receiver)
    secret, sent_at = delivery.endpoint.secret, int(request.headers["webhook-timestamp"])

    assert receive(secret, request.headers, request.body) == json.loads(request.body)
    assert receive(new_secret(), request.headers, request.body) is None
    assert receive(secret, request.headers, request.body + b" ") is None
    assert verify_legacy(secret, request.headers, request.body, now=sent_at + 10)
    assert not verify_legacy("whsec_another", request.headers, request.body, now=sent_at + 10)
    assert not verify_legacy(secret, request.headers, request.body + b" ", now=sent_at + 10)
    assert not verify_legacy(secret, request.headers, request.body, now=sent_at + 600)


@pytest.mark.usefixtures("loopback")
def test_the_partners_guide_reads_an_old_secret(receiver: Receiver) -> None:
    namespace: dict[str, Any] = {}
    exec(DOCS.read_text().split("```python\n")[1].split("```", 1)[0], namespace)  # noqa: S102
    _, request = _sent_now(receiver, secret=OLD_SECRET)

    assert namespace["receive"](OLD_SECRET, request.headers, request.body)["type"] == (
        "captive.returned"
    )


@pytest.mark.usefixtures("loopback")
def test_an_endpoint_whose_secret_is_not_base64_fails_at_once_unsent(receiver: Receiver) -> None:
    delivery = _delivery(receiver, at=T0, secret="whsec_not*base64")

    outcome = attempt_delivery(delivery_id=delivery.pk, now=T0, jitter=0)

    assert outcome.state == Delivery.State.FAILED
    assert receiver.requests == []
    assert "not base64" in delivery.log.get().error


def test_a_new_secret_is_32_bytes_in_padded_standard_base64() -> None:
    secret = new_secret()

    encoded = secret.removeprefix("whsec_")
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(encoded, validate=True)) == 32
    assert len(encoded) == 44
    assert standard_spelling(secret) == secret
    assert signing_key(secret) == base64.b64decode(encoded)


def test_an_old_secret_and_its_standard_spelling_are_one_key() -> None:
    spelt = standard_spelling(OLD_SECRET)

    assert signing_key(OLD_SECRET) == OLD_KEY
    assert spelt == "whsec_" + base64.b64encode(OLD_KEY).decode()
    assert "-" not in spelt
    assert "_" not in spelt.removeprefix("whsec_")
    assert signing_key(spelt) == signing_key(OLD_SECRET)
    assert standard_spelling(spelt) == spelt


@pytest.mark.parametrize("secret", [new_secret(), OLD_SECRET], ids=["new", "old"])
def test_our_signature_is_the_one_the_library_computes(secret: str) -> None:
    body = '{"id":"e1","type":"phase.completed","data":{"name":"Шевченко"}}'.encode()

    ours = signature(secret=secret, message_id="e1", timestamp=1_750_000_000, body=body)

    assert ours == Webhook(standard_spelling(secret)).sign(
        "e1", datetime.fromtimestamp(1_750_000_000, tz=UTC), body
    )
