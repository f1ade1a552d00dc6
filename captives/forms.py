from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from captives.models import Captive


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
