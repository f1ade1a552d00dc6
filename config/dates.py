"""Rules about dates that every app's forms and serializers share."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def not_in_the_future(day: date | None, *, today: date) -> date | None:
    """A date someone gives (of birth, of the last news, of a sighting) is today at the latest.

    ``today`` is passed in, the day where the person is (``timezone.localdate()``)."""
    if day is not None and day > today:
        raise ValidationError(_("This date is in the future."), code="future")
    return day
