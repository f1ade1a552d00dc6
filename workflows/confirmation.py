"""A phase's confirmation, from the exchange to the families, in one transaction each step.

``propose_confirmation``: one official lists everyone the phase's lists name.
``approve_confirmation``: a second official confirms them; they are home, their inquiries say
so and their verified relatives are told, once, after commit.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts.models import User
from exchanges.confirmation import (
    complete_phase,
    listing_of,
    lock_for_approval,
    outdated_proposal,
    propose,
    withdraw_proposal,
)
from exchanges.models import Phase
from inquiries.models import Notification
from inquiries.notifications import notify_relatives
from inquiries.services import mark_returned


def propose_confirmation(*, phase: Phase, by: User, at: datetime) -> Phase:
    """List everyone the phase's lists name (and take off the list anyone they no longer
    name), and ask a second official to approve."""
    with transaction.atomic():
        locked, listed = propose(phase=phase, by=by, at=at)
        notify_relatives(captive_ids=listed, event=Notification.Event.LISTED, at=at)
    return locked


def approve_confirmation(
    *, phase: Phase, by: User, at: datetime, seen: datetime | None = None
) -> Phase:
    """Confirm every listed transfer of the phase: those people have come home.

    One transaction: the transfers, each captive's status, the phase, the inquiries that seek
    them and their relatives' messages, with their history. The person who proposed cannot
    approve; a second approval finds the phase completed. If the lists say something else than
    the proposal listed, nothing is confirmed: the proposal is withdrawn (committed) and
    ProposalOutdatedError says what changed. ``seen`` is when the proposal the approver looked
    at was made: if it has been withdrawn and proposed again since, they approve nothing they
    have not seen.
    """
    with transaction.atomic():
        locked = lock_for_approval(phase=phase, by=by, seen=seen)
        changed = listing_of(locked)
        if changed.changes_something():
            withdraw_proposal(phase=locked, by=by, reason="the lists changed since")
        else:
            home = [t.captive_id for t in complete_phase(phase=locked, by=by, at=at)]
            mark_returned(captive_ids=home, by=by)
            notify_relatives(captive_ids=home, event=Notification.Event.RETURNED, at=at)
    if changed.changes_something():
        raise outdated_proposal(changed)
    return locked
