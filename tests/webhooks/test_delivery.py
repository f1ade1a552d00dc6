from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from config.retries import backoff
from webhooks.delivery import MAX_ATTEMPTS, attempt_delivery, due_deliveries
from webhooks.models import AllowedHost, Delivery, EventType
from webhooks.services import record_event, register_endpoint
from webhooks.tasks import deliver_webhook_task

from .conftest import Receiver, partner_token

pytestmark = pytest.mark.usefixtures("loopback")
T0 = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)


def _delivery(receiver: Receiver, at: datetime = T0) -> Delivery:
    token, _ = partner_token()
    endpoint = register_endpoint(token=token, url=receiver.url, events=["captive.returned"])
    record_event(
        event_type=EventType.CAPTIVE_RETURNED,
        subject="transfer:1",
        payload={"captive": "c0ffee", "status": "returned"},
        at=at,
    )
    return Delivery.objects.get(endpoint=endpoint)


def partner_verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The old check (``X-Homecoming-Signature``, sent until 2027-06-30), written here
    independently; the standard one is in test_standard_signature.py."""
    timestamp = headers["X-Homecoming-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + expected.hexdigest(), headers["X-Homecoming-Signature"])


def test_the_old_signature_verifies_with_the_endpoint_secret_and_fails_with_another(
    receiver: Receiver,
) -> None:
    delivery = _delivery(receiver)

    outcome = attempt_delivery(delivery_id=delivery.pk, now=T0, jitter=0.0)

    assert outcome.state == Delivery.State.DELIVERED
    [request] = receiver.requests
    secret = delivery.endpoint.secret
    assert partner_verifies(secret, request.headers, request.body)
    assert not partner_verifies(secret + "x", request.headers, request.body)
    assert not partner_verifies(secret, request.headers, request.body.replace(b"c0ffee", b"bad"))
    sent = json.loads(request.body)
    assert sent["id"] == request.headers["X-Homecoming-Event-Id"] == str(delivery.event.event_id)
    assert sent["type"] == request.headers["X-Homecoming-Event"] == "captive.returned"
    assert sent["data"] == {"captive": "c0ffee", "status": "returned"}
    assert request.headers["X-Homecoming-Timestamp"] == str(int(T0.timestamp()))


def test_a_receiver_failing_twice_gets_three_attempts_with_growing_delays_all_logged(
    receiver: Receiver,
) -> None:
    receiver.script = [500, 500]
    delivery = _delivery(receiver)

    first = attempt_delivery(delivery_id=delivery.pk, now=T0, jitter=0.5)
    too_early = attempt_delivery(delivery_id=delivery.pk, now=T0 + timedelta(seconds=5), jitter=0)
    assert first.retry_in is not None
    second_at = T0 + first.retry_in
    second = attempt_delivery(delivery_id=delivery.pk, now=second_at, jitter=0.5)
    assert second.retry_in is not None
    third_at = second_at + second.retry_in
    third = attempt_delivery(delivery_id=delivery.pk, now=third_at, jitter=0.5)

    assert (first.state, too_early.state, second.state, third.state) == (
        "pending",
        "pending",
        "pending",
        "delivered",
    )
    assert first.retry_in == timedelta(seconds=30 * 1.125)
    assert second.retry_in == timedelta(seconds=60 * 1.125)
    assert third.retry_in is None
    log = list(delivery.log.values_list("number", "at", "status_code", "error"))
    assert log == [
        (1, T0, 500, "Internal Server Error"),
        (2, second_at, 500, "Internal Server Error"),
        (3, third_at, 200, ""),
    ]
    assert all(ms >= 0 for ms in delivery.log.values_list("duration_ms", flat=True))
    assert len(receiver.requests) == 3  # the early call sent nothing
    assert len({r.headers["X-Homecoming-Event-Id"] for r in receiver.requests}) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.delivered_at) == ("delivered", 3, third_at)


def test_backoff_doubles_with_at_most_a_quarter_of_jitter_and_is_capped() -> None:
    assert [backoff(n, jitter=0).total_seconds() for n in range(1, 5)] == [30, 60, 120, 240]
    assert backoff(3, jitter=0.999) < backoff(4, jitter=0)
    assert backoff(30, jitter=0) == timedelta(hours=6)


def test_a_delivery_is_given_up_after_the_last_attempt(receiver: Receiver) -> None:
    receiver.script = [503] * MAX_ATTEMPTS
    delivery = _delivery(receiver)
    now = T0

    for _ in range(MAX_ATTEMPTS):
        outcome = attempt_delivery(delivery_id=delivery.pk, now=now, jitter=0)
        now += outcome.retry_in or timedelta(0)

    assert outcome.state == Delivery.State.FAILED
    assert outcome.retry_in is None
    assert delivery.log.count() == MAX_ATTEMPTS == len(receiver.requests)
    assert attempt_delivery(
        delivery_id=delivery.pk, now=now + timedelta(days=1), jitter=0
    ).state == (Delivery.State.FAILED)
    assert len(receiver.requests) == MAX_ATTEMPTS


def test_the_task_run_twice_delivers_once(receiver: Receiver) -> None:
    delivery = _delivery(receiver, at=datetime.now(tz=UTC) - timedelta(seconds=1))

    first = deliver_webhook_task.apply(args=(delivery.pk,)).get()
    second = deliver_webhook_task.apply(args=(delivery.pk,)).get()

    assert (first, second) == ("delivered", "delivered")
    assert len(receiver.requests) == 1
    assert delivery.log.count() == 1


def test_a_claimed_delivery_is_not_sent_by_a_second_worker(receiver: Receiver) -> None:
    delivery = _delivery(receiver)
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING, claimed_at=T0)

    outcome = attempt_delivery(delivery_id=delivery.pk, now=T0, jitter=0)

    assert outcome.state == Delivery.State.SENDING
    assert receiver.requests == []
    # A worker that died holding it: after a while the sweeper hands it out again.
    assert due_deliveries(now=T0 + timedelta(minutes=1)) == []
    assert due_deliveries(now=T0 + timedelta(minutes=6)) == [delivery.pk]
    assert attempt_delivery(
        delivery_id=delivery.pk, now=T0 + timedelta(minutes=6), jitter=0
    ).state == (Delivery.State.DELIVERED)


def test_the_sweeper_hands_out_only_deliveries_whose_message_is_overdue(
    receiver: Receiver,
) -> None:
    late = _delivery(receiver)
    Delivery.objects.filter(pk=late.pk).update(next_attempt_at=T0 - timedelta(minutes=10))
    soon = Delivery.objects.create(
        event=late.event,
        endpoint=register_endpoint(
            token=partner_token("icrc")[0], url=receiver.url, events=["captive.returned"]
        ),
        next_attempt_at=T0 - timedelta(minutes=1),
    )

    assert due_deliveries(now=T0) == [late.pk]
    assert Delivery.objects.get(pk=soon.pk).state == Delivery.State.PENDING


def test_a_host_taken_off_the_allow_list_is_not_called_any_more(receiver: Receiver) -> None:
    delivery = _delivery(receiver)
    AllowedHost.objects.filter(host="127.0.0.1").delete()

    outcome = attempt_delivery(delivery_id=delivery.pk, now=T0, jitter=0)

    assert outcome.state == Delivery.State.FAILED
    assert receiver.requests == []
    [attempt] = delivery.log.all()
    assert attempt.status_code is None
    assert "not on the list of allowed webhook hosts" in attempt.error


def test_the_same_host_on_a_port_not_on_the_allow_list_is_not_called(
    receiver: Receiver,
) -> None:
    delivery = _delivery(receiver)
    port = receiver.port
    AllowedHost.objects.filter(host="127.0.0.1", port=port).update(port=6379)

    outcome = attempt_delivery(delivery_id=delivery.pk, now=T0, jitter=0)

    assert outcome.state == Delivery.State.FAILED
    assert receiver.requests == []
    assert f"127.0.0.1 on port {port} is not on the list" in delivery.log.get().error


def test_a_receiver_that_is_down_is_logged_and_retried(receiver: Receiver) -> None:
    delivery = _delivery(receiver)
    type(delivery.endpoint).objects.filter(pk=delivery.endpoint_id).update(
        url="http://127.0.0.1:9/nobody-listens"
    )
    AllowedHost.objects.create(host="127.0.0.1", port=9)

    outcome = attempt_delivery(delivery_id=delivery.pk, now=T0, jitter=0)

    assert outcome.state == Delivery.State.PENDING
    [attempt] = delivery.log.all()
    assert attempt.status_code is None
    assert "ConnectionRefused" in attempt.error
