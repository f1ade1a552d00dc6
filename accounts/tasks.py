"""Celery tasks of the accounts app: one service call each, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from accounts.idempotency import purge_expired_keys


@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60)
def purge_expired_idempotency_keys_task() -> int:
    """Hourly, on the default queue: expired Idempotency-Keys and the answers they stored go.
    A second run finds nothing left to delete."""
    return purge_expired_keys(now=timezone.now())
