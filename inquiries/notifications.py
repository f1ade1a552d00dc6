"""Telling relatives what is safe to tell them, in their language, once.

Only inquiries whose relationship a caseworker verified hear anything beyond "received"; a
return is named only where staff marked it disclosable, otherwise the message says that a
caseworker will call. Messages are rows first (in the caller's transaction), sent by Celery
after commit, and a unique constraint keeps each one single. Sending follows
``config.retries``: claimed before it is sent, tried again after a failure that may pass (a
timeout, a provider down or busy), failed at once when the provider refused the recipient or the
message, and swept up when a worker or a task message is lost.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from datetime import datetime
from smtplib import SMTPRecipientsRefused

from anymail.exceptions import AnymailAPIError, AnymailInvalidAddress, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from captives.lifecycle import Status
from captives.models import Captive
from config.retries import CLAIM_EXPIRES, EARLY, Outcome, Undeliverable, backoff, worth_retrying
from exchanges.models import Transfer
from inquiries.models import Inquiry, Notification
from inquiries.wording import NAMED_CAME_HOME, NAMED_CAME_HOME_ON, homecoming_words, said_of

logger = logging.getLogger(__name__)

# With the first waits of config.retries, ten attempts span about four hours of an outage.
MAX_ATTEMPTS = 10
NO_LONGER_TOLD = "Not sent: the inquiry is closed, or its relative is no longer verified."
NO_LONGER_LINKED = "Not sent: the inquiry is no longer linked to this person."
NO_ANSWER = "Not sent: no worker came back from the last attempt (it hung, or died)."


def notify_relatives(
    *,
    captive_ids: Iterable[int],
    event: Notification.Event,
    at: datetime,
    inquiry_ids: Iterable[int] | None = None,
) -> int:
    """Queue a message to every verified relative following one of these captives (only on
    the inquiries ``inquiry_ids``, if given).

    A few queries however many relatives: the messages sent already are left out, the others
    written at once; should another caller write some of them meanwhile, one by one instead.
    """
    inquiries = Inquiry.objects.filter(
        captive_id__in=list(captive_ids), verified_at__isnull=False
    ).select_related("captive")
    if inquiry_ids is not None:
        inquiries = inquiries.filter(pk__in=list(inquiry_ids))
    homes = _homecomings(inquiries, event)
    notes = [
        _message(inquiry, inquiry.captive, event, channel, recipient, at, homes)
        for inquiry in inquiries.exclude(state=Inquiry.State.CLOSED)
        if inquiry.captive is not None
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
    if queued:
        # robust: with the broker down the change that caused the news still commits and its
        # page still answers; the messages wait as rows, and the sweep queues them later.
        transaction.on_commit(lambda: _queue_sending(queued), robust=True)
    return len(queued)


def correct_listed_news(*, captive_ids: Iterable[int], at: datetime) -> int:
    """These people are on no list any more: the relatives who were told "listed" hear that
    it changed, once, rather than keep news that is no longer true."""
    ids = list(captive_ids)
    if not ids:
        return 0
    told = Notification.objects.filter(captive_id__in=ids, event=Notification.Event.LISTED)
    return notify_relatives(
        captive_ids=ids,
        event=Notification.Event.UNLISTED,
        at=at,
        inquiry_ids=told.values_list("inquiry_id", flat=True),
    )


def _homecomings(inquiries: QuerySet[Inquiry], event: str) -> dict[int, Transfer]:
    """For news of a return, the confirmed transfer of each person, in one query."""
    if event != Notification.Event.RETURNED:
        return {}
    found = Transfer.objects.filter(
        captive_id__in=inquiries.values("captive_id"), state=Transfer.State.CONFIRMED
    ).select_related("phase__exchange")
    return {transfer.captive_id: transfer for transfer in found}


def _saved_once(note: Notification) -> bool:
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        return False  # told already: the same news is never sent twice
    return True


def _queue_sending(notification_ids: list[int]) -> None:
    """Hand the messages to Celery; the first failure to reach the broker stops the rest
    (each would wait for it in turn), and the sweep queues them once it is back."""
    from inquiries.tasks import send_notification_task

    for pk in notification_ids:
        send_notification_task.delay(pk)


def _channels(inquiry: Inquiry) -> list[tuple[Notification.Channel, str]]:
    found = []
    if inquiry.email:
        found.append((Notification.Channel.EMAIL, inquiry.email))
    if inquiry.phone:
        found.append((Notification.Channel.SMS, inquiry.phone))
    return found


def _message(
    inquiry: Inquiry,
    captive: Captive,
    event: Notification.Event,
    channel: str,
    recipient: str,
    at: datetime,
    homecomings: dict[int, Transfer],
) -> Notification:
    home, sex = homecomings.get(captive.pk), captive.sex
    with translation.override(inquiry.language or settings.LANGUAGE_CODE):
        subject = _("News about your inquiry %(reference)s") % {"reference": inquiry.reference}
        if event == Notification.Event.RETURNED and inquiry.disclosable and home is not None:
            body = said_of(NAMED_CAME_HOME_ON, sex) % (
                homecoming_words(home) | {"name": "%(name)s"}  # filled last, as for every message
            )
        elif event == Notification.Event.RETURNED and inquiry.disclosable:
            body = said_of(NAMED_CAME_HOME, sex)
        elif event == Notification.Event.LISTED and inquiry.disclosable:
            body = _("%(name)s is on a list for an exchange. A caseworker will contact you.")
        elif event == Notification.Event.UNLISTED and inquiry.disclosable:
            body = _(
                "%(name)s is no longer on the list for the exchange we told you of. "
                "A caseworker will contact you."
            )
        else:
            body = _("There is news about %(name)s. A caseworker will contact you.")
    return Notification(
        inquiry=inquiry,
        captive=captive,
        event=event,
        channel=channel,
        recipient=recipient,
        language=inquiry.language,
        subject=subject,
        body=body.replace("%(name)s", inquiry.sought_full_name),
        created_at=at,
        next_attempt_at=at,
    )


def send_notification(*, notification_id: int, at: datetime, jitter: float) -> Outcome:
    """Send a due message once, and decide what comes next.

    Steps: claim it (queued and due → sending, noting when; otherwise another worker has it, or
    it is sent); send it by e-mail or SMS; mark it sent, or record why it failed and queue it
    again after a backoff (``jitter`` in [0, 1) spreads the waits), failed for good after
    ``MAX_ATTEMPTS``, or at once when the provider refused it for good (``_for_good``). Only
    the claim's holder writes the result: a worker whose claim the sweep took back writes
    nothing.
    """
    # The attempt counts when it is claimed: one whose worker never comes back counts too, so
    # a send that hangs is not handed out for ever.
    claimed = Notification.objects.filter(
        pk=notification_id, state=Notification.State.QUEUED, next_attempt_at__lte=at + EARLY
    ).update(state=Notification.State.SENDING, claimed_at=at, attempts=F("attempts") + 1)
    note = Notification.objects.select_related("inquiry", "captive").get(pk=notification_id)
    if not claimed:
        return Outcome(note.state)
    number = note.attempts
    mine = Notification.objects.filter(pk=note.pk, state=Notification.State.SENDING, claimed_at=at)
    inquiry = note.inquiry
    if inquiry.state == Inquiry.State.CLOSED or inquiry.verified_at is None:
        mine.update(state=Notification.State.FAILED, error=NO_LONGER_TOLD)
        return Outcome(Notification.State.FAILED)
    if not _still_linked(note):
        mine.update(state=Notification.State.FAILED, error=NO_LONGER_LINKED)
        return Outcome(Notification.State.FAILED)
    # Written again as it stands now: a return named when staff allowed it is not named once
    # they have withdrawn it, however long the message waited.
    current = _message(
        inquiry,
        note.captive,
        Notification.Event(note.event),
        note.channel,
        note.recipient,
        note.created_at,
        _homecomings(Inquiry.objects.filter(pk=inquiry.pk), note.event),
    )
    note.subject, note.body = current.subject, current.body
    try:
        _send(note)
    except Exception as error:  # SMTP, a provider, whatever it raised: kept (and see _for_good)
        logger.warning("Notification %s: attempt %s failed: %r", note.pk, number, error)
        error_text = f"{type(error).__name__}: {error}"[:1000]
        if number >= MAX_ATTEMPTS or _for_good(error):
            mine.update(state=Notification.State.FAILED, error=error_text)
            return Outcome(Notification.State.FAILED)
        retry_in = backoff(number, jitter=jitter)
        mine.update(
            state=Notification.State.QUEUED, next_attempt_at=at + retry_in, error=error_text
        )
        return Outcome(Notification.State.QUEUED, retry_in)
    mine.update(
        state=Notification.State.SENT, sent_at=at, error="", subject=note.subject, body=note.body
    )
    return Outcome(Notification.State.SENT)


def _still_linked(note: Notification) -> bool:
    """Whether the inquiry still seeks the person the message is about (or the record that
    person was merged into): a caseworker may have unlinked it while the message waited."""
    linked = note.inquiry.captive_id
    return linked is not None and linked in (note.captive_id, note.captive.merged_into_id)


def _for_good(error: Exception) -> bool:
    """Whether no later attempt can succeed: the provider refused this recipient or this
    message. Anything else (a timeout, a server down, a 5xx or 429) is tried again."""
    if isinstance(error, Undeliverable | AnymailRecipientsRefused | AnymailInvalidAddress):
        return True
    if isinstance(error, AnymailAPIError) and error.status_code is not None:
        return not worth_retrying(error.status_code)
    # SMTP: every recipient refused with a permanent (5xx) reply; 4xx ones are worth a retry.
    return isinstance(error, SMTPRecipientsRefused) and all(
        code >= 500 for code, _reply in error.recipients.values()
    )


def _send(note: Notification) -> None:
    if note.channel == Notification.Channel.EMAIL:
        send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.recipient])
    else:
        import_string(settings.SMS_BACKEND)(note.recipient, note.body)


def due_notifications(*, now: datetime) -> list[int]:
    """Messages whose task was lost: queued and overdue, or claimed by a worker long gone
    (those are queued again; their message may have left, and at least once allows a second)."""
    cutoff = now - CLAIM_EXPIRES
    expired = Notification.objects.filter(state=Notification.State.SENDING, claimed_at__lte=cutoff)
    expired.filter(attempts__gte=MAX_ATTEMPTS).update(
        state=Notification.State.FAILED, error=NO_ANSWER
    )
    expired.update(state=Notification.State.QUEUED)
    return list(
        Notification.objects.filter(
            state=Notification.State.QUEUED, next_attempt_at__lte=cutoff
        ).values_list("pk", flat=True)
    )


def tell_untold_returns(*, at: datetime) -> int:
    """Tell verified relatives of people already home who were never told: linked to the person
    after the return by a path that sent nothing (a group joined late, a data migration). Safe
    to run any number of times: each message is once per inquiry, person and channel."""
    untold = (
        Inquiry.objects.filter(verified_at__isnull=False, captive__status=Status.RETURNED)
        .exclude(state=Inquiry.State.CLOSED)
        .exclude(notifications__event=Notification.Event.RETURNED)
        .values_list("captive_id", flat=True)
        .distinct()
    )
    return notify_relatives(
        captive_ids=[c for c in untold if c is not None], event=Notification.Event.RETURNED, at=at
    )


def console_sms(recipient: str, body: str) -> None:
    """The default SMS backend, like Django's console e-mail backend. A provider's backend is
    any function of (recipient, body) named by the SMS_BACKEND setting (``inquiries.sms``); one
    raises ``config.retries.Undeliverable`` where trying again cannot help."""
    sys.stdout.write(f"SMS to {recipient}: {body}\n")
