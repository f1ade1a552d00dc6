"""The "listed" news for a phase: families hear nothing before a return is approved, unless
officials release it for that phase on purpose.

Real exchanges fail at the last minute, so the setting is off by default. Once released, the
verified relatives of everyone the phase lists now are told, once; proposing the phase again
tells those of the people it newly lists (``workflows.confirmation``), and those taken off the
list have what their relatives were told corrected.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config.errors import ConflictError
from config.history import attribute_change
from exchanges.errors import PhaseCompletedError
from exchanges.models import Phase, Transfer
from inquiries.models import Notification
from inquiries.notifications import notify_relatives


def release_listed_news(*, phase: Phase, by: User, at: datetime) -> int:
    """Allow telling families that their people are listed in this phase, and tell the
    verified relatives of those it lists now. Returns how many messages were queued."""
    with transaction.atomic():
        locked = Phase.objects.select_for_update().get(pk=phase.pk)
        if locked.state == Phase.State.COMPLETED:
            raise PhaseCompletedError(
                _("Phase %(n)s is completed: its families were told of the return instead.")
                % {"n": locked.number}
            )
        if locked.listed_news_released:
            raise ConflictError(
                _("The “listed” news of phase %(n)s was released already.") % {"n": locked.number}
            )
        locked.listed_news_released = True
        locked.listed_news_released_by, locked.listed_news_released_at = by, at
        attribute_change(locked, by=by, reason="Listed news released to families")
        locked.save(
            update_fields=[
                "listed_news_released",
                "listed_news_released_by",
                "listed_news_released_at",
            ]
        )
        listed = locked.transfers.filter(state=Transfer.State.LISTED).values_list(
            "captive_id", flat=True
        )
        return notify_relatives(captive_ids=list(listed), event=Notification.Event.LISTED, at=at)
