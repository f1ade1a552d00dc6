"""Importing a registry file: an idempotent upsert by external id, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from captives import wording
from captives.errors import TransitionError
from captives.lifecycle import Status, can_move
from captives.models import Captive, Provenance
from captives.registry_file import RegistryEntry

FIELDS = (
    "family_name",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "citizenship",
    "category",
    "military_unit",
    "service_number",
    "status",
)
BATCH = 2000


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _values(entry: RegistryEntry) -> dict[str, object]:
    return {
        "family_name": entry.family_name,
        "given_name": entry.given_name,
        "patronymic": entry.patronymic,
        "birth_date": entry.date_of_birth,
        "sex": entry.sex,
        "citizenship": entry.citizenship,
        "category": entry.category,
        "military_unit": entry.military_unit,
        "service_number": entry.service_number,
        "status": entry.status,
    }


def import_registry(
    *,
    entries: Sequence[RegistryEntry],
    source: str,
    description: str,
    by: User | None,
    at: datetime,
) -> ImportResult:
    """Create the new people, update the changed ones, leave the rest: one transaction.

    A status change the lifecycle refuses (returned back to missing, say) stops the whole import
    with the line's external id: a registry file does not get to rewrite history silently. The
    status of someone listed for an exchange is left as it is.
    """
    with transaction.atomic():
        provenance = Provenance.objects.create(
            kind=Provenance.Kind.REGISTRY_IMPORT, description=description[:300], recorded_by=by
        )
        # Locked as read, in one order: a status an official changes while the file is being
        # applied waits for it and lands on top, instead of being written back to its old value.
        existing = {
            captive.external_id: captive
            for captive in Captive.objects.select_for_update()
            .filter(source=source, external_id__in=[e.external_id for e in entries])
            .order_by("pk")
        }
        new, changed = [], []
        for entry in entries:
            values = _values(entry)
            captive = existing.get(entry.external_id)
            if captive is None:
                captive = Captive(
                    source=source, external_id=entry.external_id, provenance=provenance, **values
                )
                captive.store_name_keys()
                new.append(captive)
            elif _update(captive, values, provenance):
                captive.updated_at = at  # bulk_update skips auto_now: partners sync on it
                changed.append(captive)
        reason = wording.REGISTRY_IMPORT(source=description)[:100]
        bulk_create_with_history(
            new, Captive, batch_size=BATCH, default_user=by, default_change_reason=reason
        )
        bulk_update_with_history(
            changed,
            Captive,
            [*FIELDS, "name_keys", "provenance", "updated_at"],
            batch_size=BATCH,
            default_user=by,
            default_change_reason=reason,
        )
    return ImportResult(len(new), len(changed), len(entries) - len(new) - len(changed))


def _update(captive: Captive, values: dict[str, object], provenance: Provenance) -> bool:
    differing = {k: v for k, v in values.items() if getattr(captive, k) != v}
    if captive.status == Status.LISTED:
        # Listed for an exchange, the person's status is the phase's to move (home, or off the
        # list); a registry file, which knows nothing of the phase, would strand its transfer.
        differing.pop("status", None)
    if not differing:
        return False
    if "status" in differing and not can_move(captive.status, str(differing["status"])):
        raise TransitionError(
            f"{captive.external_id}: the file moves {captive.full_name} from "
            f"“{captive.get_status_display()}” to “{differing['status']}”, which the "
            "lifecycle refuses."
        )
    for field, value in differing.items():
        setattr(captive, field, value)
    captive.store_name_keys()
    captive.provenance = provenance
    return True
