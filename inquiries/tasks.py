"""Celery tasks: ids in, one service call, safe to run twice (the claim is in PostgreSQL)."""

from __future__ import annotations

import secrets

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from inquiries.matching import match_sightings_to_inquiries, rematch_open_inquiries
from inquiries.notifications import due_notifications, send_notification


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
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


@shared_task
def requeue_due_notifications_task() -> list[int]:
    """Redis keeps nothing on disk, and may be down when news is committed: messages whose task
    never reached a worker, or whose worker died, are found here."""
    due = due_notifications(now=timezone.now())
    for notification_id in due:
        send_notification_task.delay(notification_id)
    return due


@shared_task
def rematch_open_inquiries_task() -> int:
    """Safe to run any number of times: suggestions are unique per inquiry and person."""
    return rematch_open_inquiries(at=timezone.now()) + match_sightings_to_inquiries()
