"""Celery tasks: ids in, one service call, safe to run twice (the claim is in PostgreSQL)."""

from __future__ import annotations

import secrets

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from webhooks.delivery import attempt_delivery, due_deliveries


# One POST: the transport gives up after 20 s in all (webhooks/transport.py). The limits free
# the worker even so; the delivery's claim then expires and it is tried again.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=45,
)
def deliver_webhook_task(delivery_id: int) -> str:
    """Send one delivery; after a failure, queue the next attempt for when it is due."""
    outcome = attempt_delivery(
        delivery_id=delivery_id, now=timezone.now(), jitter=secrets.SystemRandom().random()
    )
    if outcome.retry_in is not None:
        deliver_webhook_task.apply_async((delivery_id,), countdown=outcome.retry_in.total_seconds())
    return outcome.state


@shared_task(soft_time_limit=30, time_limit=60)
def requeue_due_deliveries_task() -> list[int]:
    """Redis keeps nothing on disk: deliveries whose message was lost are found here."""
    due = due_deliveries(now=timezone.now())
    for delivery_id in due:
        deliver_webhook_task.delay(delivery_id)
    return due
