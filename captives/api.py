"""The registry for partner systems: statuses for everyone with a token, personal data only
with the ``registry:personal`` scope."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import generics, pagination, serializers

from accounts.models import PartnerToken
from accounts.permissions import IsStaffRole
from accounts.tokens import HasScope, scopes_of
from captives.models import Captive

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


class CaptiveSerializer(serializers.ModelSerializer[Captive]):
    class Meta:
        model = Captive
        fields = PUBLIC_FIELDS + PERSONAL_FIELDS

    def to_representation(self, instance: Captive) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        if request is None:
            return data
        if isinstance(request.auth, PartnerToken) and "registry:personal" not in scopes_of(request):
            for field in PERSONAL_FIELDS:  # a token without the scope gets no personal data
                data.pop(field, None)
        return data


class CaptiveFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Captive
        fields = ["status", "category", "held_by"]


class CaptivePages(pagination.CursorPagination):
    ordering = ("-updated_at", "-id")
    page_size = 100


class CaptiveListView(generics.ListAPIView[Captive]):
    serializer_class = CaptiveSerializer
    filterset_class = CaptiveFilter
    pagination_class = CaptivePages
    permission_classes = [IsStaffRole, HasScope]
    required_scope = "registry:read"

    def get_queryset(self) -> QuerySet[Captive]:
        return Captive.objects.current()
