"""The benchmark's URLconf: the production one plus two bare endpoints the partners' captives
list is measured against. Served only by the load benchmark's gunicorn (``bench.settings``);
production never routes to them."""

from __future__ import annotations

from typing import Any

from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.load import BARE_PAGE, BARE_PATH, NAKED_PATH
from captives.api import PUBLIC_FIELDS
from captives.models import Captive


class BareCaptives(APIView):
    """DRF as it comes, on the list's first page: the same 100 rows, the fields a
    ``registry:read`` token sees, in the same order, read with ``.values()`` and rendered by
    DRF's default JSON renderer (which writes the moment in the database's UTC). What every
    endpoint of ours has stays (REST_FRAMEWORK's token authentication, permissions and
    throttle, and under ``/api/v1/`` the audit row); the list's own work goes (filters,
    cursor, serializer fields, ETag, our renderer)."""

    required_scope = "registry:read"
    renderer_classes = [JSONRenderer]

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = Captive.objects.current().order_by("-updated_at", "-id").values(*PUBLIC_FIELDS)
        return Response(list(rows[:BARE_PAGE]))


class NakedCaptives(BareCaptives):
    """The same with nothing of ours at all: no token, permission, throttle or audit (outside
    ``/api/v1/``): what the plumbing every API call pays costs."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes: list[type] = []


urlpatterns = [
    path(BARE_PATH, BareCaptives.as_view(), name="bench-bare-captives"),
    path(NAKED_PATH, NakedCaptives.as_view(), name="bench-naked-captives"),
    path("", include("config.urls")),
]
handler500 = "config.outages.server_error"
