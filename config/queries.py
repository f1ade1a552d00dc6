"""The API's query parameters, as strict as the schema that describes them.

- A parameter takes one value: ``?phase=1&phase=2`` is refused (400), not read as its last.
- A whole number is digits (``12``, ``-3``): ``1.0``, ``1e3``, ``last`` or nothing are refused,
  for a filter by id, a page and a page size alike. A page past the end is 404.
- A filter by a record's id is a number compared with the id, never a lookup that refuses an
  id that does not exist: "transfers of phase 999" are none (200, an empty list), and whether
  phase 999 exists is not told to a token that may not read phases.
- A filter named with no value (``?updated_since=``) is refused (400), as the schema refuses
  it, rather than read as no filter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import pagination, serializers
from rest_framework.request import Request

from config.api import is_api, problem_response

WHOLE_NUMBER = re.compile(r"-?[0-9]+")
EMPTY = gettext_lazy("Give a value, or leave the filter out.")
NOT_A_WHOLE_NUMBER = gettext_lazy("A whole number is required.")


class SingleValuedQueryMiddleware:
    """400 for an API call that gives a query parameter more than once: none of the API's
    parameters is a list, and which of two values would count is a guess."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api(request.path):
            repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
            if repeated:
                message = _("Give this parameter once.")
                return problem_response(
                    status=400,
                    detail=_("The request has invalid fields."),
                    kind="validation",
                    errors={name: [message] for name in repeated},
                )
        return self.get_response(request)


def whole_number(request: Request, name: str) -> int | None:
    """The query parameter ``name`` as a whole number, None without it; 400 naming it if it is
    anything else."""
    value = request.query_params.get(name)
    if value is None:
        return None
    if not WHOLE_NUMBER.fullmatch(value):
        raise serializers.ValidationError({name: [str(NOT_A_WHOLE_NUMBER)]}, code="invalid")
    return int(value)


class Pages(pagination.PageNumberPagination):
    """``?page=`` a whole number (page 1 without it); a page past the end is 404."""

    def get_page_number(self, request: Request, paginator: Paginator[Any]) -> int:
        number = whole_number(request, self.page_query_param)
        return 1 if number is None else number


class CursorPages(pagination.CursorPagination):
    """Cursor pages whose ``?page_size=`` is a whole number (cut to the page size's bounds)."""

    def get_page_size(self, request: Request) -> int | None:
        if self.page_size_query_param:
            whole_number(request, self.page_size_query_param)
        return super().get_page_size(request)


class WholeNumberField(forms.IntegerField):
    def to_python(self, value: Any) -> int | None:
        if value not in self.empty_values and not WHOLE_NUMBER.fullmatch(str(value)):
            raise forms.ValidationError(NOT_A_WHOLE_NUMBER, code="invalid")
        number: int | None = super().to_python(value)
        return number


class IdFilter(django_filters.NumberFilter):  # type: ignore[misc]  # django-filter is untyped
    """A record's id: a whole number (the schema's integer), matched or not."""

    field_class = WholeNumberField


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
