"""Workflows over exchanges, phases and transfers. Each is one transaction with its history."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from captives import wording
from captives.lifecycle import Status
from captives.models import Captive, Provenance
from captives.services import change_status
from exchanges.errors import AlreadyConfirmedError, TransferError
from exchanges.models import Phase, Transfer, direction_for
from webhooks.models import EventType
from webhooks.services import record_event


def list_for_phase(
    *, phase: Phase, captive: Captive, by: User | None, provenance: Provenance
) -> Transfer:
    """Put a captive on a phase's transfers and mark them listed for exchange."""
    if phase.state == Phase.State.COMPLETED:
        raise TransferError(
            _("Phase %(n)s is completed; nobody can be added to it.") % {"n": phase.number}
        )
    with transaction.atomic():
        if Transfer.objects.filter(phase=phase, captive=captive).exists():
            raise TransferError(
                _("%(name)s is already listed in phase %(n)s.")
                % {"name": captive.full_name, "n": phase.number}
            )
        transfer = Transfer(phase=phase, captive=captive, direction=direction_for(captive.held_by))
        transfer._history_user = by  # type: ignore[attr-defined]
        transfer._change_reason = wording.LISTED_FROM(source=provenance.description)  # type: ignore[attr-defined]
        transfer.save()
        if captive.status != Status.LISTED:  # already listed, for an earlier phase's list
            change_status(
                captive=captive,
                to=Status.LISTED,
                by=by,
                reason=wording.LISTED_IN_PHASE(number=phase.number),
                provenance=provenance,
            )
        _record_transfer_event(
            EventType.CAPTIVE_LISTED, transfer, status=Status.LISTED, at=transfer.created_at
        )
    return transfer


def confirm_transfer(*, transfer: Transfer, by: User, at: datetime) -> Transfer:
    """Record that the person crossed: the transfer is confirmed and the captive has returned.

    The partial unique index on confirmed transfers is the last word: if another phase confirmed
    the same person in the meantime, the database refuses and nothing of this call is kept.
    """
    try:
        with transaction.atomic():
            locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
            if locked.state != Transfer.State.LISTED:
                raise AlreadyConfirmedError(
                    _("%(name)s: this transfer is already “%(state)s”.")
                    % {"name": locked.captive.full_name, "state": locked.get_state_display()}
                )
            provenance = Provenance.objects.create(
                kind=Provenance.Kind.OFFICIAL,
                description=wording.RETURN_CONFIRMED(number=locked.phase.number),
                recorded_by=by,
                dated=at.date(),
            )
            locked.state = Transfer.State.CONFIRMED
            locked.confirmed_by = by
            locked.confirmed_at = at
            locked._history_user = by  # type: ignore[attr-defined]
            locked._change_reason = "Confirmed on the day"  # type: ignore[attr-defined]
            locked.save(update_fields=["state", "confirmed_by", "confirmed_at"])
            change_status(
                captive=locked.captive,
                to=Status.RETURNED,
                by=by,
                reason=wording.CAME_HOME(number=locked.phase.number),
                provenance=provenance,
            )
            _record_transfer_event(
                EventType.CAPTIVE_RETURNED, locked, status=Status.RETURNED, at=at
            )
    except IntegrityError as error:
        raise AlreadyConfirmedError(
            _("%(name)s has already been confirmed as returned.")
            % {"name": transfer.captive.full_name}
        ) from error
    transfer.refresh_from_db()
    return transfer


def _record_transfer_event(
    event_type: EventType, transfer: Transfer, *, status: Status, at: datetime
) -> None:
    """Partners hear of it by ids and statuses only: no name or personal data in the payload."""
    record_event(
        event_type=event_type,
        subject=f"transfer:{transfer.pk}",
        payload={
            "captive": str(transfer.captive.public_id),
            "status": status.value,
            "transfer": transfer.pk,
            "direction": transfer.direction,
            "phase": transfer.phase_id,
            "exchange": transfer.phase.exchange_id,
        },
        at=at,
    )


def record_absence(*, transfer: Transfer, state: Transfer.State, by: User, reason: str) -> Transfer:
    """The person did not appear or declined to return: they stay a confirmed captive."""
    if state not in (Transfer.State.DID_NOT_APPEAR, Transfer.State.DECLINED):
        raise TransferError(_("An absence is either “did not appear” or “declined to return”."))
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.state != Transfer.State.LISTED:
            raise AlreadyConfirmedError(
                _("This transfer is already “%(state)s”.") % {"state": locked.get_state_display()}
            )
        provenance = Provenance.objects.create(
            kind=Provenance.Kind.OFFICIAL, description=reason, recorded_by=by
        )
        locked.state = state
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = reason  # type: ignore[attr-defined]
        locked.save(update_fields=["state"])
        change_status(
            captive=locked.captive,
            to=Status.CONFIRMED_CAPTIVE,
            by=by,
            reason=reason,
            provenance=provenance,
        )
    transfer.refresh_from_db()
    return transfer


def record_phase(*, phase: Phase, by: User, reason: str) -> Phase:
    """Save a phase an official recorded or edited (already validated by its form)."""
    phase._history_user = by  # type: ignore[attr-defined]
    phase._change_reason = reason  # type: ignore[attr-defined]
    with transaction.atomic():
        phase.save()
    return phase
