"""A captive's status and the moves between statuses that make sense. No database here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    MISSING = "missing", _("Missing")
    CONFIRMED_CAPTIVE = "confirmed_captive", _("Confirmed captive")
    LISTED = "listed", _("Listed for exchange")
    RETURNED = "returned", _("Returned home")
    DECEASED = "deceased", _("Deceased")
    RELEASED_OTHERWISE = "released_otherwise", _("Released otherwise")


# Returned and released otherwise are final: a later captivity is a new record. Deceased may be
# corrected when a returnee's sighting proves the person alive; misidentified remains happen.
ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.MISSING: frozenset(
        {Status.CONFIRMED_CAPTIVE, Status.LISTED, Status.DECEASED, Status.RELEASED_OTHERWISE}
    ),
    Status.CONFIRMED_CAPTIVE: frozenset(
        {Status.LISTED, Status.DECEASED, Status.RELEASED_OTHERWISE}
    ),
    # Back to confirmed captive: taken off a list, or did not appear on the day.
    Status.LISTED: frozenset(
        {Status.RETURNED, Status.CONFIRMED_CAPTIVE, Status.DECEASED, Status.RELEASED_OTHERWISE}
    ),
    Status.RETURNED: frozenset(),
    Status.DECEASED: frozenset({Status.CONFIRMED_CAPTIVE}),
    Status.RELEASED_OTHERWISE: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return Status(target) in ALLOWED_TRANSITIONS[Status(current)]
