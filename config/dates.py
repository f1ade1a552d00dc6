"""Rules about dates that every app's forms and serializers share."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def not_in_the_future(day: date | None, *, today: date) -> date | None:
    """A date someone gives (of birth, of the last news, of a sighting) is today at the latest.

    ``today`` is passed in, the day where the person is (``timezone.localdate()``)."""
    if day is not None and day > today:
        raise ValidationError(_("This date is in the future."), code="future")
    return day


# Exchanges happen, and families live, in Kyiv's time: its calendar day decides what "today"
# is for a phase, wherever the server's clock or the official's browser stands.
KYIV = ZoneInfo("Europe/Kyiv")


def day_in_kyiv(at: datetime) -> date:
    """The calendar day in Kyiv at the moment ``at`` (passed in, never read here)."""
    return at.astimezone(KYIV).date()
