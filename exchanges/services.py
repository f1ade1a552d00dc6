"""Workflows over exchanges, phases and transfers. Each is one transaction with its history."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from captives import wording
from captives.lifecycle import Status
from captives.models import Captive, Provenance
from captives.services import BATCH, change_status, change_statuses
from config.dates import day_in_kyiv
from config.errors import DomainError
from config.history import attribute_change
from exchanges.errors import AlreadyConfirmedError, PhaseCompletedError, TransferError
from exchanges.models import Phase, Transfer, direction_for
from webhooks.models import EventType
from webhooks.services import record_events


def list_for_phase(
    *, phase: Phase, captive: Captive, by: User | None, provenance: Provenance
) -> Transfer:
    """Put a captive on a phase's transfers and mark them listed for exchange."""
    [transfer] = list_people(phase=phase, sources={captive: provenance}, by=by)
    return transfer


def list_people(
    *, phase: Phase, sources: Mapping[Captive, Provenance], by: User | None
) -> list[Transfer]:
    """Put captives on a phase's transfers and mark them listed for exchange, each with the
    source that names them: transfers, statuses, history rows and partners' events at once."""
    if phase.state == Phase.State.COMPLETED:
        raise TransferError(
            _("Phase %(n)s is completed; nobody can be added to it.") % {"n": phase.number}
        )
    with transaction.atomic():
        people = lock_captives([c.pk for c in sources])
        taken = Transfer.objects.filter(phase=phase, captive__in=list(sources)).exclude(
            state=Transfer.State.WITHDRAWN
        )
        listed = taken.select_related("captive").first()
        if listed is not None:
            raise TransferError(
                _("%(name)s is already listed in phase %(n)s.")
                % {"name": listed.captive.full_name, "n": phase.number}
            )
        transfers = []
        for captive, provenance in sources.items():
            transfer = Transfer(
                phase=phase, captive=captive, direction=direction_for(captive.held_by)
            )
            attribute_change(
                transfer, by=by, reason=wording.LISTED_FROM(source=provenance.description)
            )
            transfers.append(transfer)
        bulk_create_with_history(transfers, Transfer, batch_size=BATCH, default_user=by)
        change_statuses(
            # Those already listed, for an earlier phase's list, stay as they are.
            moves={c.pk: p for c, p in sources.items() if people[c.pk].status != Status.LISTED},
            to=Status.LISTED,
            by=by,
            reason=wording.LISTED_IN_PHASE(number=phase.number),
        )
        if transfers:  # listed together: one moment for all
            _record_transfer_events(
                EventType.CAPTIVE_LISTED, transfers, Status.LISTED, at=transfers[0].created_at
            )
    return transfers


def lock_captives(ids: Collection[int]) -> dict[int, Captive]:
    """These people, read again and locked in id order: every service that lists, takes off
    or brings home people locks them so, and two of them over one person queue in turn."""
    return Captive.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk").in_bulk()


def confirm_transfer(
    *, transfer: Transfer, by: User, at: datetime, on: date | None = None
) -> Transfer:
    """Record that the person crossed: the transfer is confirmed and the captive has returned."""
    confirm_transfers(transfers=[transfer], by=by, at=at, on=on)
    transfer.refresh_from_db()
    return transfer


def confirm_transfers(
    *, transfers: Sequence[Transfer], by: User, at: datetime, on: date | None = None
) -> list[Transfer]:
    """Record that these people crossed on the day ``on`` (by default, the day of ``at`` in
    Kyiv): their transfers are confirmed and they have returned, each with the official's
    provenance and history rows, all at once or none.

    The partial unique index on confirmed transfers is the last word: if another phase confirmed
    one of the same people in the meantime, the database refuses and nothing of this call is
    kept.
    """
    day = on or day_in_kyiv(at)  # the day in Kyiv, not in UTC
    try:
        with transaction.atomic():
            locked = list(
                Transfer.objects.select_for_update(of=("self",))
                .filter(pk__in=[t.pk for t in transfers])
                .select_related("captive", "phase")
                .order_by("pk")
            )
            done = next((t for t in locked if t.state != Transfer.State.LISTED), None)
            if done is not None:
                raise AlreadyConfirmedError(
                    _("%(name)s: this transfer is already “%(state)s”.")
                    % {"name": done.captive.full_name, "state": done.get_state_display()}
                )
            sources = Provenance.objects.bulk_create(
                Provenance(
                    kind=Provenance.Kind.OFFICIAL,
                    description=wording.RETURN_CONFIRMED(number=t.phase.number),
                    recorded_by=by,
                    dated=day,
                )
                for t in locked
            )
            for transfer in locked:
                transfer.state = Transfer.State.CONFIRMED
                transfer.confirmed_by = by
                transfer.confirmed_at = at
            bulk_update_with_history(
                locked,
                Transfer,
                ["state", "confirmed_by", "confirmed_at"],
                batch_size=BATCH,
                default_user=by,
                default_change_reason="Confirmed on the day",
            )
            for phase in {t.phase_id: t.phase for t in locked}.values():
                change_statuses(
                    moves={
                        t.captive_id: source
                        for t, source in zip(locked, sources, strict=True)
                        if t.phase_id == phase.pk
                    },
                    to=Status.RETURNED,
                    by=by,
                    reason=wording.CAME_HOME_ON(day=f"{day:%d.%m.%Y}", number=phase.number),
                )
            _record_transfer_events(
                EventType.CAPTIVE_RETURNED,
                locked,
                Status.RETURNED,
                at=at,
                returned_on=day.isoformat(),
            )
    except IntegrityError as error:
        home = (
            Transfer.objects.filter(
                captive__in=[t.captive_id for t in transfers], state=Transfer.State.CONFIRMED
            )
            .select_related("captive")
            .first()
        )
        raise AlreadyConfirmedError(
            _("%(name)s has already been confirmed as returned.")
            % {"name": home.captive.full_name if home else transfers[0].captive.full_name}
        ) from error
    return locked


def close_listings(*, captive_ids: Collection[int], by: User) -> list[Transfer]:
    """Those of these people who have come home are listed nowhere else: each listed transfer
    of theirs is superseded, saying which phase brought them home. Their status is the
    return's, and stays."""
    with transaction.atomic():
        home = {
            t.captive_id: t.phase
            for t in Transfer.objects.filter(
                captive__in=list(captive_ids), state=Transfer.State.CONFIRMED
            ).select_related("phase")
        }
        listings = list(
            Transfer.objects.select_for_update()
            .filter(captive__in=list(home), state=Transfer.State.LISTED)
            .order_by("pk")
        )
        for transfer in listings:
            transfer.state = Transfer.State.SUPERSEDED
            attribute_change(
                transfer, by=by, reason=wording.CAME_HOME(number=home[transfer.captive_id].number)
            )
        bulk_update_with_history(listings, Transfer, ["state"], batch_size=BATCH, default_user=by)
    return listings


def take_off_list(
    *, transfers: Sequence[Transfer], by: User, reason: str, at: datetime
) -> list[Transfer]:
    """These listed transfers will not happen: they are withdrawn, and their people, unless
    another phase still lists them, are confirmed captives again (the lifecycle's way back)."""
    with transaction.atomic():
        # The people first, as approval locks them: whether another phase still lists them
        # is then settled, not racing a proposal of that phase.
        people = lock_captives([t.captive_id for t in transfers])
        locked = list(
            Transfer.objects.select_for_update(of=("self",))
            .filter(pk__in=[t.pk for t in transfers], state=Transfer.State.LISTED)
            .select_related("captive", "phase")
            .order_by("pk")
        )
        for transfer in locked:
            transfer.state = Transfer.State.WITHDRAWN
        bulk_update_with_history(
            locked,
            Transfer,
            ["state"],
            batch_size=BATCH,
            default_user=by,
            default_change_reason=reason,
        )
        still_listed = set(
            Transfer.objects.filter(
                captive__in=[t.captive_id for t in locked], state=Transfer.State.LISTED
            ).values_list("captive_id", flat=True)
        )
        back = {
            t.captive_id
            for t in locked
            if people[t.captive_id].status == Status.LISTED and t.captive_id not in still_listed
        }
        if back:
            source = Provenance.objects.create(
                kind=Provenance.Kind.OFFICIAL, description=reason[:300], recorded_by=by
            )
            change_statuses(
                moves=dict.fromkeys(back, source), to=Status.CONFIRMED_CAPTIVE, by=by, reason=reason
            )
        # Partners heard "listed": they hear it is off, and the status the person has now.
        off = [t for t in locked if t.captive_id in back]
        elsewhere = [t for t in locked if t.captive_id not in back]
        for moved, status in ((off, Status.CONFIRMED_CAPTIVE), (elsewhere, Status.LISTED)):
            if moved:
                _record_transfer_events(EventType.CAPTIVE_UNLISTED, moved, status, at=at)
    return locked


def _record_transfer_events(
    event_type: EventType,
    transfers: Sequence[Transfer],
    status: Status,
    *,
    at: datetime,
    **more: str,
) -> None:
    """Partners hear of it by ids, statuses (and a return's day) only: no name or personal
    data in the payload."""
    record_events(
        event_type=event_type,
        payloads={
            f"transfer:{transfer.pk}": {
                "captive": str(transfer.captive.public_id),
                "status": status.value,
                "transfer": transfer.pk,
                "direction": transfer.direction,
                "phase": transfer.phase_id,
                "exchange": transfer.phase.exchange_id,
            }
            | more
            for transfer in transfers
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
        attribute_change(locked, by=by, reason=reason)
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


# What an official's form, the API or the admin may write on an existing phase. The proposal
# and the approval are written by the confirmation alone (workflows/confirmation.py).
PHASE_FIELDS = (
    "number",
    "date",
    "place",
    "state",
    "declared_returned_servicemen",
    "declared_returned_civilians",
    "declared_handed_over_servicemen",
    "declared_handed_over_civilians",
)


def record_phase(
    *, phase: Phase, by: User, reason: str, fields: Collection[str] = PHASE_FIELDS
) -> Phase:
    """Save a phase an official recorded or edited (already validated by its form).

    ``fields`` are those the caller edits. An existing phase is re-read under the lock the
    confirmation takes, and only those fields are copied onto it: a page loaded before the phase
    was proposed or confirmed cannot undo either. No phase becomes completed here (two officials
    complete it), and a completed phase keeps its state, date and counts: only its place may be
    corrected.
    """
    with transaction.atomic():
        if phase.pk is None:
            saved, editing = phase, None
            _check_state_change(phase.number, Phase.State.PLANNED, phase.state)
        else:
            saved = Phase.objects.select_for_update().get(pk=phase.pk)
            editing = [name for name in PHASE_FIELDS if name in fields]
            if "state" in editing:
                _check_state_change(saved.number, saved.state, phase.state)
            _check_completed_phase_edit(saved, phase, editing)
            for name in editing:
                setattr(saved, name, getattr(phase, name))
        attribute_change(saved, by=by, reason=reason)
        saved.save(update_fields=editing)
    return saved


# A completed phase is the record of a day that happened: who came home, on which date, against
# which declared counts. Only where it happened may still be corrected.
CORRECTABLE_WHEN_COMPLETED = ("place", "state")


def _check_completed_phase_edit(saved: Phase, edited: Phase, editing: Collection[str]) -> None:
    if saved.state != Phase.State.COMPLETED:
        return
    if any(
        getattr(saved, name) != getattr(edited, name)
        for name in editing
        if name not in CORRECTABLE_WHEN_COMPLETED
    ):
        raise PhaseCompletedError(
            _("Phase %(n)s is completed: only its place can still be corrected.")
            % {"n": saved.number}
        )


def _check_state_change(number: int, current: str, wanted: str) -> None:
    if wanted == current:
        return
    if current == Phase.State.COMPLETED:
        raise PhaseCompletedError(
            _("Phase %(n)s is completed: its state can no longer change.") % {"n": number}
        )
    if wanted == Phase.State.COMPLETED:
        raise DomainError(_("A phase is completed when two officials confirm it."))
