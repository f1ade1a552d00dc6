from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core import mail

from inquiries.models import Inquiry, Notification
from inquiries.notifications import notify_relatives
from inquiries.tasks import send_notification_task
from tests.factories import make_captive
from tests.workers import wait_for

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 23, 16, 0, tzinfo=UTC)


def _inquiry(
    captive_id: int, *, verified: bool, disclosable: bool = False, **extra: Any
) -> Inquiry:
    fields: dict[str, Any] = {
        "reference": f"HC-{captive_id:04d}-{Inquiry.objects.count():04d}",
        "pin_hash": "x",
        "relative_name": "Марія",
        "relationship": "mother",
        "email": "maria@example.org",
        "consent_given_at": NOW,
        "sought_full_name": "Гнатюк Дмитро",
        "captive_id": captive_id,
        "disclosable": disclosable,
        "verified_at": NOW if verified else None,
        "verification_method": "Birth certificate" if verified else "",
    }
    return Inquiry.objects.create(**(fields | extra))


def test_only_verified_relatives_are_told_and_each_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    captive = make_captive()
    told = _inquiry(captive.pk, verified=True, disclosable=True, phone="+380501234567")
    _inquiry(captive.pk, verified=False)

    with django_capture_on_commit_callbacks() as queued:
        first = notify_relatives(
            captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW
        )
    again = notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)

    assert (first, again) == (2, 0)  # email and SMS for the verified relative, then nothing
    assert len(queued) == 2
    assert set(Notification.objects.values_list("inquiry_id", flat=True)) == {told.pk}


def test_a_return_is_named_only_where_staff_allowed_it() -> None:
    captive = make_captive()
    allowed = _inquiry(captive.pk, verified=True, disclosable=True, language="en")
    withheld = _inquiry(captive.pk, verified=True, language="en", email="otto@example.org")

    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)

    assert "has come home" in allowed.notifications.get().body
    assert "has come home" not in withheld.notifications.get().body
    assert "There is news" in withheld.notifications.get().body


def test_messages_speak_the_relatives_language() -> None:
    captive = make_captive()
    inquiry = _inquiry(captive.pk, verified=True, disclosable=True, language="uk")

    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)

    assert "повернувся додому" in inquiry.notifications.get().body


def test_the_sending_task_run_twice_sends_one_email() -> None:
    captive = make_captive()
    _inquiry(captive.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    note = Notification.objects.get()

    send_notification_task.apply(args=(note.pk,))
    send_notification_task.apply(args=(note.pk,))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maria@example.org"]
    assert Notification.objects.get().state == Notification.State.SENT


def sms_box(recipient: str, body: str) -> None:
    SENT_SMS.append((recipient, body))


SENT_SMS: list[tuple[str, str]] = []


def test_sms_goes_through_the_backend_the_settings_name(settings: Any) -> None:
    settings.SMS_BACKEND = "tests.inquiries.test_notifications.sms_box"
    captive = make_captive()
    _inquiry(captive.pk, verified=True, disclosable=True, email="", phone="+380501234567")
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)

    send_notification_task.apply(args=(Notification.objects.get().pk,))

    assert [("+380501234567", SENT_SMS[0][1])] == SENT_SMS
    assert "повернувся додому" in SENT_SMS[0][1]  # in the relative's language (Ukrainian)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_delivered_twice_through_redis_is_sent_once(
    celery_worker: Any, tmp_path: Any
) -> None:
    captive = make_captive()
    _inquiry(captive.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    note = Notification.objects.get()

    send_notification_task.delay(note.pk)
    send_notification_task.delay(note.pk)  # a redelivery, as after a lost acknowledgement

    mailbox = tmp_path / "mail"
    assert wait_for(lambda: Notification.objects.get().state == Notification.State.SENT)
    assert wait_for(lambda: mailbox.exists() and len(list(mailbox.iterdir())) >= 1)
    time.sleep(2)  # give the second delivery its chance to (wrongly) send again
    assert len(list(mailbox.iterdir())) == 1
