"""Reviewers' decisions on list rows, and what the engine learns from them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from captives import wording
from captives.lifecycle import Status
from captives.matching import fingerprint
from captives.models import Captive, Provenance, Side
from captives.services import Identity, record_spelling, register_captive
from config.errors import ConflictError, DomainError
from config.history import attribute_change
from exchanges.confirmation import lock_open_phase, withdraw_proposal
from exchanges.list_places import settle_row_place
from exchanges.models import (
    NAMES_A_PERSON,
    Outcome,
    RejectedCandidate,
    ReleaseList,
    ReleaseListRow,
    Resolution,
)
from exchanges.reconciliation import entry_of

# Rows a person must decide: the machine was unsure, or found nobody (new captive or not ours?).
WAITING = [Outcome.REVIEW, Outcome.CONFLICT, Outcome.UNMATCHED]


class StaleRowError(ConflictError):
    """Another reviewer decided this row since the page was loaded."""


def waiting_rows() -> QuerySet[ReleaseListRow]:
    """The review queue: rows nobody has decided yet, in the order reviewers take them."""
    return ReleaseListRow.objects.filter(outcome__in=WAITING, resolution="").order_by(
        "release_list__phase__date", "release_list", "line_number"
    )


def next_in_queue(row: ReleaseListRow, queue: QuerySet[ReleaseListRow]) -> ReleaseListRow | None:
    """The row a reviewer takes after ``row``: the next line of its list still in ``queue``
    (the queue as they filtered it), else the first row of the queue."""
    following = (
        queue.filter(release_list_id=row.release_list_id, line_number__gt=row.line_number)
        .order_by("line_number")
        .first()
    )
    return following or queue.exclude(pk=row.pk).first()


class Action(StrEnum):
    """The decisions a review page offers one key each."""

    CONFIRM = "confirm"
    NEW_CAPTIVE = "new_captive"
    DUPLICATE = "duplicate"


# Reasons a rule gave for leaving a row unmatched although its first candidate may score high:
# a date of birth, a surname or a father's name that is not the row's (``engine.contradicted``).
# That candidate's likelihood is shown as the model gave it, and said to be ruled out.
RULED_OUT = frozenset({"contradicted", "other_name"})


def first_ruled_out(row: ReleaseListRow) -> bool:
    return row.outcome == Outcome.UNMATCHED and row.reason in RULED_OUT


def primary_action(row: ReleaseListRow, repeats: list[ReleaseListRow]) -> Action:
    """The decision most rows like this one get, offered first: an unmatched row is mostly
    someone the registry lacks (a namesake's candidate is wrong by then); a conflict between
    two lines is mostly the same person listed twice; otherwise the best candidate."""
    if row.outcome == Outcome.UNMATCHED or not row.candidates:
        return Action.NEW_CAPTIVE
    if row.outcome == Outcome.CONFLICT and repeats:
        return Action.DUPLICATE
    return Action.CONFIRM


def resolve_row(
    *,
    row: ReleaseListRow,
    resolution: Resolution,
    by: User,
    at: datetime,
    version: int,
    captive: Captive | None = None,
    duplicate_of: ReleaseListRow | None = None,
) -> ReleaseListRow:
    """Record a reviewer's decision on one row, once, and teach the engine from it.

    ``version`` is the row's version the reviewer saw: a second reviewer acting on the same
    row is told so instead of overruling the first. Confirming or choosing a person makes the
    row's spelling one of theirs; rejecting the proposed candidates means the engine never
    proposes them for this entry again. A duplicate (``duplicate_of``: the line of the phase's
    lists naming the person this one repeats) names nobody itself, so the person is listed
    once, and teaches nothing: its candidates were not wrong.
    """
    with transaction.atomic():
        # The phase first, as its confirmation locks it: a completed phase's rows stay decided.
        phase = lock_open_phase(
            ReleaseList.objects.values_list("phase", flat=True).get(pk=row.release_list_id)
        )
        locked = (
            ReleaseListRow.objects.select_for_update(of=("self",))
            .select_related("release_list")
            .get(pk=row.pk)
        )
        if locked.resolution not in ("", Resolution.DEFERRED):
            raise StaleRowError(
                _("Line %(n)s is already decided: “%(decision)s”.")
                % {"n": locked.line_number, "decision": locked.get_resolution_display()}
            )
        if locked.version != version:
            raise StaleRowError(
                _("Line %(n)s was decided by someone else meanwhile: reload it.")
                % {"n": locked.line_number}
            )
        locked.release_list.phase = phase
        deferred = resolution == Resolution.DEFERRED
        # Put off, the row keeps whoever the engine matched: undecided, it names nobody yet.
        chosen = locked.captive if deferred else _chosen(locked, resolution, captive)
        _refuse_a_person_named_twice(locked, chosen)
        _refuse_orphaning_duplicates(locked, chosen, resolution)
        repeated = None
        if resolution == Resolution.DUPLICATE:
            repeated = _repeated_line(locked, duplicate_of, phase.pk)
        else:
            _remember(locked, chosen, resolution, by, at)
        if chosen is None and locked.outcome == Outcome.MATCHED:
            locked.outcome = Outcome.UNMATCHED  # "not ours": the engine's match is undone
        locked.resolution = resolution
        locked.captive = chosen
        locked.duplicate_of = repeated
        locked.resolved_by = None if deferred else by
        locked.resolved_at = None if deferred else at
        locked.version += 1
        attribute_change(
            locked,
            by=by,
            reason=(
                f"Review: same person as line {repeated.line_number}"
                if repeated is not None
                else f"Review: {resolution.label}"
            ),
        )
        locked.save(
            update_fields=[
                "outcome",
                "resolution",
                "captive",
                "duplicate_of",
                "resolved_by",
                "resolved_at",
                "version",
            ]
        )
        withdraw_proposal(phase=phase, by=by, reason=f"line {locked.line_number} decided")
        settle_row_place(row=locked, by=by)
    return locked


def lines_it_may_repeat(row: ReleaseListRow) -> list[ReleaseListRow]:
    """The other lines of the phase's lists that name one of this row's candidates: a conflict
    because two lines claim one person, or a candidate named already, may be that line again."""
    people = [c["captive_id"] for c in row.candidates]
    if row.captive_id is not None:
        people.append(row.captive_id)
    return list(
        ReleaseListRow.objects.filter(
            NAMES_A_PERSON,
            release_list__phase_id=row.release_list.phase_id,
            captive_id__in=people,
        )
        .exclude(pk=row.pk)
        .select_related("captive")
        .order_by("release_list_id", "line_number")
    )


def _refuse_a_person_named_twice(row: ReleaseListRow, chosen: Captive | None) -> None:
    """One list names a person once (the database says so too): say on which line already."""
    if chosen is None:
        return
    other = (
        ReleaseListRow.objects.filter(release_list_id=row.release_list_id, captive=chosen)
        .exclude(pk=row.pk)
        .values_list("line_number", flat=True)
        .first()
    )
    if other is not None:
        raise DomainError(
            _("%(name)s is already named on line %(line)s of this list.")
            % {"name": chosen.full_name, "line": other}
        )


def _repeated_line(
    row: ReleaseListRow, duplicate_of: ReleaseListRow | None, phase_id: int
) -> ReleaseListRow:
    """The line a duplicate repeats, read again (under the phase's lock): of the same phase's
    lists, naming a person, neither the row itself nor a duplicate in turn."""
    if duplicate_of is None:
        raise DomainError(_("Say which line this one repeats."))
    other = (
        ReleaseListRow.objects.select_related("release_list", "captive")
        .annotate(names_a_person=ExpressionWrapper(NAMES_A_PERSON, BooleanField()))
        .get(pk=duplicate_of.pk)
    )
    values = {"n": row.line_number, "line": other.line_number}
    if other.pk == row.pk:
        raise DomainError(_("Line %(n)s cannot be the same person as itself.") % values)
    if other.release_list.phase_id != phase_id:
        raise DomainError(
            _("Line %(line)s is on a list of another phase: line %(n)s cannot repeat it.") % values
        )
    if other.resolution == Resolution.DUPLICATE and other.duplicate_of is not None:
        raise DomainError(
            _(
                "Line %(line)s is itself the same person as line %(first)s: say that line "
                "%(n)s is the same person as line %(first)s."
            )
            % (values | {"first": other.duplicate_of.line_number})
        )
    if not other.names_a_person or other.captive is None:
        raise DomainError(
            _("Line %(line)s names nobody yet: decide it first, then line %(n)s.") % values
        )
    return other


def _refuse_orphaning_duplicates(
    row: ReleaseListRow, chosen: Captive | None, resolution: Resolution
) -> None:
    """Lines said to repeat this one need it to name someone: it cannot be put off, nor
    found to be nobody of ours (they would then name nobody, and the person not be listed)."""
    if chosen is not None and resolution != Resolution.DEFERRED:
        return
    repeating = list(row.duplicates.order_by("line_number").values_list("line_number", flat=True))
    if repeating:
        raise DomainError(
            _("Line %(n)s must name a person: it is repeated by the line(s) %(lines)s.")
            % {"lines": ", ".join(str(n) for n in repeating), "n": row.line_number}
        )


def _chosen(row: ReleaseListRow, resolution: Resolution, captive: Captive | None) -> Captive | None:
    if resolution == Resolution.CONFIRMED:
        best = row.candidates[0]["captive_id"] if row.candidates else None
        if best is None:
            raise DomainError(_("Line %(n)s has no candidate to confirm.") % {"n": row.line_number})
        return Captive.objects.get(pk=best)
    if resolution in (Resolution.OTHER_CHOSEN, Resolution.NEW_CAPTIVE):
        if captive is None:
            raise DomainError(_("Say which person this line names."))
        return captive
    return None


def _remember(
    row: ReleaseListRow, chosen: Captive | None, resolution: Resolution, by: User, at: datetime
) -> None:
    if resolution == Resolution.DEFERRED:
        return
    mark = fingerprint(entry_of(row))
    proposed = {c["captive_id"] for c in row.candidates}
    if row.captive_id is not None:
        proposed.add(row.captive_id)  # the engine's own match, overruled
    if chosen is not None:
        proposed.discard(chosen.pk)
        source = Provenance.objects.create(
            kind=Provenance.Kind.RELEASE_LIST,
            description=wording.LINE_BY_REVIEW(line=row.line_number, list=row.release_list_id),
            dated=row.release_list.received_on,
            recorded_by=by,
        )
        record_spelling(captive=chosen, full_name=row.full_name, provenance=source)
    if resolution != Resolution.CONFIRMED:
        RejectedCandidate.objects.bulk_create(
            [
                RejectedCandidate(fingerprint=mark, captive_id=pk, rejected_by=by, rejected_at=at)
                for pk in proposed
            ],
            ignore_conflicts=True,
        )


def record_new_captive(
    *,
    row: ReleaseListRow,
    identity: Identity,
    held_by: str,
    by: User,
    at: datetime,
    version: int,
) -> Captive:
    """Register the person a row names, and decide the row for them: both, or neither."""
    with transaction.atomic():
        source = Provenance.objects.create(
            kind=Provenance.Kind.RELEASE_LIST,
            description=wording.LINE_OF_LIST(line=row.line_number, list=row.release_list_id),
            dated=row.release_list.received_on,
            recorded_by=by,
        )
        captive = register_captive(
            identity=identity,
            source="release-lists",
            held_by=Side(held_by),
            status=Status.CONFIRMED_CAPTIVE,  # the other side listed them: they hold them
            provenance=source,
            by=by,
        )
        resolve_row(
            row=row,
            resolution=Resolution.NEW_CAPTIVE,
            by=by,
            at=at,
            version=version,
            captive=captive,
        )
    return captive
