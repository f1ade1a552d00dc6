"""Confirming a phase, four eyes: one official proposes, a different one approves.

Families will be told who came home, so nobody confirms alone, and nothing is confirmed while
any row of the phase's lists is still undecided.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from captives import wording
from captives.models import Provenance
from config.errors import ConflictError, DomainError
from exchanges.models import Outcome, Phase, ReleaseListRow, Resolution, Transfer
from exchanges.services import confirm_transfer, list_for_phase
from inquiries.models import Notification
from inquiries.notifications import notify_relatives
from inquiries.services import mark_returned
from webhooks.models import EventType
from webhooks.services import record_event

PERSON_NAMED = Q(outcome=Outcome.MATCHED, resolution="") | Q(
    resolution__in=[Resolution.CONFIRMED, Resolution.OTHER_CHOSEN, Resolution.NEW_CAPTIVE]
)


def undecided_rows(phase: Phase) -> int:
    """Rows a person must still decide: the machine's review and conflict rows, and deferrals."""
    rows = ReleaseListRow.objects.filter(release_list__phase=phase)
    machine_undecided = rows.exclude(outcome=Outcome.MATCHED).filter(resolution="")
    return machine_undecided.count() + rows.filter(resolution=Resolution.DEFERRED).count()


def propose_confirmation(*, phase: Phase, by: User, at: datetime) -> Phase:
    """List everyone the phase's lists name, and ask a second official to approve."""
    with transaction.atomic():
        locked = Phase.objects.select_for_update().get(pk=phase.pk)
        if locked.state == Phase.State.COMPLETED:
            raise ConflictError(_("Phase %(n)s is already confirmed.") % {"n": locked.number})
        left = undecided_rows(locked)
        if left:
            raise DomainError(
                _("%(n)s list row(s) still need a decision before confirmation.") % {"n": left}
            )
        listed = _list_named_people(locked, by)
        notify_relatives(captive_ids=listed, event=Notification.Event.LISTED, at=at)
        locked.proposed_by, locked.proposed_at = by, at
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = "Confirmation proposed"  # type: ignore[attr-defined]
        locked.save(update_fields=["proposed_by", "proposed_at"])
    return locked


def approve_confirmation(*, phase: Phase, by: User, at: datetime) -> Phase:
    """Confirm every listed transfer of the phase: those people have come home.

    One transaction: the transfers, each captive's status, and the phase, with their history.
    The person who proposed cannot approve; a second approval finds the phase completed.
    """
    with transaction.atomic():
        locked = Phase.objects.select_for_update().get(pk=phase.pk)
        if locked.state == Phase.State.COMPLETED:
            raise ConflictError(_("Phase %(n)s is already confirmed.") % {"n": locked.number})
        if locked.proposed_by_id is None:
            raise DomainError(_("Nobody has proposed this confirmation yet."))
        if locked.proposed_by_id == by.pk:
            raise DomainError(_("A different official must approve what you proposed."))
        coming_home = list(locked.transfers.filter(state=Transfer.State.LISTED))
        for transfer in coming_home:
            confirm_transfer(transfer=transfer, by=by, at=at)
        mark_returned(captive_ids=[t.captive_id for t in coming_home], by=by)
        notify_relatives(
            captive_ids=[t.captive_id for t in coming_home],
            event=Notification.Event.RETURNED,
            at=at,
        )
        locked.state = Phase.State.COMPLETED
        locked.approved_by, locked.approved_at = by, at
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = "Confirmation approved"  # type: ignore[attr-defined]
        locked.save(update_fields=["state", "approved_by", "approved_at"])
        record_event(
            event_type=EventType.PHASE_COMPLETED,
            subject=f"phase:{locked.pk}",
            payload={
                "phase": locked.pk,
                "exchange": locked.exchange_id,
                "state": locked.state,
                "returned": len(coming_home),
            },
            at=at,
        )
    return locked


def _list_named_people(phase: Phase, by: User) -> list[int]:
    """Put everyone the phase's lists name on its transfers; return who was newly listed."""
    listed = set(phase.transfers.values_list("captive_id", flat=True))
    added: list[int] = []
    rows = ReleaseListRow.objects.filter(release_list__phase=phase).filter(PERSON_NAMED)
    for row in rows.select_related("captive", "release_list"):
        if row.captive is None or row.captive_id in listed:
            continue
        source = Provenance.objects.create(
            kind=Provenance.Kind.RELEASE_LIST,
            description=wording.LINE_OF_LIST(line=row.line_number, list=row.release_list_id),
            dated=row.release_list.received_on,
            recorded_by=by,
        )
        list_for_phase(phase=phase, captive=row.captive, by=by, provenance=source)
        listed.add(row.captive.pk)
        added.append(row.captive.pk)
    return added
