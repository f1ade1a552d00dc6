"""Telling relatives what is safe to tell them, in their language, once.

Only inquiries whose relationship a caseworker verified hear anything beyond "received"; a
return is named only where staff marked it disclosable, otherwise the message says that a
caseworker will call. Messages are rows first (in the caller's transaction), sent by Celery
after commit, and a unique constraint keeps each one single.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from inquiries.models import Inquiry, Notification


def notify_relatives(*, captive_ids: Iterable[int], event: Notification.Event, at: datetime) -> int:
    """Queue a message to every verified relative following one of these captives.

    A few queries however many relatives: the messages sent already are left out, the others
    written at once; should another caller write some of them meanwhile, one by one instead.
    """
    from inquiries.tasks import send_notification_task

    inquiries = Inquiry.objects.filter(captive_id__in=list(captive_ids), verified_at__isnull=False)
    notes = [
        _message(inquiry, inquiry.captive_id, event, channel, recipient, at)
        for inquiry in inquiries.exclude(state=Inquiry.State.CLOSED)
        if inquiry.captive_id is not None
        for channel, recipient in _channels(inquiry)
    ]
    told = set(
        Notification.objects.filter(
            event=event, inquiry__in=[note.inquiry_id for note in notes]
        ).values_list("inquiry_id", "captive_id", "channel")
    )
    fresh = [n for n in notes if (n.inquiry_id, n.captive_id, n.channel) not in told]
    try:
        with transaction.atomic():
            queued = [note.pk for note in Notification.objects.bulk_create(fresh)]
    except IntegrityError:
        queued = [note.pk for note in fresh if _saved_once(note)]
    for pk in queued:
        transaction.on_commit(partial(send_notification_task.delay, pk))
    return len(queued)


def _saved_once(note: Notification) -> bool:
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        return False  # told already: the same news is never sent twice
    return True


def _channels(inquiry: Inquiry) -> list[tuple[Notification.Channel, str]]:
    found = []
    if inquiry.email:
        found.append((Notification.Channel.EMAIL, inquiry.email))
    if inquiry.phone:
        found.append((Notification.Channel.SMS, inquiry.phone))
    return found


def _message(
    inquiry: Inquiry,
    captive_id: int,
    event: Notification.Event,
    channel: str,
    recipient: str,
    at: datetime,
) -> Notification:
    with translation.override(inquiry.language or settings.LANGUAGE_CODE):
        subject = _("News about your inquiry %(reference)s") % {"reference": inquiry.reference}
        if event == Notification.Event.RETURNED and inquiry.disclosable:
            body = _("%(name)s has come home. A caseworker will contact you.")
        elif event == Notification.Event.LISTED and inquiry.disclosable:
            body = _("%(name)s is on a list for an exchange. A caseworker will contact you.")
        else:
            body = _("There is news about %(name)s. A caseworker will contact you.")
    return Notification(
        inquiry=inquiry,
        captive_id=captive_id,
        event=event,
        channel=channel,
        recipient=recipient,
        language=inquiry.language,
        subject=subject,
        body=body % {"name": inquiry.sought_full_name},
        created_at=at,
    )


def send_notification(*, notification_id: int, at: datetime) -> Notification:
    """Send one queued message; a second delivery of the task finds it claimed and stops."""
    claimed = Notification.objects.filter(
        pk=notification_id, state=Notification.State.QUEUED
    ).update(state=Notification.State.SENDING)
    note = Notification.objects.get(pk=notification_id)
    if not claimed:
        return note
    if note.channel == Notification.Channel.EMAIL:
        send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.recipient])
    else:
        import_string(settings.SMS_BACKEND)(note.recipient, note.body)
    Notification.objects.filter(pk=note.pk).update(state=Notification.State.SENT, sent_at=at)
    note.refresh_from_db()
    return note


def console_sms(recipient: str, body: str) -> None:
    """The default SMS backend, like Django's console e-mail backend. A provider's backend is
    any function of (recipient, body) named by the SMS_BACKEND setting."""
    sys.stdout.write(f"SMS to {recipient}: {body}\n")
