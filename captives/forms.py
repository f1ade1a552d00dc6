from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from captives.models import Captive, Place
from config.dates import not_in_the_future
from config.widgets import DateInput


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        queryset=Captive.objects.current(),
        to_field_name="public_id",
        label=_("Record to merge into this one (its identifier)"),
        error_messages={"invalid_choice": _("No current record has this identifier.")},
        # Typed or pasted from the duplicate's page: a list of the whole registry would not do.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(label=_("Why they are one person"), max_length=300)


class PlaceForm(forms.ModelForm):  # type: ignore[type-arg]
    """A place of detention. Coordinates are optional, but both or neither: each mistake is
    said on the field it is in."""

    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=5,
        help_text=_("Decimal degrees, for example 47.09514"),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=5,
        help_text=_("Decimal degrees, for example 37.54132"),
    )

    class Meta:
        model = Place
        fields = ["name", "name_as_written", "kind", "region", "latitude", "longitude"]
        labels = {
            "name": _("Name (in Ukrainian)"),
            "name_as_written": _("Name as the other side writes it"),
            "kind": _("Kind"),
            "region": _("Region"),
        }

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if latitude is not None and longitude is None and "longitude" not in self.errors:
            self.add_error("longitude", _("Give the longitude too, or neither coordinate."))
        if longitude is not None and latitude is None and "latitude" not in self.errors:
            self.add_error("latitude", _("Give the latitude too, or neither coordinate."))
        return cleaned


class IcrcNotificationForm(forms.Form):
    """What an ICRC notification says of one person: held at this place since this day."""

    prefix = "icrc"  # beside the merge form on the captive's page

    place = forms.ModelChoiceField(queryset=Place.objects.all(), label=_("Place of detention"))
    since = forms.DateField(label=_("Held there since"), widget=DateInput())
    note = forms.CharField(label=_("Notification (its reference or words)"), max_length=300)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["since"].widget.attrs["max"] = today.isoformat()

    def clean_since(self) -> date | None:
        return not_in_the_future(self.cleaned_data["since"], today=self.today)
