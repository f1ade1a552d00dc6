"""Request bodies larger than any form or API call takes are refused before anything reads them.

Django streams file parts to disk without a limit, and the CSRF check and the forms parse the
body before a view can look at a size: a client could fill the disk or hold one of the few
workers with a multi-gigabyte upload. Anonymous visitors (the families' pages) send an inquiry
with at most a 5 MB photo; staff and partners send release lists of at most 20 MB. The limits
here are well above those, so that a file a little too large still reaches its form and is
refused there, beside its field, in words that name the limit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from config.api import PROBLEM_CONTENT_TYPE, problem_document

PUBLIC_MAX_BYTES = 12 * 1024 * 1024  # an inquiry's 5 MB photo, and room to say it is too large
SIGNED_IN_MAX_BYTES = 64 * 1024 * 1024  # a 20 MB release list, and room to say it is too large


class RequestSizeLimitMiddleware:
    """413 for a body declared larger than the sender may send. It runs before every view and
    every ``process_view`` (the CSRF check reads the body there); partners' tokens are checked
    in the API's views, later, so any API call may send the larger size."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _declared_length(request) > _allowed(request):
            return _too_large(request)
        return self.get_response(request)


def _allowed(request: HttpRequest) -> int:
    if request.path.startswith("/api/") or request.user.is_authenticated:
        return SIGNED_IN_MAX_BYTES
    return PUBLIC_MAX_BYTES


def _declared_length(request: HttpRequest) -> int:
    """Django reads no more than Content-Length says, and nothing without it."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads such a body as empty


def _too_large(request: HttpRequest) -> HttpResponse:
    limit = _allowed(request) // (1024 * 1024)
    detail = _("The request is larger than %(limit)d MB.") % {"limit": limit}
    if request.path.startswith("/api/"):
        body = problem_document(status=413, detail=detail)  # type "too-large", like DRF's 413
        return JsonResponse(body, status=413, content_type=PROBLEM_CONTENT_TYPE)
    return render(request, "413.html", {"detail": detail}, status=413)
