"""Read-only exchange endpoints; issue 5 of the plan builds the partner contract on top."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from exchanges.models import Exchange


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


class ExchangeListView(generics.ListAPIView[Exchange]):
    queryset = Exchange.objects.all()
    serializer_class = ExchangeSerializer


class ExchangeDetailView(generics.RetrieveAPIView[Exchange]):
    queryset = Exchange.objects.all()
    serializer_class = ExchangeSerializer


class ApiRootView(APIView):
    @extend_schema(exclude=True)  # a map of links for people browsing, not part of the contract
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response({"exchanges": reverse("api:exchange-list", request=request)})
