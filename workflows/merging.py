"""Two records that are one person: merge them, keeping both histories, and undo it if wrong.

What belongs to the duplicate (transfers, list rows, inquiries, sightings, spellings, periods
of detention) moves to the kept record; the duplicate stays, marked ``merged_into``, with its
own history, so that an undo can move exactly those rows back.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from captives import wording
from captives.models import Captive, Detention, Merge, Provenance, Spelling
from captives.services import record_spelling
from config.errors import ConflictError, DomainError
from config.history import attribute_change
from exchanges.models import Phase, ReleaseListRow, Transfer
from inquiries.models import Inquiry, Sighting

# (model, field pointing at a captive): every row that follows a person when records merge.
RELATIONS: tuple[tuple[type[models.Model], str], ...] = (
    (Transfer, "captive"),
    (ReleaseListRow, "captive"),
    (Inquiry, "captive"),
    (Sighting, "reporter"),
    (Sighting, "seen_captive"),
    (Spelling, "captive"),
    (Detention, "captive"),
)


def _key(model: type[models.Model], field: str) -> str:
    return f"{model._meta.label_lower}.{field}"


def merge_captives(
    *, kept: Captive, duplicate: Captive, by: User, at: datetime, reason: str
) -> Merge:
    """Move everything of ``duplicate`` to ``kept``; refuse what the database says is not one
    person (both came home, both on one list or in one phase), leaving nothing changed."""
    if kept.pk == duplicate.pk:
        raise DomainError(_("A record cannot be merged into itself."))
    if not reason.strip():
        raise DomainError(_("Say why these records are one person."))
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Captive.objects.select_for_update().filter(pk__in=[kept.pk, duplicate.pk])
        }
        keep, dup = locked[kept.pk], locked[duplicate.pk]
        if keep.merged_into_id or dup.merged_into_id:
            raise ConflictError(_("One of these records has already been merged."))
        try:
            with transaction.atomic():
                moved = _move(dup, keep, by, reason)
        except IntegrityError as error:
            raise DomainError(
                _(
                    "These records cannot be merged: both are on one list, in one phase, or "
                    "both came home."
                )
            ) from error
        source = Provenance.objects.create(
            kind=Provenance.Kind.OFFICIAL,
            description=wording.MERGE(reason=reason)[:300],
            recorded_by=by,
        )
        added = record_spelling(captive=keep, full_name=dup.full_name, provenance=source)
        moved["added_spelling"] = [added.pk] if added else []
        _mark(dup, keep, by, wording.MERGED_INTO(name=keep.full_name, reason=reason))
        return Merge.objects.create(
            kept=keep, duplicate=dup, reason=reason[:300], moved=moved, merged_by=by, merged_at=at
        )


def undo_merge(*, merge: Merge, by: User, at: datetime) -> Merge:
    """Move back exactly what the merge moved, and bring the duplicate back to the registry."""
    with transaction.atomic():
        locked = Merge.objects.select_for_update().get(pk=merge.pk)
        if locked.undone_at is not None:
            raise ConflictError(_("This merge has already been undone."))
        _refuse_to_change_a_completed_phase(locked)
        for model, field in RELATIONS:
            ids = locked.moved.get(_key(model, field), [])
            _repoint(
                model._default_manager.filter(pk__in=ids),
                field,
                locked.duplicate,
                by,
                "Merge undone",
            )
        Spelling.objects.filter(pk__in=locked.moved.get("added_spelling", [])).delete()
        _mark(locked.duplicate, None, by, wording.MERGE_UNDONE())
        locked.undone_by, locked.undone_at = by, at
        locked.save(update_fields=["undone_by", "undone_at"])
    return locked


def _refuse_to_change_a_completed_phase(merge: Merge) -> None:
    """A phase completed since the merge brought home the one person the merge made: moving its
    transfers or list rows back would change what was approved, and a completed phase never
    changes. The undo is refused, naming the phase."""
    transfers = merge.moved.get(_key(Transfer, "captive"), [])
    rows = merge.moved.get(_key(ReleaseListRow, "captive"), [])
    completed = (
        Phase.objects.filter(state=Phase.State.COMPLETED)
        .filter(Q(transfers__pk__in=transfers) | Q(release_lists__rows__pk__in=rows))
        .select_related("exchange")
        .order_by("date", "pk")
        .first()
    )
    if completed is not None:
        raise DomainError(
            _(
                "This merge can no longer be undone: phase %(n)s of “%(exchange)s” was "
                "completed with these records as one person, and a completed phase does not "
                "change. Record the correction in the registry instead."
            )
            % {"n": completed.number, "exchange": completed.exchange.name}
        )


def _move(dup: Captive, keep: Captive, by: User, reason: str) -> dict[str, list[int]]:
    moved: dict[str, list[int]] = {}
    for model, field in RELATIONS:
        rows = model._default_manager.filter(**{field: dup})
        if model is Spelling:  # the kept record may know a spelling already
            rows = rows.exclude(full_name__in=keep.spellings.values("full_name"))
        moved[_key(model, field)] = list(rows.values_list("pk", flat=True))
        _repoint(rows, field, keep, by, f"Merged: {reason}")
    return moved


def _repoint(
    rows: models.QuerySet[models.Model], field: str, to: Captive, by: User, why: str
) -> None:
    """Point each row at another captive, one save each so that history records who and why."""
    for row in list(rows):
        setattr(row, field, to)
        attribute_change(row, by=by, reason=why)
        row.save(update_fields=[field])


def _mark(captive: Captive, into: Captive | None, by: User, why: str) -> None:
    captive.merged_into = into
    attribute_change(captive, by=by, reason=why)
    captive.save(update_fields=["merged_into", "updated_at"])
