"""Reviewers' decisions on list rows, and what the engine learns from them."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from captives import wording
from captives.lifecycle import Status
from captives.matching import fingerprint
from captives.models import Captive, Provenance, Side
from captives.services import Identity, record_spelling, register_captive
from config.errors import ConflictError, DomainError
from exchanges.confirmation import lock_open_phase, withdraw_proposal
from exchanges.models import Outcome, RejectedCandidate, ReleaseList, ReleaseListRow, Resolution
from exchanges.reconciliation import entry_of


class StaleRowError(ConflictError):
    """Another reviewer decided this row since the page was loaded."""


def resolve_row(
    *,
    row: ReleaseListRow,
    resolution: Resolution,
    by: User,
    at: datetime,
    version: int,
    captive: Captive | None = None,
) -> ReleaseListRow:
    """Record a reviewer's decision on one row, once, and teach the engine from it.

    ``version`` is the row's version the reviewer saw: a second reviewer acting on the same
    row is told so instead of overruling the first. Confirming or choosing a person makes the
    row's spelling one of theirs; rejecting the proposed candidates means the engine never
    proposes them for this entry again.
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
        _remember(locked, chosen, resolution, by, at)
        if chosen is None and locked.outcome == Outcome.MATCHED:
            locked.outcome = Outcome.UNMATCHED  # "not ours": the engine's match is undone
        locked.resolution = resolution
        locked.captive = chosen
        locked.resolved_by = None if deferred else by
        locked.resolved_at = None if deferred else at
        locked.version += 1
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = f"Review: {resolution.label}"  # type: ignore[attr-defined]
        locked.save(
            update_fields=[
                "outcome",
                "resolution",
                "captive",
                "resolved_by",
                "resolved_at",
                "version",
            ]
        )
        withdraw_proposal(phase=phase, by=by, reason=f"line {locked.line_number} decided")
    return locked


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
