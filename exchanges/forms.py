from __future__ import annotations

from copy import copy
from datetime import date
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from captives.matching import name_book, registry_unit, ukrainian_name, ukrainian_parts
from captives.models import Captive, Category, Side
from captives.services import Identity
from config.dates import not_in_the_future
from config.queries import WHOLE_NUMBER, IdFilter
from config.widgets import DateInput
from exchanges.agreements import exchange_refusals
from exchanges.models import Exchange, Outcome, Phase, ReleaseList, ReleaseListRow, Resolution
from exchanges.review import WAITING, waiting_rows

DIRECTIONS = (("returned", _("returned")), ("handed_over", _("handed over")))


class PhaseForm(forms.ModelForm):  # type: ignore[type-arg]
    """A phase as officials announce it: totals per direction, split into categories."""

    number = forms.IntegerField(label=_("Phase number"), min_value=1)  # the model's min is 0
    returned_total = forms.IntegerField(label=_("Returned: total"), min_value=0)
    handed_over_total = forms.IntegerField(label=_("Handed over: total"), min_value=0)
    # Each direction's total first, then its split, the way announcements give them.
    field_order = [
        "number",
        "date",
        "place",
        "state",
        "returned_total",
        "declared_returned_servicemen",
        "declared_returned_civilians",
        "handed_over_total",
        "declared_handed_over_servicemen",
        "declared_handed_over_civilians",
    ]

    class Meta:
        model = Phase
        fields = [
            "number",
            "date",
            "place",
            "state",
            "declared_returned_servicemen",
            "declared_returned_civilians",
            "declared_handed_over_servicemen",
            "declared_handed_over_civilians",
        ]
        labels = {
            "date": _("Date"),
            "place": _("Place"),
            "state": _("State"),
            "declared_returned_servicemen": _("Returned: servicemen"),
            "declared_returned_civilians": _("Returned: civilians"),
            "declared_handed_over_servicemen": _("Handed over: servicemen"),
            "declared_handed_over_civilians": _("Handed over: civilians"),
        }
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            declared = self.instance.declared()
            self.fields["returned_total"].initial = declared.returned
            self.fields["handed_over_total"].initial = declared.handed_over
        state = self.fields["state"]
        if self.instance.state == Phase.State.COMPLETED:
            state.disabled = True  # two officials completed it; nobody edits it back
        else:
            state.choices = Phase.settable_state_choices()  # type: ignore[attr-defined]
            state.help_text = _("A phase is completed when two officials confirm it.")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for direction, label in DIRECTIONS:
            total = cleaned.get(f"{direction}_total")
            parts = [cleaned.get(f"declared_{direction}_{c}") for c in ("servicemen", "civilians")]
            if total is None or any(part is None for part in parts):
                continue  # the field's own error says what is wrong
            named = sum(int(part) for part in parts if part is not None)
            if named != total:
                self.add_error(
                    f"{direction}_total",
                    _("Servicemen and civilians %(label)s add up to %(sum)s, not %(total)s.")
                    % {"label": label, "sum": named, "total": total},
                )
        return cleaned


class ReleaseListUploadForm(forms.Form):
    file = forms.FileField(label=_("Release list (CSV or XLSX)"))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    sent_by = forms.ChoiceField(label=_("Sent by"), choices=ReleaseList.Sender.choices)


class ReviewForm(forms.Form):
    resolution = forms.ChoiceField(choices=Resolution.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    captive = forms.ModelChoiceField(
        queryset=Captive.objects.all(),
        to_field_name="public_id",
        required=False,
        widget=forms.HiddenInput,
    )
    # The line a duplicate repeats (the service checks that it may).
    duplicate_of = forms.ModelChoiceField(
        queryset=ReleaseListRow.objects.all(), required=False, widget=forms.HiddenInput
    )


class ReviewScope(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    """The review queue narrowed by a reviewer: one phase, one list, one outcome.

    A phase or list is a number compared with the id, so a link to a phase with nothing left
    shows nothing rather than the whole queue; the menus offer those with rows waiting, and the
    one chosen.
    """

    phase = IdFilter(field_name="release_list__phase_id", label=_("Phase"), widget=forms.Select)
    list = IdFilter(field_name="release_list_id", label=_("Release list"), widget=forms.Select)
    outcome = django_filters.ChoiceFilter(
        choices=[(o.value, o.label) for o in Outcome if o in WAITING],
        label=_("Outcome"),
        empty_label=_("All outcomes"),
    )

    class Meta:
        model = ReleaseListRow
        fields: list[str] = []

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, queryset=waiting_rows(), **kwargs)

    def offer_choices(self) -> None:
        """Fill the menus, for the queue's page (a decision needs only the filters)."""
        open_lists = ReleaseList.objects.filter(
            Exists(waiting_rows().filter(release_list=OuterRef("pk")))
        )
        lists = ReleaseList.objects.filter(
            Q(pk__in=open_lists) | Q(pk=self._chosen("list"))
        ).select_related("phase__exchange")
        phases = Phase.objects.filter(
            Q(pk__in=open_lists.values("phase")) | Q(pk=self._chosen("phase"))
        ).select_related("exchange")
        self.form.fields["phase"].widget.choices = [
            ("", _("All phases")),
            *((p.pk, str(p)) for p in phases.order_by("date", "pk")),
        ]
        self.form.fields["list"].widget.choices = [
            ("", _("All lists")),
            *((r.pk, str(r)) for r in lists.order_by("phase__date", "pk")),
        ]

    def _chosen(self, name: str) -> int | None:
        """The id given for ``name``, so that a phase or list with nothing left stays chosen."""
        value = (self.data or {}).get(name, "")
        return int(value) if WHOLE_NUMBER.fullmatch(value) else None

    def given(self) -> dict[str, object]:
        """The filters given, and valid."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def query(self) -> str:
        """The scope as a query string for the links and forms that keep it ("" for none)."""
        given = self.given()
        return f"?{urlencode(given)}" if given else ""


class NewCaptiveForm(forms.Form):
    """A person the registry does not know yet, as the reviewer writes them (native script)."""

    family_name = forms.CharField(label=_("Family name"), max_length=100)
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    held_by = forms.ChoiceField(label=_("Held by"), choices=Side.choices, initial=Side.THEIRS)
    military_unit = forms.CharField(label=_("Military unit"), max_length=100, required=False)
    service_number = forms.CharField(label=_("Service number"), max_length=50, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @staticmethod
    def initial_for(row: ReleaseListRow) -> dict[str, object]:
        """The row as the registry would write it: the name in Ukrainian, read as the engine
        reads it (or from the list's own name columns), the unit's code in Cyrillic."""
        if row.family_name or row.given_name:
            family, given, patronymic = ukrainian_parts(
                row.family_name, row.given_name, row.patronymic, book=name_book()
            )
        else:
            family, given, patronymic = ukrainian_name(row.full_name, name_book())
        return {
            "family_name": family,
            "given_name": given,
            "patronymic": patronymic,
            "birth_date": row.birth_date,
            "military_unit": registry_unit(row.military_unit),
            "service_number": row.service_number,
            "category": Category.SERVICEMAN,
            "version": row.version,
        }

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["birth_date"].widget.attrs["max"] = today.isoformat()

    def clean_birth_date(self) -> date | None:
        return not_in_the_future(self.cleaned_data["birth_date"], today=self.today)

    def identity(self) -> Identity:
        data = self.cleaned_data
        return Identity(
            family_name=data["family_name"],
            given_name=data["given_name"],
            patronymic=data["patronymic"],
            birth_date=data["birth_date"],
            category=Category(data["category"]),
            military_unit=data["military_unit"],
            service_number=data["service_number"],
        )


class ExchangeForm(forms.ModelForm):  # type: ignore[type-arg]
    """An agreement as officials announce it: per direction, an optional total and its split.

    The rules that need the agreement's phases or the day are the service's
    (``record_exchange``), so that every way of writing an agreement keeps them; the form asks
    the service for them too, to show every problem at once.
    """

    returned_total = forms.IntegerField(label=_("Returned: total"), min_value=0, required=False)
    handed_over_total = forms.IntegerField(
        label=_("Handed over: total"), min_value=0, required=False
    )
    field_order = [
        "name",
        "agreed_on",
        "venue",
        "mediators",
        "returned_total",
        "agreed_returned_servicemen",
        "agreed_returned_civilians",
        "handed_over_total",
        "agreed_handed_over_servicemen",
        "agreed_handed_over_civilians",
    ]

    class Meta:
        model = Exchange
        fields = [
            "name",
            "agreed_on",
            "venue",
            "mediators",
            "agreed_returned_servicemen",
            "agreed_returned_civilians",
            "agreed_handed_over_servicemen",
            "agreed_handed_over_civilians",
        ]
        labels = {
            "name": _("Agreement name"),
            "agreed_on": _("Date of the agreement"),
            "venue": _("Venue"),
            "mediators": _("Mediators"),
            "agreed_returned_servicemen": _("Returned: servicemen"),
            "agreed_returned_civilians": _("Returned: civilians"),
            "agreed_handed_over_servicemen": _("Handed over: servicemen"),
            "agreed_handed_over_civilians": _("Handed over: civilians"),
        }
        help_texts = {"name": _("As the agreement is known, for example “1000 for 1000”.")}
        # A date input takes ISO only: the Ukrainian "16.05.2025" would show as an empty field.
        widgets = {"agreed_on": DateInput()}

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        optional = _("Optional: if given, it must equal servicemen plus civilians.")
        for direction, _label in DIRECTIONS:
            self.fields[f"{direction}_total"].help_text = optional
        if self.instance.pk:
            agreed = self.instance.agreed()
            self.fields["returned_total"].initial = agreed.returned
            self.fields["handed_over_total"].initial = agreed.handed_over

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for direction, label in DIRECTIONS:
            total = cleaned.get(f"{direction}_total")
            parts = [cleaned.get(f"agreed_{direction}_{c}") for c in ("servicemen", "civilians")]
            if total is None or any(part is None for part in parts):
                continue  # no total given, or a part's own error says what is wrong
            named = sum(int(part) for part in parts if part is not None)
            if named != total:
                self.add_error(
                    f"{direction}_total",
                    _("Servicemen and civilians %(label)s add up to %(sum)s, not %(total)s.")
                    % {"label": label, "sum": named, "total": total},
                )
        self._add_refusals()
        return cleaned

    def _add_refusals(self) -> None:
        """The service's rules, on a copy holding what was typed (where it was valid)."""
        typed = construct_instance(self, copy(self.instance))
        for field, refusal in exchange_refusals(exchange=typed, today=self.today).items():
            if field not in self.errors:
                self.add_error(field, refusal)
