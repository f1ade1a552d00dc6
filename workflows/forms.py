"""The approval form: it parses what the approver saw and said; the workflow checks it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from config.widgets import DateInput
from exchanges.confirmation import gap_acknowledgement
from exchanges.models import Phase


class ApprovalForm(forms.Form):
    """The day the people crossed (the phase's date unless changed), which proposal the page
    showed, and, where the people declared and those named differ, the approver's
    acknowledgement of that very difference."""

    handed_over_on = forms.DateField(
        label=_("Handover day"),
        required=False,
        widget=DateInput(),
        help_text=_("The day the people crossed: the phase's date, or a later day."),
    )
    proposed_at = forms.CharField(widget=forms.HiddenInput, required=False)
    gap = forms.IntegerField(widget=forms.HiddenInput, required=False)
    acknowledge = forms.BooleanField(required=False)

    def __init__(self, *args: Any, phase: Phase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        gap = phase.named_gap()
        self.fields["handed_over_on"].initial = phase.date
        proposed = phase.proposed_at
        self.fields["proposed_at"].initial = proposed.isoformat() if proposed else ""
        self.fields["gap"].initial = gap
        if gap:
            self.fields["acknowledge"].label = gap_acknowledgement(gap)
        else:
            del self.fields["acknowledge"]

    def handover_day(self) -> date | None:
        day: date | None = self.cleaned_data.get("handed_over_on")
        return day

    def seen(self) -> datetime:
        """When the proposal on the approver's page was made, as the form says. A form that
        does not say (an old page, a crafted request) saw no proposal: the epoch, which none
        matches."""
        try:
            return datetime.fromisoformat(self.cleaned_data.get("proposed_at") or "")
        except ValueError:
            return datetime.fromtimestamp(0, tz=UTC)

    def acknowledged_gap(self) -> int | None:
        """The difference the approver ticked the box for, as their page showed it."""
        if not self.data.get("acknowledge"):
            return None
        gap: int | None = self.cleaned_data.get("gap")
        return gap
