"""The filter backend skips a FilterSet the request names no filter of, and only then."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from captives.models import Captive
from config.filtering import FilterBackend
from tests.factories import make_captive

pytestmark = pytest.mark.django_db


class BornFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    born = django_filters.DateFromToRangeFilter(field_name="birth_date")  # born_after, …

    class Meta:
        model = Captive
        fields = ["status"]


class View:
    filterset_class = BornFilter


def filtered(query: dict[str, Any]) -> set[str]:
    request = Request(APIRequestFactory().get("/", query))
    found = FilterBackend().filter_queryset(request, Captive.objects.all(), View())
    return {captive.given_name for captive in found}


def test_a_suffixed_range_parameter_filters_and_others_leave_the_list_whole() -> None:
    make_captive(given_name="Петро", birth_date=date(1980, 1, 1))
    make_captive(given_name="Іван", birth_date=date(2000, 1, 1))

    assert filtered({"born_after": "1990-01-01"}) == {"Іван"}
    assert filtered({"born_before": "1990-01-01"}) == {"Петро"}
    assert filtered({"status": "returned"}) == set()
    assert filtered({"cursor": "x", "page_size": "5"}) == {"Петро", "Іван"}
    assert filtered({}) == {"Петро", "Іван"}
