from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from inquiries.notifications import send_notification


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_notification_task(notification_id: int) -> str:
    return str(send_notification(notification_id=notification_id, at=timezone.now()).state)
