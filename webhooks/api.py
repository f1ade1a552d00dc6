"""Partners register, list and delete their webhook endpoints (scope ``webhooks:manage``, and
for each event the scope that reads what it is about: ``webhooks.services.EVENT_SCOPES``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.idempotency import idempotent
from accounts.models import PartnerToken
from accounts.permissions import IsStaffRole
from accounts.tokens import HasScope
from config.api import StrictInput
from config.openapi import problems
from webhooks.models import Endpoint, EventType
from webhooks.services import register_endpoint, remove_endpoint


class IsPartnerToken(BasePermission):
    """Endpoints belong to a partner's token: a staff session has none to register with."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, PartnerToken)


class EndpointInput(StrictInput):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        min_length=1,
        help_text="Each needs the token to read what it is about: registry:read for "
        "captive.listed, captive.returned and phase.completed, lists:submit for list.reconciled "
        "(which tells of the partner's own lists only); otherwise 403",
    )


class EndpointOutput(serializers.ModelSerializer[Endpoint]):
    class Meta:
        model = Endpoint
        fields = ["id", "url", "events", "is_active", "created_at"]


class RegisteredEndpointOutput(EndpointOutput):
    secret = serializers.CharField(
        help_text="Shown once: the key that checks each delivery's webhook-signature (Standard "
        "Webhooks: whsec_ and the key in base64; docs/webhooks.md)"
    )

    class Meta(EndpointOutput.Meta):
        fields = [*EndpointOutput.Meta.fields, "secret"]


def endpoints_of(request: Request) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(partner=request.user, removed_at__isnull=True)  # type: ignore[misc]


class WebhookView(APIView):
    permission_classes = [IsStaffRole, HasScope, IsPartnerToken]
    required_scope = "webhooks:manage"


class EndpointListView(WebhookView):
    @extend_schema(responses=EndpointOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(EndpointOutput(endpoints_of(request), many=True).data)

    @extend_schema(
        request=EndpointInput,
        responses={
            201: RegisteredEndpointOutput,
            **problems(
                {
                    422: "The address is not one Homecoming calls (type domain): not https, "
                    "with a user or password, or a host off the allow-list."
                }
            ),
        },
    )
    @idempotent
    def post(self, request: Request) -> Response:
        given = EndpointInput(data=request.data)
        given.is_valid(raise_exception=True)
        assert isinstance(request.auth, PartnerToken)  # noqa: S101 - IsPartnerToken checked it
        endpoint = register_endpoint(token=request.auth, **given.validated_data)
        return Response(RegisteredEndpointOutput(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailView(WebhookView):
    @extend_schema(responses=EndpointOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(EndpointOutput(get_object_or_404(endpoints_of(request), pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        remove_endpoint(endpoint=get_object_or_404(endpoints_of(request), pk=pk), at=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)
