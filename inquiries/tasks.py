"""Celery tasks: ids in, one service call, safe to run twice (the claim is in PostgreSQL)."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from inquiries.erasure import erase_expired
from inquiries.matching import match_changes, match_sightings_to_inquiries, rematch_open_inquiries
from inquiries.notifications import due_notifications, send_notification, tell_untold_returns


# One e-mail (EMAIL_TIMEOUT, 30 s a wait on the mail server) or one SMS: seconds. A send that
# hangs past the soft limit counts as failed and is tried again later; the hard one frees the
# worker whatever the SMS provider's client does, well within the message's five-minute claim.
@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_notification_task(notification_id: int) -> str:
    """Send one message; after a failure, queue the next attempt for when it is due."""
    outcome = send_notification(
        notification_id=notification_id,
        at=timezone.now(),
        jitter=secrets.SystemRandom().random(),
    )
    if outcome.retry_in is not None:
        send_notification_task.apply_async(
            (notification_id,), countdown=outcome.retry_in.total_seconds()
        )
    return outcome.state


@shared_task(soft_time_limit=30, time_limit=60)
def requeue_due_notifications_task() -> list[int]:
    """Redis keeps nothing on disk, and may be down when news is committed: messages whose task
    never reached a worker, or whose worker died, are found here."""
    due = due_notifications(now=timezone.now())
    for notification_id in due:
        send_notification_task.delay(notification_id)
    return due


@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60)
def tell_untold_returns_task() -> int:
    """The hourly safety net: no verified relative of someone home stays untold."""
    return tell_untold_returns(at=timezone.now())


# Daily, on the default queue with the other sweeps. Each inquiry is erased in a transaction of
# its own: a run ended by its time limit keeps what it did, and tomorrow's goes on from there.
@shared_task(soft_time_limit=10 * 60, time_limit=11 * 60)
def erase_expired_inquiries_task() -> int:
    """Erase the relatives' data of inquiries closed longer ago than the retention period.
    Safe to run any number of times: an inquiry is erased once."""
    return erase_expired(now=timezone.now(), days=settings.INQUIRY_RETENTION_DAYS)


@shared_task(soft_time_limit=20 * 60, time_limit=25 * 60)
def rematch_open_inquiries_task() -> int:
    """The hourly full pass. Safe to run any number of times: suggestions are unique per inquiry
    and person."""
    return rematch_open_inquiries(at=timezone.now()) + match_sightings_to_inquiries()


@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60)
def match_changes_task(
    inquiry_ids: list[int], sighting_ids: list[int], captive_ids: list[int]
) -> int:
    """Safe to run any number of times, like the full pass."""
    return match_changes(
        inquiry_ids=set(inquiry_ids),
        sighting_ids=set(sighting_ids),
        captive_ids=set(captive_ids),
        at=timezone.now(),
    )


def rematch_on_commit(
    *,
    inquiry_ids: Iterable[int] = (),
    sighting_ids: Iterable[int] = (),
    captive_ids: Iterable[int] = (),
) -> None:
    """Once the current transaction commits, match what it added: an inquiry filed, a sighting
    recorded, a person registered or spelled anew. Robust: with the broker down the change
    still commits, and the hourly full pass matches it."""
    changes = (list(inquiry_ids), list(sighting_ids), list(captive_ids))

    def match_changes_after_commit() -> None:
        match_changes_task.delay(*changes)

    transaction.on_commit(match_changes_after_commit, robust=True)


def rematch_registry_people(captive_ids: Collection[int]) -> None:
    """The registry's reaction (``captives.reactions``): people registered or spelled anew may
    answer an open inquiry."""
    rematch_on_commit(captive_ids=captive_ids)
