"""When the database drops a request's connection: a clean 503, never a 500 with a traceback.

Every write is one transaction, so a connection lost half way has left nothing behind; the
person is told to try again. The page is rendered without the request's context, because the
menus ask the database who the user is, and the database is what just failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from config.api import is_api, problem_response

logger = logging.getLogger(__name__)

OUTAGES = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def outage_response(request: HttpRequest) -> HttpResponse:
    """503: a problem document for the API, the plain "unavailable" page for everyone else."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if is_api(request.path):
        detail = _("The database did not answer; nothing was saved. Try again later.")
        return problem_response(status=503, detail=detail, headers=headers)
    return HttpResponse(render_to_string("503.html"), status=503, headers=headers)


class DatabaseOutageMiddleware:
    """Turns a database connection error raised by a view into a 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OUTAGES):
            return None
        # The class only: the message may quote SQL parameters, which can be personal data.
        logger.error(
            "Database unavailable during %s %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
        )
        # A connection that failed outside a transaction stays broken for the rest of the
        # request; drop it so that the audit and session middleware can open a new one.
        for database in connections.all(initialized_only=True):
            database.close_if_unusable_or_obsolete()
        return outage_response(request)
