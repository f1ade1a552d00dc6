"""Workflows over exchanges, phases and transfers. Each is one transaction with its history."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from captives.lifecycle import Status
from captives.models import Captive, Provenance
from captives.services import change_status
from exchanges.errors import AlreadyConfirmedError, TransferError
from exchanges.models import Exchange, Phase, Transfer, direction_for
from exchanges.tally import COUNT_FIELDS, Tally
from webhooks.models import EventType
from webhooks.services import record_event

# What an official writes about an agreement; created_at and the id are the system's.
AGREEMENT_FIELDS = [
    field for field in Exchange._meta.concrete_fields if field.name not in ("id", "created_at")
]


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
        transfer._change_reason = f"Listed from {provenance}"  # type: ignore[attr-defined]
        transfer.save()
        if captive.status != Status.LISTED:  # already listed, for an earlier phase's list
            change_status(
                captive=captive,
                to=Status.LISTED,
                by=by,
                reason=f"Listed for exchange in phase {phase.number}",
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
                description=f"Return confirmed in phase {locked.phase.number}",
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
                reason=f"Came home in phase {locked.phase.number}",
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


def record_exchange(*, exchange: Exchange, by: User, reason: str, today: date) -> Exchange:
    """Save an agreement an official recorded or edited, with its history row, or nothing.

    Steps, in one transaction:
    1. the model's own validation (required fields, lengths, counts not negative);
    2. for an edit, lock the stored agreement and its phases, and keep only what changed;
    3. the rules that need other rows or the day (``_refusals``), for the changed fields only:
       an old agreement that already breaks one is not refused an unrelated correction;
    4. save with the history row; an edit that changes nothing writes nothing.

    Refusals are a ``ValidationError`` keyed by field: a form shows each beside its field, and
    the API's exception handler would answer it as field errors.
    """
    exchange.full_clean()
    with transaction.atomic():
        stored, phases = None, []
        if exchange.pk is not None:
            stored = Exchange.objects.select_for_update().get(pk=exchange.pk)
            phases = list(Phase.objects.select_for_update().filter(exchange=stored))
        changed = _changed(exchange, stored)
        if not changed:
            return exchange
        refusals = _refusals(exchange, changed, phases, today=today)
        if refusals:
            raise ValidationError(refusals)
        exchange._history_user = by  # type: ignore[attr-defined]
        exchange._change_reason = reason  # type: ignore[attr-defined]
        exchange.save(update_fields=None if stored is None else changed)
    return exchange


def exchange_refusals(*, exchange: Exchange, today: date) -> dict[str, list[str]]:
    """What ``record_exchange`` would refuse, by field, writing nothing: a form shows it beside
    its own errors, all at once. The service asks again under its locks."""
    stored = Exchange.objects.filter(pk=exchange.pk).first() if exchange.pk else None
    phases = list(Phase.objects.filter(exchange=stored)) if stored else []
    return _refusals(exchange, _changed(exchange, stored), phases, today=today)


def _changed(exchange: Exchange, stored: Exchange | None) -> list[str]:
    """The fields an official writes that differ from the stored agreement (all, for a new one)."""
    return [
        field.attname
        for field in AGREEMENT_FIELDS
        if stored is None or getattr(exchange, field.attname) != getattr(stored, field.attname)
    ]


def _refusals(
    exchange: Exchange, changed: list[str], phases: list[Phase], *, today: date
) -> dict[str, list[str]]:
    """What the rules of dates and counts say against the changed fields, by field."""
    refusals: dict[str, list[str]] = {}
    if "agreed_on" in changed and exchange.agreed_on is not None:  # a form's may be unreadable
        refusal = _misdated(exchange.agreed_on, phases, today=today)
        if refusal:
            refusals["agreed_on"] = [refusal]
    if not phases:
        return refusals  # nothing declared, nobody transferred: no count is too low
    declared = sum((phase.declared() for phase in phases), Tally())
    crossed = Transfer.objects.filter(
        phase__exchange=exchange, state=Transfer.State.CONFIRMED
    ).tally()
    for name in COUNT_FIELDS:
        field = f"agreed_{name}"
        if field in changed:
            refusal = _below_phases(
                getattr(exchange, field), getattr(declared, name), getattr(crossed, name)
            )
            if refusal:
                refusals[field] = [refusal]
    return refusals


def _misdated(agreed_on: date, phases: list[Phase], *, today: date) -> str | None:
    """Why an agreement's date makes no sense, or None: agreements are recorded once made, and
    each phase carries out an agreement already made."""
    if agreed_on > today:
        return _("An agreement cannot be dated in the future.")
    first = min(phases, key=lambda phase: phase.date, default=None)
    if first is not None and agreed_on > first.date:
        return _(
            "Phase %(number)s is dated %(date)s: an agreement cannot be dated after its phases."
        ) % {"number": first.number, "date": f"{first.date:%d.%m.%Y}"}
    return None


def _below_phases(agreed: int, declared: int, crossed: int) -> str | None:
    """Why an agreed count is too low, or None. People confirmed as transferred are a fact; the
    phases' declared counts are the officials' own figures, to be lowered first if they are
    wrong."""
    if agreed >= max(declared, crossed):
        return None
    if crossed > declared:
        return _(
            "Cannot be less than %(crossed)s: that many transfers have already been confirmed "
            "in this agreement's phases."
        ) % {"crossed": crossed}
    return _(
        "Cannot be less than %(declared)s: this agreement's phases already declare that many. "
        "Lower the phases' declared counts first."
    ) % {"declared": declared}
