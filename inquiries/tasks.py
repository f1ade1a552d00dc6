from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from inquiries.matching import match_sightings_to_inquiries, rematch_open_inquiries
from inquiries.notifications import send_notification


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_notification_task(notification_id: int) -> str:
    return str(send_notification(notification_id=notification_id, at=timezone.now()).state)


@shared_task
def rematch_open_inquiries_task() -> int:
    """Safe to run any number of times: suggestions are unique per inquiry and person."""
    return rematch_open_inquiries(at=timezone.now()) + match_sightings_to_inquiries()
