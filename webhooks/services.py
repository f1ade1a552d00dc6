"""Registering partners' endpoints and recording events for them.

``record_event`` is called by the exchange services inside their own transactions: the event,
one delivery per subscribed endpoint, and the delivery tasks queued after commit. If the change
rolls back, no partner hears of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import PartnerToken
from config.errors import DomainError
from webhooks.models import AllowedHost, Delivery, Endpoint, Event, EventType
from webhooks.signing import new_secret

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
DEFAULT_PORTS = {"https": 443, "http": 80}  # what the transport connects to when none is given
# An endpoint hears only what the token that registered it could read through the API: an event
# needs the scope of the API that shows what it is about (captives, phases: the registry's).
EVENT_SCOPES: dict[str, str] = {
    EventType.CAPTIVE_LISTED: "registry:read",
    EventType.CAPTIVE_UNLISTED: "registry:read",
    EventType.CAPTIVE_RETURNED: "registry:read",
    EventType.PHASE_COMPLETED: "registry:read",
    EventType.LIST_RECONCILED: "lists:submit",
}
# Events about one partner's own records (a partner reads only the lists it submitted): heard
# by that partner's endpoints alone.
OWN_RECORD_EVENTS = frozenset({EventType.LIST_RECONCILED})


class EndpointRefusedError(DomainError):
    """The address is not one we will call."""


class EventsRefusedError(EndpointRefusedError):
    """The token may not hear of some of the events asked for."""

    status_code = 403


def hears(scopes: Iterable[str], event_type: str) -> bool:
    """Whether a token with these scopes may hear of events of this type."""
    return EVENT_SCOPES[event_type] in scopes


def events_refusal(scopes: Iterable[str], events: Iterable[str]) -> str | None:
    """Why a token with these scopes may not subscribe to these events, or None when it may."""
    held = frozenset(scopes)
    missing = [
        _("%(event)s needs %(scope)s") % {"event": e, "scope": EVENT_SCOPES[e]}
        for e in sorted(events)
        if not hears(held, e)
    ]
    if not missing:
        return None
    return _("This token lacks the scope to hear of these events: %(missing)s.") % {
        "missing": "; ".join(missing)
    }


def refusal(url: str) -> str | None:
    """Why we would not call this URL, or None when we would: its host and port (443 when it
    names none) must be on the allow-list together. Checked at registration and again before
    every delivery (an administrator may have removed the host since)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    loopback_http = (
        parts.scheme == "http" and host in LOOPBACK and settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK
    )
    if parts.scheme != "https" and not loopback_http:
        return "Webhook URLs must use https."
    if parts.username or parts.password:
        return "Webhook URLs cannot carry a user name or password."
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return "The port of a webhook URL is a number from 1 to 65535."
    if not host or not AllowedHost.objects.filter(host=host, port=port).exists():
        return (
            f"The host {host or '(none)'} on port {port} is not on the list of allowed "
            "webhook hosts."
        )
    return None


def register_endpoint(*, token: PartnerToken, url: str, events: Iterable[str]) -> Endpoint:
    """Register a partner's endpoint for some events; the secret is on the returned object and
    is shown to the partner only in the response to this call."""
    wanted = sorted(set(events))
    unknown = set(wanted) - set(EventType.values)
    if not wanted or unknown:
        named = ", ".join(sorted(unknown)) or "(none given)"
        raise EndpointRefusedError(f"Unknown events: {named}.")
    not_heard = events_refusal(token.scopes, wanted)
    if not_heard:
        raise EventsRefusedError(not_heard)
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


def subscribed(event_type: str, *, at: datetime, owner_id: int | None = None) -> list[Endpoint]:
    """Live endpoints that want this event, whose registering token is still valid and may hear
    of it; for an event about one partner's own records, only that partner's (``owner_id``)."""
    endpoints = Endpoint.objects.filter(
        is_active=True,
        removed_at__isnull=True,
        token__revoked_at__isnull=True,
        token__expires_at__gt=at,
        partner__is_active=True,
    ).select_related("token")
    if event_type in OWN_RECORD_EVENTS:
        endpoints = endpoints.filter(partner_id=owner_id)  # None: nobody's, so nobody hears it
    # The scopes are checked here too, not only at registration: an endpoint registered
    # before an event needed a scope is not sent what its token cannot read.
    return [e for e in endpoints if event_type in e.events and hears(e.token.scopes, event_type)]


def record_event(
    *,
    event_type: EventType,
    subject: str,
    payload: dict[str, Any],
    at: datetime,
    owner_id: int | None = None,
) -> Event | None:
    """Record that something happened, once per (type, subject), and queue its deliveries.

    Call it inside the transaction that made the change. A second call for the same subject
    (a task delivered twice, say) records nothing and returns None. An event about one
    partner's own records (``OWN_RECORD_EVENTS``) names that partner in ``owner_id``: only its
    endpoints hear of it.
    """
    with transaction.atomic():
        event, created = Event.objects.get_or_create(
            type=event_type, subject=subject, defaults={"payload": payload, "occurred_at": at}
        )
        if not created:
            return None
        _deliver([event], event_type, at, owner_id=owner_id)
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
        _deliver(events, event_type, at)
    return events


def _deliver(
    events: list[Event], event_type: EventType, at: datetime, *, owner_id: int | None = None
) -> None:
    """One delivery per event and subscribed endpoint, each sent by a task after commit."""
    endpoints = subscribed(event_type, at=at, owner_id=owner_id) if events else []
    deliveries = Delivery.objects.bulk_create(
        Delivery(event=event, endpoint=endpoint, next_attempt_at=at)
        for event in events
        for endpoint in endpoints
    )
    if deliveries:
        # robust: with the broker down the change still commits and its page still answers;
        # the deliveries wait as rows, and requeue_due_deliveries_task sends them later.
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: _queue_deliveries(ids), robust=True)


def _queue_deliveries(delivery_ids: list[int]) -> None:
    """Hand the deliveries to Celery; the first failure to reach the broker stops the rest."""
    from webhooks.tasks import deliver_webhook_task

    for delivery_id in delivery_ids:
        deliver_webhook_task.delay(delivery_id)
