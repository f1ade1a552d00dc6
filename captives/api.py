"""The registry for partner systems: statuses for every token with ``registry:read``, personal
data only with ``registry:personal``, to read and to search by; a name search in any script,
ranked by the engine."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from functools import cache
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.tokens import sees_personal_data
from captives.models import Captive
from captives.queries import parse_query, ranked_candidates, search_refusal
from config.api import ConditionalReads
from config.openapi import problems
from config.queries import CursorPages, IdFilter, StrictFilterSet, whole_number

PUBLIC_FIELDS = [
    "public_id",
    "family_name",
    "given_name",
    "patronymic",
    "status",
    "category",
    "held_by",
    "updated_at",
]
PERSONAL_FIELDS = ["birth_date", "military_unit", "service_number"]
SEARCH_LIMIT = 50
MAX_QUERY = 200


class CaptiveSerializer(serializers.ModelSerializer[Captive]):
    """A captive as a partner sees them; wherever a captive appears, this serializer shows it."""

    birth_date = serializers.DateField(
        required=False, allow_null=True, help_text="Only with registry:personal"
    )
    military_unit = serializers.CharField(required=False, help_text="Only with registry:personal")
    service_number = serializers.CharField(required=False, help_text="Only with registry:personal")

    class Meta:
        model = Captive
        fields = PUBLIC_FIELDS + PERSONAL_FIELDS
        read_only_fields = fields

    def to_representation(self, instance: Captive) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not sees_personal_data(request):
            for field in PERSONAL_FIELDS:  # without the scope, no personal data
                data.pop(field, None)
        return data


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):  # type: ignore[misc]
    """An ISO 8601 moment with any offset ISO allows (PostgreSQL takes at most ±15:59): read in
    UTC before it reaches the database. A moment whose UTC falls off the calendar (the first
    day's midnight east of Greenwich) is read as the calendar's first or last moment: every
    change is on or after the first, none after the last."""

    def filter(self, queryset: QuerySet[Captive], value: datetime | None) -> QuerySet[Captive]:
        if value is None:
            return queryset
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            first, last = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
            value = first if value.year == first.year else last
        return super().filter(queryset, value)  # type: ignore[no-any-return]


class CaptiveFilter(StrictFilterSet):
    updated_since = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    phase = IdFilter(method="in_phase", help_text="Listed in this phase (id)")

    class Meta:
        model = Captive
        fields = ["status", "category", "held_by"]

    def in_phase(self, queryset: QuerySet[Captive], name: str, value: int) -> QuerySet[Captive]:
        # Through the exchanges' reverse relation: the registry does not import the apps above.
        listed = Captive.objects.filter(transfers__phase=value).values("pk")
        return queryset.filter(pk__in=listed)


class CaptivePages(CursorPages):
    ordering = ("-updated_at", "-id")
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"


def visible_fields(request: Request) -> list[str]:
    """The fields this caller may read: personal ones only with ``registry:personal``."""
    return PUBLIC_FIELDS + PERSONAL_FIELDS if sees_personal_data(request) else PUBLIC_FIELDS


def as_represented(rows: Iterable[dict[str, Any]], fields: list[str]) -> list[dict[str, Any]]:
    """Rows read with ``.values()`` rendered by ``CaptiveSerializer``'s own fields: the same
    output, without a model instance and a serializer per person. A text cell reads as itself
    (what ``CharField`` and ``ChoiceField`` give a string), so only the other cells are written,
    by their field (``bench/load.py`` measures the page)."""
    writers = _cell_writers(tuple(fields), timezone.get_current_timezone())
    represented = []
    for row in rows:
        item = {name: row[name] for name in fields}
        for name, write in writers:
            if item[name] is not None:
                item[name] = write(item[name])
        represented.append(item)
    return represented


@cache
def _cell_writers(fields: tuple[str, ...], zone: tzinfo) -> list[tuple[str, Callable[[Any], Any]]]:
    """The fields whose cells are not text, each with its ``to_representation``; a moment's
    field with the time zone fixed (DRF looks the current one up for every cell otherwise).
    Built once per process: a serializer's fields take ~0.6 ms to build."""
    shown = CaptiveSerializer().fields
    writers: list[tuple[str, Callable[[Any], Any]]] = []
    for name in fields:
        field = shown[name]
        if isinstance(field, serializers.CharField | serializers.ChoiceField):
            continue
        if isinstance(field, serializers.DateTimeField):
            field = copy.copy(field)
            field.timezone = zone  # type: ignore[attr-defined]  # DRF reads it if set
        writers.append((name, field.to_representation))
    return writers


class CaptiveListView(ConditionalReads, generics.ListAPIView[Captive]):
    """Captives, newest change first. With ``q``: the best matches for a name (in Cyrillic or
    any transliteration, with a date of birth or a service number if known), best first, one
    page of at most 50. A date of birth, unit or service number in ``q`` needs
    ``registry:personal``; without it ``q`` must hold a name and nothing else."""

    serializer_class = CaptiveSerializer
    filterset_class = CaptiveFilter
    pagination_class = CaptivePages
    required_scope = "registry:read"

    def get_queryset(self) -> QuerySet[Captive]:
        return Captive.objects.current()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": MAX_QUERY},
                description="A name in any script. A date of birth (14.03.1990), unit or "
                "service number with it only with registry:personal: without that scope such a "
                "query is refused (422, naming q).",
            )
        ],
        responses={
            200: CaptiveSerializer,
            **problems(
                {
                    422: "q is refused (type domain, errors naming q): a name of more than eight "
                    "words; without registry:personal, a date of birth, unit or service number "
                    "in it, or no name."
                }
            ),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = request.query_params.get("q", "").strip()
        if not query:
            return self.page(request)
        whole_number(request, "page_size")  # one page of at most 50, but the schema's integer
        if len(query) > MAX_QUERY:
            raise serializers.ValidationError(
                {"q": [_("At most %(most)s characters.") % {"most": MAX_QUERY}]}
            )
        entry = parse_query(query)
        refusal = search_refusal(entry, personal=sees_personal_data(request))
        if refusal:
            raise serializers.ValidationError({"q": [refusal]}, code="refused")
        ranked = [found.person_id for found in ranked_candidates(entry, SEARCH_LIMIT)]
        allowed = set(
            self.filter_queryset(self.get_queryset())
            .filter(pk__in=ranked)
            .values_list("pk", flat=True)
        )
        captives = Captive.objects.in_bulk([pk for pk in ranked if pk in allowed])
        results = [captives[pk] for pk in ranked if pk in captives]
        data = self.get_serializer(results, many=True).data
        return Response({"next": None, "previous": None, "results": data})

    def page(self, request: Request) -> Response:
        """One page of the registry, read as plain rows (the serializer's fields render them)."""
        fields = visible_fields(request)
        columns = sorted({*fields, *(key.lstrip("-") for key in CaptivePages.ordering)})
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values(*columns))
        return self.get_paginated_response(as_represented(rows or [], fields))


class CaptiveDetailView(ConditionalReads, generics.RetrieveAPIView[Captive]):
    serializer_class = CaptiveSerializer
    lookup_field = "public_id"
    required_scope = "registry:read"

    def get_queryset(self) -> QuerySet[Captive]:
        return Captive.objects.current()
