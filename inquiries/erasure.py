"""Erasing what Homecoming holds about a relative: their name, email, phone and photo on an
inquiry, and the addresses and texts of the messages sent to them (after the ICRC Handbook on
Data Protection in Humanitarian Action: kept no longer than the tracing needs them, and erased
when the person asks, unless a caseworker has a reason to decline).

Two ways in: the retention period (``INQUIRY_RETENTION_DAYS`` after the inquiry was closed or
its person came home; ``erase_expired``, run daily by Celery beat), and the relative's request
from the status page, which a caseworker confirms or declines. Each erasure is one transaction
with its ``Erasure`` row (field names, never values) and a history row; the history itself holds
no contact data (``Inquiry.history`` excludes them), so nothing else keeps a copy.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config.errors import DomainError
from config.history import attribute_change
from inquiries.models import (
    CLOSING_STATES,
    CONTACT_FIELDS,
    ERASED_NAME,
    Erasure,
    ErasureRequest,
    Inquiry,
    Notification,
)

ERASED_MESSAGE = "Not sent: the relative's data were erased."
_REASONS = {
    Erasure.Reason.RETENTION: "Relative's data erased: retention period over",
    Erasure.Reason.REQUEST: "Relative's data erased at their request",
}


def erase_inquiry(
    *,
    inquiry: Inquiry,
    reason: Erasure.Reason,
    at: datetime,
    by: User | None,
    request: ErasureRequest | None = None,
) -> Erasure | None:
    """Erase the relative's data on this inquiry; None if they were erased already.

    Steps, in one transaction with the inquiry locked:
    1. the relative's name (a placeholder), email and phone blanked, the photo's name taken,
       and with it the consent to show it to returnees;
    2. an inquiry still open is closed: erasing the only way to reach the relative ends the
       tracing under it (a caseworker confirming a request is told so);
    3. the messages sent to them lose their recipient and text; those not yet sent never go;
    4. the ``Erasure`` row, naming the fields that held something, and a history row;
    5. the photo's file deleted, last, so that a failure before it leaves everything as it
       was. Should the commit itself fail after it, the photo is gone and the rest is erased
       at the next run.
    """
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if locked.erased_at is not None:
            return None
        erased = [name for name in CONTACT_FIELDS if getattr(locked, name)]
        locked.relative_name, locked.email, locked.phone = ERASED_NAME, "", ""
        photo = locked.photo.name if locked.photo else ""
        if photo:
            erased.append("photo")
        locked.photo = ""  # an empty FieldFile, as Django stores it
        locked.photo_shown_to_returnees_at = None  # no photo, nothing to show
        if not locked.is_closed:
            locked.move_to(Inquiry.State.CLOSED, at=at)
        locked.erased_at = at
        attribute_change(locked, by=by, reason=_REASONS[reason])
        locked.save(
            update_fields=[
                *CONTACT_FIELDS,
                "photo",
                "photo_shown_to_returnees_at",
                "state",
                "closed_at",
                "erased_at",
            ]
        )
        messages = locked.notifications.all()
        messages.filter(state__in=[Notification.State.QUEUED, Notification.State.SENDING]).update(
            state=Notification.State.FAILED, error=ERASED_MESSAGE
        )
        blanked = messages.update(recipient="", body="")
        if blanked:
            erased += ["notifications.recipient", "notifications.body"]
        erasure = Erasure.objects.create(
            inquiry=locked,
            reason=reason,
            fields=erased,
            messages=blanked,
            request=request,
            at=at,
            by=by,
        )
        if photo:
            locked.photo.storage.delete(photo)
    return erasure


def expired_inquiries(*, now: datetime, days: int) -> list[int]:
    """Inquiries closed, or whose person came home, more than ``days`` days before ``now``,
    whose relative's data are still held; the longest closed first."""
    return list(
        Inquiry.objects.filter(
            state__in=CLOSING_STATES,
            closed_at__lte=now - timedelta(days=days),
            erased_at__isnull=True,
        )
        .order_by("closed_at", "pk")
        .values_list("pk", flat=True)
    )


def erase_expired(*, now: datetime, days: int) -> int:
    """Erase the relatives' data of every inquiry past the retention period; the number
    erased. Safe to run any number of times: each inquiry is checked again under its lock (one
    reopened meanwhile is left alone) and erased once, each in a transaction of its own."""
    done = 0
    for pk in expired_inquiries(now=now, days=days):
        with transaction.atomic():
            inquiry = Inquiry.objects.select_for_update().get(pk=pk)
            cutoff = now - timedelta(days=days)
            if not inquiry.is_closed or inquiry.closed_at is None or inquiry.closed_at > cutoff:
                continue
            erasure = erase_inquiry(
                inquiry=inquiry, reason=Erasure.Reason.RETENTION, at=now, by=None
            )
        done += erasure is not None
    return done


def request_erasure(*, inquiry: Inquiry, at: datetime) -> ErasureRequest:
    """The relative asks that their data be erased: a pending request for a caseworker (the
    one already pending, if there is one)."""
    if inquiry.erased_at is not None:
        raise DomainError(_("The data on this inquiry have been erased already."))
    try:
        with transaction.atomic():
            return ErasureRequest.objects.create(inquiry=inquiry, requested_at=at)
    except IntegrityError:  # one is pending (the unique constraint): that one stands
        return ErasureRequest.objects.get(inquiry=inquiry, state=ErasureRequest.State.PENDING)


def pending_request(inquiry: Inquiry) -> ErasureRequest | None:
    return inquiry.erasure_requests.filter(state=ErasureRequest.State.PENDING).first()


def _decide(erasure_request: ErasureRequest) -> ErasureRequest:
    locked = ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)
    if locked.state != ErasureRequest.State.PENDING:
        raise DomainError(_("This erasure request has been decided already."))
    return locked


def confirm_erasure(*, erasure_request: ErasureRequest, by: User, at: datetime) -> Erasure:
    """A caseworker agrees: the relative's data are erased as retention erases them, and an
    inquiry still open is closed. Returns the erasure (an earlier one, if retention came
    first)."""
    with transaction.atomic():
        locked = _decide(erasure_request)
        locked.state, locked.decided_at, locked.decided_by = (
            ErasureRequest.State.CONFIRMED,
            at,
            by,
        )
        locked.save(update_fields=["state", "decided_at", "decided_by"])
        erasure = erase_inquiry(
            inquiry=locked.inquiry, reason=Erasure.Reason.REQUEST, at=at, by=by, request=locked
        )
        return erasure or Erasure.objects.get(inquiry_id=locked.inquiry_id)


def decline_erasure(
    *, erasure_request: ErasureRequest, because: str, by: User, at: datetime
) -> ErasureRequest:
    """A caseworker declines, saying why (the relative reads it on their status page)."""
    because = because.strip()
    if not because:
        raise DomainError(_("Say why the request is declined."))
    with transaction.atomic():
        locked = _decide(erasure_request)
        locked.state, locked.decided_at, locked.decided_by = ErasureRequest.State.DECLINED, at, by
        locked.declined_because = because[:2000]
        locked.save(update_fields=["state", "decided_at", "decided_by", "declined_because"])
    return locked
