"""Every call to the partner API is recorded: token, endpoint, object, outcome, time."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import ApiCall
from config.api import PROBLEM_CONTENT_TYPE, TYPE_PREFIX


class ApiAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/"):
            match = request.resolver_match
            ApiCall.objects.create(
                token=getattr(request, "partner_token", None),
                method=request.method or "",
                path=request.path[:300],  # never the query: it may hold a name searched for
                action=(match.url_name or "")[:60] if match else "",
                object_ref=object_of(request, response)[:120],
                status=response.status_code,
                outcome=outcome_of(response)[:60],
                at=timezone.now(),
            )
        return response


def object_of(request: HttpRequest, response: HttpResponse) -> str:
    """The object a call created (its ``Location``) or named in its address."""
    if response.has_header("Location"):
        return response["Location"].split("/api/v1/", 1)[-1].strip("/")
    match = request.resolver_match
    if match and match.kwargs:
        return ",".join(str(value) for value in match.kwargs.values())
    return ""


def outcome_of(response: HttpResponse) -> str:
    """The problem type of a refusal (``not-found``, ``throttled``…); empty on success."""
    if response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
        data = getattr(response, "data", None)  # DRF's; Django's own problems are JSON bytes
        if data is None and isinstance(response, HttpResponse):
            data = json.loads(response.content)
        if isinstance(data, dict):
            return str(data.get("type", "")).removeprefix(TYPE_PREFIX)
    return ""
