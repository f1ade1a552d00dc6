"""Confirming a phase, four eyes: one official proposes, a different one approves. This module
is the exchange's own part of it (transfers, the phase, partners' events); the workflow that
also tells families is ``workflows.confirmation``, which calls these inside its transaction.

Families will be told who came home, so nobody confirms alone, nothing is confirmed while any
row of the phase's lists is still undecided, before the phase's day in Kyiv, or with nobody
named, and the approver acknowledges any gap between the people declared and those named.
A proposal covers the lists as they were: a list received or a row decided since withdraws
it (the phase is proposed again, by someone who has seen the change), and approval checks
once more that proposing now would change nothing. Once completed, a phase's lists no longer change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from captives import wording
from captives.lifecycle import Status
from captives.models import Captive, Provenance
from config.dates import day_in_kyiv
from config.errors import ConflictError, DomainError
from config.history import attribute_change
from exchanges.errors import PhaseCompletedError, ProposalOutdatedError
from exchanges.models import NAMES_A_PERSON, Outcome, Phase, ReleaseListRow, Resolution, Transfer
from exchanges.services import (
    close_listings,
    confirm_transfers,
    list_people,
    lock_captives,
    take_off_list,
)
from webhooks.models import EventType
from webhooks.services import record_event

NAMES_SHOWN = 5


def undecided_rows(phase: Phase) -> int:
    """Rows a person must still decide: the machine's review and conflict rows, and deferrals."""
    rows = ReleaseListRow.objects.filter(release_list__phase=phase)
    machine_undecided = rows.exclude(outcome=Outcome.MATCHED).filter(resolution="")
    return machine_undecided.count() + rows.filter(resolution=Resolution.DEFERRED).count()


def lock_open_phase(phase_id: int) -> Phase:
    """Lock a phase whose lists are about to change; refused once it is completed."""
    locked = Phase.objects.select_for_update().get(pk=phase_id)
    refuse_completed(locked)
    return locked


def refuse_completed(phase: Phase) -> None:
    if phase.state == Phase.State.COMPLETED:
        raise PhaseCompletedError(
            _("Phase %(n)s is completed: its release lists can no longer change.")
            % {"n": phase.number}
        )


def withdraw_proposal(*, phase: Phase, by: User | None, reason: str) -> bool:
    """The (locked) phase's lists changed: a pending proposal no longer says what they say, so
    it is withdrawn, with a history row saying why. Returns whether there was one."""
    if phase.proposed_by_id is None:
        return False
    phase.proposed_by, phase.proposed_at = None, None
    attribute_change(phase, by=by, reason=f"Proposal withdrawn: {reason}")
    phase.save(update_fields=["proposed_by", "proposed_at"])
    return True


@dataclass(frozen=True)
class Listing:
    """What proposing a phase now would change: who to list, who to take off the list."""

    undecided: int
    to_list: dict[Captive, ReleaseListRow]  # each with the first row naming them
    to_take_off: list[Transfer]

    def changes_something(self) -> bool:
        return bool(self.undecided or self.to_list or self.to_take_off)


def _rows_naming_people(phase: Phase) -> QuerySet[ReleaseListRow]:
    return ReleaseListRow.objects.filter(release_list__phase=phase).filter(NAMES_A_PERSON)


def listing_of(phase: Phase) -> Listing:
    """Compare the people the phase's lists name with those it lists, in a few queries."""
    rows = _rows_naming_people(phase)
    named: dict[Captive, ReleaseListRow] = {}
    for row in rows.select_related("captive", "release_list__phase__exchange"):
        if row.captive is not None:
            named.setdefault(row.captive, row)
    transfers = list(
        phase.transfers.exclude(state=Transfer.State.WITHDRAWN).select_related("captive")
    )
    home = set(
        Transfer.objects.filter(
            captive__in=list(named), state=Transfer.State.CONFIRMED
        ).values_list("captive_id", flat=True)
    )
    held = {t.captive_id for t in transfers} | home
    return Listing(
        undecided=undecided_rows(phase),
        to_list={c: row for c, row in named.items() if c.pk not in held},
        to_take_off=[
            t for t in transfers if t.state == Transfer.State.LISTED and t.captive not in named
        ],
    )


def propose(*, phase: Phase, by: User, at: datetime) -> tuple[Phase, list[int], list[int]]:
    """The exchange's part of a proposal, in the caller's transaction: list everyone the
    phase's lists name (and take off the list anyone they no longer name), and record who
    proposed; refused while a row is undecided or if the lists name nobody. Returns the locked
    phase, the people newly listed and those no longer listed anywhere."""
    locked = Phase.objects.select_for_update().get(pk=phase.pk)
    if locked.state == Phase.State.COMPLETED:
        raise ConflictError(_("Phase %(n)s is already confirmed.") % {"n": locked.number})
    listing = listing_of(locked)
    if listing.undecided:
        raise DomainError(
            _("%(n)s list row(s) still need a decision before confirmation.")
            % {"n": listing.undecided}
        )
    staying = locked.transfers.filter(state=Transfer.State.LISTED).exclude(
        pk__in=[t.pk for t in listing.to_take_off]
    )
    if not (listing.to_list or listing.to_take_off or staying.exists()):
        raise names_nobody(locked)
    listed = list_named_people(phase=locked, listing=listing, by=by)
    taken_off = take_off_list(
        transfers=listing.to_take_off,
        by=by,
        reason=wording.NO_LONGER_NAMED(number=locked.number),
        at=at,
    )
    unlisted = Captive.objects.filter(pk__in=[t.captive_id for t in taken_off]).exclude(
        status=Status.LISTED
    )
    locked.proposed_by, locked.proposed_at = by, at
    attribute_change(locked, by=by, reason="Confirmation proposed")
    locked.save(update_fields=["proposed_by", "proposed_at"])
    return locked, listed, list(unlisted.values_list("pk", flat=True))


def lock_for_approval(*, phase: Phase, by: User, seen: datetime | None) -> Phase:
    """Lock the phase an official is about to approve, or refuse saying why: completed
    already, never proposed, proposed again since ``seen`` (when the proposal the approver
    looked at was made), or proposed by this same official."""
    locked = Phase.objects.select_for_update().get(pk=phase.pk)
    if locked.state == Phase.State.COMPLETED:
        raise ConflictError(_("Phase %(n)s is already confirmed.") % {"n": locked.number})
    if locked.proposed_by_id is None:
        raise DomainError(_("Nobody has proposed this confirmation yet."))
    if seen is not None and seen != locked.proposed_at:
        raise ConflictError(
            _("The confirmation was proposed again since you opened the page: look at it again.")
        )
    if locked.proposed_by_id == by.pk:
        raise DomainError(_("A different official must approve what you proposed."))
    return locked


def handover_day(*, phase: Phase, at: datetime, handed_over_on: date | None) -> date:
    """The day the (locked) phase's people crossed, as approval records it: the day the
    approver entered, or else the phase's date. Refused, saying what to do, before the
    phase's day in Kyiv (nobody has crossed yet), for a day in the future or one before the
    phase's date."""
    today, planned = day_in_kyiv(at), phase.date
    if today < planned:
        raise DomainError(
            _(
                "Phase %(n)s takes place on %(date)s: approve it on that day or later, once "
                "its people have crossed."
            )
            % {"n": phase.number, "date": f"{planned:%d.%m.%Y}"}
        )
    day = handed_over_on or planned
    if day > today:
        raise DomainError(
            _(
                "The handover day %(day)s is in the future: enter the day the people "
                "crossed, today at the latest."
            )
            % {"day": f"{day:%d.%m.%Y}"}
        )
    if day < planned:
        raise DomainError(
            _(
                "The handover day %(day)s is before the phase's date, %(date)s: enter the "
                "day the people crossed, or correct the phase's date first."
            )
            % {"day": f"{day:%d.%m.%Y}", "date": f"{planned:%d.%m.%Y}"}
        )
    return day


def names_nobody(phase: Phase) -> DomainError:
    """The refusal of a phase that would come home with nobody named."""
    if _rows_naming_people(phase).exists():  # they all came home in another phase
        return DomainError(
            _(
                "Everyone the lists of phase %(n)s name has come home in another phase "
                "already: nobody is left to confirm."
            )
            % {"n": phase.number}
        )
    return DomainError(
        _("Phase %(n)s names nobody yet: upload its release list and decide its rows first.")
        % {"n": phase.number}
    )


def refuse_approval_of_nobody(phase: Phase) -> None:
    """A phase completes with someone named: one that lists nobody would say nobody came."""
    if not phase.transfers.filter(state=Transfer.State.LISTED).exists():
        raise names_nobody(phase)


def gap_acknowledgement(gap: int) -> str:
    """What the approver ticks when the people declared and those named differ by ``gap``."""
    if gap > 0:
        return ngettext(
            "I confirm that %(n)s declared person is not named on the lists",
            "I confirm that %(n)s declared people are not named on the lists",
            gap,
        ) % {"n": gap}
    return ngettext(
        "I confirm that %(n)s person named on the lists was not declared",
        "I confirm that %(n)s people named on the lists were not declared",
        -gap,
    ) % {"n": -gap}


def refuse_unacknowledged_gap(phase: Phase, acknowledged_gap: int | None) -> None:
    """Where the people declared and those named differ, the approver acknowledges that very
    difference (a page showing another one, since changed, acknowledges nothing)."""
    gap = phase.named_gap()
    if gap and acknowledged_gap != gap:
        raise DomainError(
            _(
                "The phase declares a different number of people than its lists name: tick "
                "“%(sentence)s” if you know why, and approve again."
            )
            % {"sentence": gap_acknowledgement(gap)}
        )


def complete_phase(*, phase: Phase, by: User, at: datetime, on: date) -> list[Transfer]:
    """Confirm every listed transfer of the (locked) phase, its people having crossed on the
    day ``on``, and complete it, with history and the partners' event; return the transfers
    that brought someone home."""
    coming_home = bring_home(phase=phase, by=by, at=at, on=on)
    phase.state = Phase.State.COMPLETED
    phase.approved_by, phase.approved_at = by, at
    phase.handed_over_on = on
    attribute_change(phase, by=by, reason="Confirmation approved")
    phase.save(update_fields=["state", "approved_by", "approved_at", "handed_over_on"])
    record_event(
        event_type=EventType.PHASE_COMPLETED,
        subject=f"phase:{phase.pk}",
        payload={
            "phase": phase.pk,
            "exchange": phase.exchange_id,
            "state": phase.state,
            "handed_over_on": on.isoformat(),
            "returned": len(coming_home),
        },
        at=at,
    )
    return coming_home


def outdated_proposal(listing: Listing) -> ProposalOutdatedError:
    """The refusal of an approval whose proposal no longer says what the lists say."""
    return ProposalOutdatedError(
        _(
            "The lists changed since the confirmation was proposed (%(changes)s): nothing "
            "is confirmed, and the proposal is withdrawn. Propose it again."
        )
        % {"changes": "; ".join(changes_in_words(listing))}
    )


def changes_in_words(listing: Listing) -> list[str]:
    """What changed since the proposal, in words: rows to decide, people added, people gone."""
    said = []
    if listing.undecided:
        said.append(
            ngettext(
                "%(n)s list row to decide",
                "%(n)s list rows to decide",
                listing.undecided,
            )
            % {"n": listing.undecided}
        )
    if listing.to_list:
        said.append(
            ngettext(
                "%(n)s person named but not proposed: %(names)s",
                "%(n)s people named but not proposed: %(names)s",
                len(listing.to_list),
            )
            % {"n": len(listing.to_list), "names": _names(list(listing.to_list))}
        )
    if listing.to_take_off:
        people = [t.captive for t in listing.to_take_off]
        said.append(
            ngettext(
                "%(n)s person proposed but no longer named: %(names)s",
                "%(n)s people proposed but no longer named: %(names)s",
                len(people),
            )
            % {"n": len(people), "names": _names(people)}
        )
    return said


def _names(people: list[Captive]) -> str:
    shown = ", ".join(c.full_name for c in people[:NAMES_SHOWN])
    more = len(people) - NAMES_SHOWN
    return shown + (_(" and %(n)s more") % {"n": more} if more > 0 else "")


def bring_home(*, phase: Phase, by: User, at: datetime, on: date) -> list[Transfer]:
    """Confirm the phase's listed transfers; return them.

    Steps: lock the people, in id order, so that two phases naming one person wait for each
    other; close the listings of those another phase brought home meanwhile; confirm the rest;
    close their listings in other phases, which would otherwise wait for ever.
    """
    listed = phase.transfers.filter(state=Transfer.State.LISTED)
    people = list(listed.values_list("captive_id", flat=True))
    lock_captives(people)
    close_listings(captive_ids=people, by=by)
    coming_home = list(listed)
    confirm_transfers(transfers=coming_home, by=by, at=at, on=on)
    close_listings(captive_ids=[t.captive_id for t in coming_home], by=by)
    return coming_home


def list_named_people(*, phase: Phase, listing: Listing, by: User) -> list[int]:
    """Put on the phase's transfers everyone its lists name and it does not list yet (but
    those who came home in another phase already); return who was newly listed."""
    sources = {
        captive: Provenance(
            kind=Provenance.Kind.RELEASE_LIST,
            description=wording.LINE_OF_LIST(line=row.line_number, list=row.release_list_id),
            dated=row.release_list.received_on,
            recorded_by=by,
        )
        for captive, row in listing.to_list.items()
    }
    Provenance.objects.bulk_create(sources.values())
    list_people(phase=phase, sources=sources, by=by)
    return [captive.pk for captive in sources]


def to_bring_home(phase: Phase) -> QuerySet[Transfer]:
    """The transfers approval would confirm, by name: who will be marked returned."""
    listed = Transfer.objects.filter(phase=phase, state=Transfer.State.LISTED)
    return listed.select_related("captive").alphabetical()
