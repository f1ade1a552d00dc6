"""Registering partners' endpoints and recording events for them.

``record_event`` is called by the exchange services inside their own transactions: the event,
one delivery per subscribed endpoint, and the delivery tasks queued after commit. If the change
rolls back, no partner hears of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction

from accounts.models import PartnerToken
from config.errors import DomainError
from webhooks.models import AllowedHost, Delivery, Endpoint, Event, EventType
from webhooks.signing import new_secret

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class EndpointRefusedError(DomainError):
    """The address is not one we will call."""


def refusal(url: str) -> str | None:
    """Why we would not call this URL, or None when we would. Checked at registration and
    again before every delivery (an administrator may have removed the host since)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    loopback_http = (
        parts.scheme == "http" and host in LOOPBACK and settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK
    )
    if parts.scheme != "https" and not loopback_http:
        return "Webhook URLs must use https."
    if parts.username or parts.password:
        return "Webhook URLs cannot carry a user name or password."
    if not host or not AllowedHost.objects.filter(host=host).exists():
        return f"The host {host or '(none)'} is not on the list of allowed webhook hosts."
    return None


def register_endpoint(*, token: PartnerToken, url: str, events: Iterable[str]) -> Endpoint:
    """Register a partner's endpoint for some events; the secret is on the returned object and
    is shown to the partner only in the response to this call."""
    wanted = sorted(set(events))
    unknown = set(wanted) - set(EventType.values)
    if not wanted or unknown:
        named = ", ".join(sorted(unknown)) or "(none given)"
        raise EndpointRefusedError(f"Unknown events: {named}.")
    reason = refusal(url)
    if reason:
        raise EndpointRefusedError(reason)
    with transaction.atomic():
        return Endpoint.objects.create(
            partner=token.partner, token=token, url=url, events=wanted, secret=new_secret()
        )


def remove_endpoint(*, endpoint: Endpoint, at: datetime) -> Endpoint:
    """The partner no longer wants it: nothing more is sent; its delivery log stays."""
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk, removed_at__isnull=True).update(
            removed_at=at, is_active=False
        )
        Delivery.objects.filter(endpoint=endpoint, state=Delivery.State.PENDING).update(
            state=Delivery.State.FAILED
        )
    endpoint.refresh_from_db()
    return endpoint


def subscribed(event_type: str, *, at: datetime) -> list[Endpoint]:
    """Live endpoints that want this event, whose registering token is still valid."""
    endpoints = Endpoint.objects.filter(
        is_active=True,
        removed_at__isnull=True,
        token__revoked_at__isnull=True,
        token__expires_at__gt=at,
        partner__is_active=True,
    )
    return [e for e in endpoints if event_type in e.events]


def record_event(
    *, event_type: EventType, subject: str, payload: dict[str, Any], at: datetime
) -> Event | None:
    """Record that something happened, once per (type, subject), and queue its deliveries.

    Call it inside the transaction that made the change. A second call for the same subject
    (a task delivered twice, say) records nothing and returns None.
    """
    with transaction.atomic():
        event, created = Event.objects.get_or_create(
            type=event_type, subject=subject, defaults={"payload": payload, "occurred_at": at}
        )
        if not created:
            return None
        _queue_deliveries([event], event_type, at)
    return event


def record_events(
    *, event_type: EventType, payloads: Mapping[str, dict[str, Any]], at: datetime
) -> list[Event]:
    """``record_event`` for many subjects of one type at once (subject → payload), in a few
    queries however many: the subjects recorded already are left out."""
    with transaction.atomic():
        known = set(
            Event.objects.filter(type=event_type, subject__in=list(payloads)).values_list(
                "subject", flat=True
            )
        )
        fresh = [
            Event(type=event_type, subject=subject, payload=payload, occurred_at=at)
            for subject, payload in payloads.items()
            if subject not in known
        ]
        try:
            with transaction.atomic():
                events = Event.objects.bulk_create(fresh)
        except IntegrityError:  # another transaction recorded some of them meanwhile
            return [
                event
                for event in (
                    record_event(event_type=event_type, subject=e.subject, payload=e.payload, at=at)
                    for e in fresh
                )
                if event is not None
            ]
        _queue_deliveries(events, event_type, at)
    return events


def _queue_deliveries(events: list[Event], event_type: EventType, at: datetime) -> None:
    """One delivery per event and subscribed endpoint, each sent by a task after commit."""
    from webhooks.tasks import deliver_webhook_task

    endpoints = subscribed(event_type, at=at) if events else []
    deliveries = Delivery.objects.bulk_create(
        Delivery(event=event, endpoint=endpoint, next_attempt_at=at)
        for event in events
        for endpoint in endpoints
    )
    for delivery in deliveries:
        transaction.on_commit(partial(deliver_webhook_task.delay, delivery.pk))
