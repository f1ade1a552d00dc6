"""A phase's confirmation, from the exchange to the families, in one transaction each step.

``propose_confirmation``: one official lists everyone the phase's lists name.
``approve_confirmation``: a second official confirms them on or after the phase's day; they
are home, their inquiries say so and their verified relatives are told, once, after commit.

Families hear nothing before the return is approved, unless officials released the "listed"
news for the phase (``workflows.news``): then proposing tells the relatives of those it newly
lists, and taking someone off the list corrects what their relatives were told.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from accounts.models import User
from exchanges.confirmation import (
    complete_phase,
    handover_day,
    listing_of,
    lock_for_approval,
    outdated_proposal,
    propose,
    refuse_approval_of_nobody,
    refuse_unacknowledged_gap,
    withdraw_proposal,
)
from exchanges.models import Phase
from inquiries.models import Notification
from inquiries.notifications import correct_listed_news, notify_relatives
from inquiries.services import mark_returned


def propose_confirmation(*, phase: Phase, by: User, at: datetime) -> Phase:
    """List everyone the phase's lists name (and take off the list anyone they no longer
    name), and ask a second official to approve."""
    with transaction.atomic():
        locked, listed, taken_off = propose(phase=phase, by=by, at=at)
        if locked.listed_news_released:
            notify_relatives(captive_ids=listed, event=Notification.Event.LISTED, at=at)
        correct_listed_news(captive_ids=taken_off, at=at)
    return locked


def approve_confirmation(
    *,
    phase: Phase,
    by: User,
    at: datetime,
    seen: datetime | None = None,
    handed_over_on: date | None = None,
    acknowledged_gap: int | None = None,
) -> Phase:
    """Confirm every listed transfer of the phase: those people came home on the day
    ``handed_over_on`` (by default the phase's date).

    One transaction: the transfers, each captive's status, the phase, the inquiries that seek
    them and their relatives' messages, with their history. The person who proposed cannot
    approve; a second approval finds the phase completed. If the lists say something else than
    the proposal listed, nothing is confirmed: the proposal is withdrawn (committed) and
    ProposalOutdatedError says what changed. ``seen`` is when the proposal the approver looked
    at was made: if it has been withdrawn and proposed again since, they approve nothing they
    have not seen.

    Refused, saying what to do, before the phase's day in Kyiv, for a handover day in the
    future or before the phase's date, for a phase that lists nobody, and where the people
    declared and those named differ unless ``acknowledged_gap`` is that very difference.
    """
    with transaction.atomic():
        locked = lock_for_approval(phase=phase, by=by, seen=seen)
        day = handover_day(phase=locked, at=at, handed_over_on=handed_over_on)
        changed = listing_of(locked)
        if changed.changes_something():
            withdraw_proposal(phase=locked, by=by, reason="the lists changed since")
        else:
            refuse_approval_of_nobody(locked)
            refuse_unacknowledged_gap(locked, acknowledged_gap)
            home = [t.captive_id for t in complete_phase(phase=locked, by=by, at=at, on=day)]
            mark_returned(captive_ids=home, by=by, at=at)
            notify_relatives(captive_ids=home, event=Notification.Event.RETURNED, at=at)
    if changed.changes_something():
        raise outdated_proposal(changed)
    return locked
