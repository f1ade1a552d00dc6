"""Delivering one event to one endpoint: claim, POST, log the attempt, then done or retry later.

At least once: a delivery is claimed with a conditional UPDATE (pending and due → sending), so a
task message delivered twice sends once; a worker that dies after claiming leaves the delivery
"sending", and the sweeper hands it out again after ``CLAIM_EXPIRES``. Receivers drop duplicates
by the event id (``webhook-id``), which never changes between attempts.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction

from config.retries import CLAIM_EXPIRES, EARLY, Outcome, backoff
from webhooks.models import Delivery, DeliveryAttempt
from webhooks.services import refusal
from webhooks.signing import body_of, signed_headers, signing_key
from webhooks.transport import Response, post

MAX_ATTEMPTS = 8


def attempt_delivery(*, delivery_id: int, now: datetime, jitter: float) -> Outcome:
    """Send a due delivery once, log the attempt, and decide what comes next.

    Steps: claim it (pending and due → sending; otherwise someone else has it, or it is done);
    check the endpoint may still be called; POST the signed event; write the attempt; mark it
    delivered, failed for good after ``MAX_ATTEMPTS``, or pending again after a backoff.
    """
    claimed = Delivery.objects.filter(
        pk=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now + EARLY
    ).update(state=Delivery.State.SENDING, claimed_at=now)
    delivery = Delivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    if not claimed:
        return Outcome(delivery.state)
    refused = _refusal(delivery)
    response = Response(None, refused, 0) if refused else _send(delivery, now)
    number = delivery.attempts + 1
    state = _verdict(response, final=bool(refused) or number >= MAX_ATTEMPTS)
    next_at = (
        now + backoff(number, jitter=jitter)
        if state == Delivery.State.PENDING
        else delivery.next_attempt_at
    )
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=number,
            at=now,
            status_code=response.status_code,
            error=response.error,
            duration_ms=response.duration_ms,
        )
        Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
            state=state,
            attempts=number,
            next_attempt_at=next_at,
            delivered_at=now if state == Delivery.State.DELIVERED else None,
        )
    return Outcome(state, next_at - now if state == Delivery.State.PENDING else None)


def _verdict(response: Response, *, final: bool) -> Delivery.State:
    if response.ok:
        return Delivery.State.DELIVERED
    return Delivery.State.FAILED if final else Delivery.State.PENDING


def _refusal(delivery: Delivery) -> str:
    """Why this delivery must not go out at all (it then fails at once), or ""."""
    endpoint = delivery.endpoint
    if not endpoint.is_active or endpoint.removed_at is not None:
        return "The endpoint was disabled."
    try:
        signing_key(endpoint.secret)
    except ValueError as unreadable:  # retrying would fail the same way, forever
        return str(unreadable)
    return refusal(endpoint.url) or ""


def _send(delivery: Delivery, now: datetime) -> Response:
    endpoint, event = delivery.endpoint, delivery.event
    envelope = {
        "id": str(event.event_id),
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "data": event.payload,
    }
    body = body_of(envelope)
    timestamp = int(now.timestamp())
    headers = signed_headers(
        secret=endpoint.secret,
        event_id=str(event.event_id),
        event_type=event.type,
        timestamp=timestamp,
        body=body,
    )
    return post(
        endpoint.url,
        body=body,
        headers=headers,
        allow_loopback=settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK,
    )


def due_deliveries(*, now: datetime) -> list[int]:
    """Deliveries whose task was lost: pending and overdue, or claimed by a worker long gone
    (those go back to pending; their POST may have left, and at least once allows a second)."""
    cutoff = now - CLAIM_EXPIRES
    Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lte=cutoff).update(
        state=Delivery.State.PENDING
    )
    return list(
        Delivery.objects.filter(
            state=Delivery.State.PENDING, next_attempt_at__lte=cutoff
        ).values_list("pk", flat=True)
    )
