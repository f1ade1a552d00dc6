"""The API lists' filters, as strict as the schema that describes them.

A filter by a record's id is a number compared with the id, never a lookup that refuses an id
that does not exist: "transfers of phase 999" are none (200, an empty list), and whether phase 999
exists is not told to a token that may not read phases. A filter named with no value
(``?updated_since=``) is refused (400), as the schema refuses it, rather than read as no filter.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

EMPTY = _("Give a value, or leave the filter out.")


class IdFilter(django_filters.NumberFilter):  # type: ignore[misc]  # django-filter is untyped
    """A record's id: a whole number (the schema's integer), matched or not."""

    field_class = forms.IntegerField


class _NoEmptyValues(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        data = self.data  # the query string, as DRF hands it to django-filter
        for name in self.fields:
            if isinstance(data, QueryDict) and "" in data.getlist(name):
                self.add_error(name, forms.ValidationError(EMPTY, code="blank"))
        return cleaned


class StrictFilterSet(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    """A filter set that refuses a filter given without a value."""

    def get_form_class(self) -> type[forms.Form]:
        form: type[forms.Form] = super().get_form_class()
        return type(form.__name__, (_NoEmptyValues, form), {})
