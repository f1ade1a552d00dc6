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
from exchanges.models import RejectedCandidate, ReleaseListRow, Resolution
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
        locked = (
            ReleaseListRow.objects.select_for_update()
            .select_related("release_list__phase")
            .get(pk=row.pk)
        )
        if locked.version != version or locked.resolution not in ("", Resolution.DEFERRED):
            raise StaleRowError(
                _("Line %(n)s was decided by someone else meanwhile: reload it.")
                % {"n": locked.line_number}
            )
        chosen = _chosen(locked, resolution, captive)
        _remember(locked, chosen, resolution, by, at)
        locked.resolution = resolution
        locked.captive = chosen
        locked.resolved_by = None if resolution == Resolution.DEFERRED else by
        locked.resolved_at = None if resolution == Resolution.DEFERRED else at
        locked.version += 1
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = f"Review: {resolution.label}"  # type: ignore[attr-defined]
        locked.save(
            update_fields=["resolution", "captive", "resolved_by", "resolved_at", "version"]
        )
    return locked


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
