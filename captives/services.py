"""Every change to a captive goes through here: one transaction, history written inside it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from captives import wording
from captives.errors import TransitionError
from captives.lifecycle import Status, can_move
from captives.matching.stored import spelling_keys
from captives.models import Captive, Category, Provenance, Sex, Side, Spelling
from captives.reactions import registry_changed
from config.history import attribute_change

# Rows per statement when many change at once: bounded statements, a few per thousand people.
BATCH = 500


@dataclass(frozen=True, kw_only=True)
class Identity:
    """What is known of a person when they enter the registry."""

    family_name: str
    given_name: str
    patronymic: str = ""
    birth_date: date | None = None
    birth_place: str = ""
    sex: Sex = Sex.UNKNOWN
    citizenship: str = ""
    category: Category = Category.SERVICEMAN
    rank: str = ""
    military_unit: str = ""
    service_number: str = ""


def official_provenance(*, by: User, description: str) -> Provenance:
    return Provenance.objects.create(
        kind=Provenance.Kind.OFFICIAL, description=description, recorded_by=by
    )


def register_captive(
    *,
    identity: Identity,
    source: str,
    external_id: str = "",
    held_by: Side = Side.THEIRS,
    status: Status = Status.MISSING,
    provenance: Provenance,
    by: User | None,
) -> Captive:
    """Add a person to the registry, with a first history row saying where they came from."""
    captive = Captive(
        **identity.__dict__,
        source=source,
        external_id=external_id,
        held_by=held_by,
        status=status,
        provenance=provenance,
    )
    captive.full_clean()
    captive.store_name_keys()
    attribute_change(captive, by=by, reason=wording.REGISTERED_FROM(source=provenance.description))
    with transaction.atomic():
        captive.save()
        registry_changed([captive.pk])  # families follow the registry: inquiries match again
    return captive


def change_status(
    *,
    captive: Captive,
    to: Status,
    by: User | None,
    reason: str,
    provenance: Provenance,
) -> Captive:
    """Move a captive to another status, or raise TransitionError saying why not.

    The row is re-read under a lock so that two officials changing the same person one after
    the other see each other's change instead of overwriting it.
    """
    change_statuses(moves={captive.pk: provenance}, to=to, by=by, reason=reason)
    captive.refresh_from_db()
    return captive


def change_statuses(
    *, moves: Mapping[int, Provenance], to: Status, by: User | None, reason: str
) -> list[Captive]:
    """Move several captives (by id, each with the source of its change) to one status at once:
    all of them, each with its history row, or none (TransitionError names the first refused).

    A handful of queries however many people: a phase brings home a thousand. The rows are
    locked in id order, so two callers over the same people queue instead of deadlocking.
    """
    if not reason.strip():
        raise TransitionError(_("Say why the status changes."))
    with transaction.atomic():
        locked = list(Captive.objects.select_for_update().filter(pk__in=moves).order_by("pk"))
        for captive in locked:
            if not can_move(captive.status, to):
                raise TransitionError(
                    _("%(name)s: cannot go from “%(current)s” to “%(target)s”.")
                    % {
                        "name": captive.full_name,
                        "current": captive.get_status_display(),
                        "target": Status(to).label,
                    }
                )
            captive.status = to
            captive.provenance = moves[captive.pk]
            # What save() would do: the registry's index and partners' syncs follow updated_at.
            captive.updated_at = timezone.now()
        bulk_update_with_history(
            locked,
            Captive,
            ["status", "provenance", "updated_at"],
            batch_size=BATCH,
            default_user=by,
            default_change_reason=reason,
        )
    return locked


def record_spelling(*, captive: Captive, full_name: str, provenance: Provenance) -> Spelling | None:
    """Remember another spelling of a captive's name; None when it is the name itself or known."""
    full_name = " ".join(full_name.split())
    if not full_name or full_name.casefold() == captive.full_name.casefold():
        return None
    spelling, created = Spelling.objects.get_or_create(
        captive=captive,
        full_name=full_name,
        defaults={"provenance": provenance, "name_keys": spelling_keys(full_name)},
    )
    if not created:
        return None
    registry_changed([captive.pk])  # a family may have written the name this way
    return spelling
