from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from captives.models import Captive, Place
from captives.names import validate_name_words
from config.dates import not_in_the_future
from config.widgets import DateInput
from inquiries.gallery import returnees
from inquiries.models import Inquiry, Sighting
from inquiries.phones import PhoneForTextsFormField
from inquiries.photos import clean_photo


class ContactRuleChecked(forms.ModelForm):  # type: ignore[type-arg]
    """Checks "an email or a phone" (the ``inquiry_has_contact`` constraint) on the form, though
    the constraint also names ``erased_at``, which no form edits: Django would leave the
    constraint to the database, and its refusal would be a 500 instead of a sentence."""

    def _get_validation_exclusions(self) -> set[str]:
        exclusions = super()._get_validation_exclusions()  # type: ignore[misc]  # not in the stubs
        return set(exclusions) - {"erased_at"}


class InquiryForm(ContactRuleChecked):
    """A relative's inquiry. "An email or a phone" is the model's constraint: said once, and not
    when the email given is itself invalid (a field with an error is left out of the check)."""

    photo = forms.FileField(
        label=_("A photo of the person (optional)"),
        required=False,
        help_text=_(
            "Only caseworkers see it, unless you agree below that they may show it to "
            "returnees. Its location and camera data are removed."
        ),
    )
    # Not ticked unless the relative ticks it; a consent apart from tracing's, withdrawn on the
    # status page.
    show_photo_to_returnees = forms.BooleanField(
        required=False,
        label=_(
            "I agree that caseworkers show this photo to people who have come back from "
            "captivity, to ask whether they saw the person there."
        ),
        help_text=_(
            "Optional. Returnees see the photo only: not your name or contacts, and not the "
            "name of the person you are looking for. You can withdraw this at any time on the "
            "page where you follow your inquiry."
        ),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Tick this box to send the inquiry: we trace only with your consent.")
        },
        label=_(
            "I agree that Homecoming processes these data to trace the person I am looking for."
        ),
    )

    class Meta:
        model = Inquiry
        fields = [
            "relative_name",
            "relationship",
            "email",
            "phone",
            "sought_full_name",
            "sought_birth_date",
            "sought_military_unit",
            "sought_service_number",
            "last_known_place",
            "last_known_date",
            "distinguishing_details",
        ]
        labels = {
            "relative_name": _("Your full name"),
            "relationship": _("Your relationship to the person"),
            "email": _("Email"),
            "phone": _("Phone"),
            "sought_full_name": _("Full name of the person you are looking for"),
            "sought_birth_date": _("Their date of birth"),
            "sought_military_unit": _("Military unit"),
            "sought_service_number": _("Service number"),
            "last_known_place": _("Last known place"),
            "last_known_date": _("Last known date"),
            "distinguishing_details": _("Distinguishing details"),
        }
        # What the browser may fill in: the relative's own name, email and phone; never the
        # person sought's, which it would fill with the relative's own (their "bday" too).
        widgets = {
            "relative_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "sought_full_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "sought_birth_date": DateInput(attrs={"autocomplete": "off"}),
            "sought_service_number": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_known_date": DateInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "email": _("We need an email address or a phone number, or both, to send you news."),
        }
        field_classes = {"phone": PhoneForTextsFormField}

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("sought_birth_date", "last_known_date"):
            self.fields[name].widget.attrs["max"] = today.isoformat()  # the picker stops there

    def clean_sought_full_name(self) -> str:
        return validate_name_words(self.cleaned_data["sought_full_name"])

    def clean_sought_birth_date(self) -> date | None:
        return not_in_the_future(self.cleaned_data["sought_birth_date"], today=self.today)

    def clean_last_known_date(self) -> date | None:
        return not_in_the_future(self.cleaned_data["last_known_date"], today=self.today)

    def clean_photo(self) -> ContentFile[bytes] | None:
        upload = self.cleaned_data.get("photo")
        return clean_photo(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        # A photo refused for its own reason already says so beside its field.
        no_photo = "photo" not in self.errors and not cleaned.get("photo")
        if cleaned.get("show_photo_to_returnees") and no_photo:
            self.add_error(
                "show_photo_to_returnees",
                _("Attach a photo to let caseworkers show it, or untick this box."),
            )
        return cleaned


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference code"),
        max_length=16,
        help_text=_("As written when you filed the inquiry, for example HC-7K2M-Q9PX."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    # Digits only, on a phone's number pad; never kept by the browser (a shared computer).
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off"}
        ),
    )


class VerificationForm(forms.Form):
    method = forms.CharField(
        label=_("How the relationship was verified"),
        max_length=300,
        help_text=_("For example: birth certificate seen at the centre, checked against the unit."),
    )


class SightingForm(forms.ModelForm):  # type: ignore[type-arg]
    reporter = forms.ModelChoiceField(
        queryset=Captive.objects.current(),
        to_field_name="public_id",
        label=_("Returnee who reports (identifier of their record)"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid_choice": _("No current record has this identifier.")},
    )

    class Meta:
        model = Sighting
        fields = ["reporter", "seen_full_name", "facility", "place", "seen_on", "condition"]
        labels = {
            "seen_full_name": _("Whom they saw (name as they say it)"),
            "facility": _("Where (facility)"),
            "place": _("Place of detention, if it is a known one"),
            "seen_on": _("When"),
            "condition": _("In what condition"),
        }
        widgets = {"seen_on": DateInput()}

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["seen_on"].widget.attrs["max"] = today.isoformat()

    def clean_seen_full_name(self) -> str:
        return validate_name_words(self.cleaned_data["seen_full_name"])

    def clean_seen_on(self) -> date | None:
        return not_in_the_future(self.cleaned_data["seen_on"], today=self.today)


class GalleryEntryForm(forms.Form):
    returnee = forms.ModelChoiceField(
        queryset=returnees(),
        to_field_name="public_id",
        label=_("Returnee (identifier of their record)"),
        help_text=_("As the registry page of the person who came home shows it."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "invalid_choice": _(
                "No record of someone who came home has this identifier: the gallery is for "
                "debriefing returnees."
            )
        },
    )


class RecognitionForm(forms.Form):
    """What the returnee says of the person on a tile: where, when, in what condition."""

    place = forms.ModelChoiceField(
        queryset=Place.objects.all(),
        label=_("Where they saw the person"),
        error_messages={"required": _("Choose the place where they saw the person.")},
    )
    seen_on = forms.DateField(
        required=False,
        label=_("When"),
        help_text=_("The day, if they remember it."),
        widget=DateInput(),
    )
    condition = forms.CharField(
        required=False,
        max_length=2000,
        label=_("In what condition"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["seen_on"].widget.attrs["max"] = today.isoformat()

    def clean_seen_on(self) -> date | None:
        return not_in_the_future(self.cleaned_data["seen_on"], today=self.today)


class PinAgainForm(StatusForm):
    """On the status page: the reference (hidden, the page shows it) and the PIN typed again.
    Taking a copy or asking for erasure proves both anew, in the same POST, as the status page
    does: nothing is reached by a link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].widget = forms.HiddenInput()
        self.fields["pin"].label = _("Your PIN, again")
        self.fields["pin"].help_text = _("The page does not keep it: type it again.")


class ErasureAskForm(PinAgainForm):
    understood = forms.BooleanField(
        required=False,
        label=_(
            "I understand: once a caseworker confirms, my name, email, phone and photo are "
            "erased, and tracing under this inquiry ends."
        ),
    )


class DeclineErasureForm(forms.Form):
    because = forms.CharField(
        label=_("Why the request is declined"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The relative reads this on their status page."),
    )
