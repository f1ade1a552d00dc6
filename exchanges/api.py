"""Exchanges, phases and transfers for partner systems: read with ``registry:read``; officials'
systems record and edit phases with ``phases:write``, validated as the officials' form does."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import filters, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.idempotency import idempotent
from accounts.models import User
from captives.api import CaptiveSerializer
from config.api import ConditionalReads, StrictInput
from config.openapi import problems
from config.queries import CursorPages, IdFilter, StrictFilterSet
from exchanges.models import Exchange, Phase, Transfer
from exchanges.services import PHASE_FIELDS, record_phase

DECLARED = [
    "declared_returned_servicemen",
    "declared_returned_civilians",
    "declared_handed_over_servicemen",
    "declared_handed_over_civilians",
]
PHASE_WRITE_STATES = Phase.settable_state_choices()  # named in the schema (settings)
PHASE_RULES = (
    "The officials' rules refuse it (type domain, errors naming the field): no such agreement, "
    "a date before the agreement was made, a number the agreement already has."
)


class ExchangeSerializer(serializers.ModelSerializer[Exchange]):
    class Meta:
        model = Exchange
        fields = [
            "id",
            "name",
            "agreed_on",
            "venue",
            "mediators",
            "agreed_returned_servicemen",
            "agreed_returned_civilians",
            "agreed_handed_over_servicemen",
            "agreed_handed_over_civilians",
        ]


class ExchangeListView(ConditionalReads, generics.ListAPIView[Exchange]):
    queryset = Exchange.objects.all()
    serializer_class = ExchangeSerializer
    required_scope = "registry:read"
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["agreed_on", "id"]


class ExchangeDetailView(ConditionalReads, generics.RetrieveAPIView[Exchange]):
    queryset = Exchange.objects.all()
    serializer_class = ExchangeSerializer
    required_scope = "registry:read"


class PhaseSerializer(serializers.ModelSerializer[Phase]):
    class Meta:
        model = Phase
        fields = [
            "id",
            "exchange",
            "number",
            "date",
            "place",
            "state",
            "handed_over_on",
            "listed_news_released",
            *DECLARED,
        ]
        read_only_fields = ["handed_over_on", "listed_news_released"]


class PhaseWriteSerializer(StrictInput, serializers.ModelSerializer[Phase]):
    """A phase as an officials' system records it. Completing a phase is not a field: it takes
    two officials (propose, approve) on the officials' pages, and a completed phase keeps its
    state (asking to change it is a 409)."""

    state = serializers.ChoiceField(choices=PHASE_WRITE_STATES, required=False)

    class Meta:
        model = Phase
        fields = ["exchange", "number", "date", "place", "state", *DECLARED]
        validators: list[object] = []  # the model's own validation speaks (save_phase)


class PhaseUpdateSerializer(PhaseWriteSerializer):
    class Meta(PhaseWriteSerializer.Meta):
        read_only_fields = ["exchange"]


class PhaseFilter(StrictFilterSet):
    exchange = IdFilter(help_text="Phases of this agreement (id)")

    class Meta:
        model = Phase
        fields = ["exchange", "state"]


def save_phase(
    *, phase: Phase, by: User, reason: str, fields: Collection[str] = PHASE_FIELDS
) -> Phase:
    """The model's own validation (agreement date, number unique per agreement), then the
    service; a refusal reaches the caller as field errors, or as the service's problem."""
    phase.full_clean()
    return record_phase(phase=phase, by=by, reason=reason, fields=fields)


class PhaseListView(ConditionalReads, generics.ListAPIView[Phase]):
    queryset = Phase.objects.all()
    serializer_class = PhaseSerializer
    filterset_class = PhaseFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, filters.OrderingFilter]
    ordering_fields = ["date", "number", "id"]
    required_scope = "registry:read"
    write_scope = "phases:write"

    @extend_schema(
        request=PhaseWriteSerializer,
        responses={201: PhaseSerializer, **problems({422: PHASE_RULES})},
    )
    @idempotent
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = PhaseWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        phase = save_phase(
            phase=Phase(**incoming.validated_data),
            by=request.user,  # type: ignore[arg-type]
            reason="Recorded through the API",
        )
        location = reverse("api:phase-detail", args=[phase.pk], request=request)
        return Response(
            PhaseSerializer(phase).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class PhaseDetailView(ConditionalReads, APIView):
    required_scope = "registry:read"
    write_scope = "phases:write"

    @extend_schema(responses=PhaseSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(PhaseSerializer(get_object_or_404(Phase, pk=pk)).data)

    @extend_schema(
        request=PhaseUpdateSerializer,
        responses={
            200: PhaseSerializer,
            **problems({409: "The phase is completed: it no longer changes.", 422: PHASE_RULES}),
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        phase = get_object_or_404(Phase.objects.select_related("exchange"), pk=pk)
        incoming = PhaseUpdateSerializer(phase, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        for field, value in incoming.validated_data.items():
            setattr(phase, field, value)
        phase = save_phase(
            phase=phase,
            by=request.user,  # type: ignore[arg-type]
            reason="Updated through the API",
            fields=incoming.validated_data.keys(),
        )
        return Response(PhaseSerializer(phase).data)


class TransferSerializer(serializers.ModelSerializer[Transfer]):
    captive = CaptiveSerializer(read_only=True)
    returned_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="For a confirmed transfer, the day the person crossed (its phase's handover "
        "day); confirmed_at is when the officials approved it.",
    )

    class Meta:
        model = Transfer
        fields = [
            "id",
            "phase",
            "captive",
            "direction",
            "state",
            "returned_on",
            "confirmed_at",
            "created_at",
        ]


class TransferFilter(StrictFilterSet):
    exchange = IdFilter(field_name="phase__exchange", help_text="In this agreement (id)")
    phase = IdFilter(help_text="In this phase (id)")

    class Meta:
        model = Transfer
        fields = ["phase", "state", "direction"]


class TransferPages(CursorPages):
    ordering = ("id",)
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"


class TransferListView(ConditionalReads, generics.ListAPIView[Transfer]):
    serializer_class = TransferSerializer
    filterset_class = TransferFilter
    pagination_class = TransferPages
    required_scope = "registry:read"

    def get_queryset(self) -> QuerySet[Transfer]:
        return Transfer.objects.select_related("captive", "phase")


class TransferDetailView(ConditionalReads, generics.RetrieveAPIView[Transfer]):
    serializer_class = TransferSerializer
    required_scope = "registry:read"

    def get_queryset(self) -> QuerySet[Transfer]:
        return Transfer.objects.select_related("captive", "phase")


class ApiRootView(APIView):
    required_scope = "registry:read"

    @extend_schema(exclude=True)  # a map of links for people browsing, not part of the contract
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        names = ["captive", "exchange", "phase", "transfer", "release-list", "inquiry", "sighting"]
        return Response({name: reverse(f"api:{name}-list", request=request) for name in names})
