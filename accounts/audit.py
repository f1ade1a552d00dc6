"""Every call to the partner API is recorded: token, method, path, outcome, time."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import ApiCall


class ApiAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/"):
            ApiCall.objects.create(
                token=getattr(request, "partner_token", None),
                method=request.method or "",
                path=request.get_full_path()[:300],
                status=response.status_code,
                at=timezone.now(),
            )
        return response
