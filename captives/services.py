"""Every change to a captive goes through here: one transaction, history written inside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from captives import wording
from captives.errors import TransitionError
from captives.lifecycle import Status, can_move
from captives.models import Captive, Category, Provenance, Sex, Side, Spelling


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
    captive._history_user = by  # type: ignore[attr-defined]
    captive._change_reason = wording.REGISTERED_FROM(source=provenance.description)  # type: ignore[attr-defined]
    with transaction.atomic():
        captive.save()
        transaction.on_commit(_rematch_inquiries)
    return captive


def _rematch_inquiries() -> None:
    from inquiries.tasks import rematch_open_inquiries_task  # families follow the registry

    rematch_open_inquiries_task.delay()


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
    if not reason.strip():
        raise TransitionError(_("Say why the status changes."))
    with transaction.atomic():
        locked = Captive.objects.select_for_update().get(pk=captive.pk)
        if not can_move(locked.status, to):
            raise TransitionError(
                _("%(name)s: cannot go from “%(current)s” to “%(target)s”.")
                % {
                    "name": locked.full_name,
                    "current": locked.get_status_display(),
                    "target": Status(to).label,
                }
            )
        locked.status = to
        locked.provenance = provenance
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = reason  # type: ignore[attr-defined]
        locked.save(update_fields=["status", "provenance", "updated_at"])
    captive.refresh_from_db()
    return captive


def record_spelling(*, captive: Captive, full_name: str, provenance: Provenance) -> Spelling | None:
    """Remember another spelling of a captive's name; None when it is the name itself or known."""
    full_name = " ".join(full_name.split())
    if not full_name or full_name.casefold() == captive.full_name.casefold():
        return None
    spelling, created = Spelling.objects.get_or_create(
        captive=captive, full_name=full_name, defaults={"provenance": provenance}
    )
    return spelling if created else None
