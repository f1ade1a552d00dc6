"""Django's error views (``handler400``, ``handler403``, ``handler404``, ``handler500``): under
``/api/`` a problem document like every other refusal there, elsewhere the site's own pages.

They answer what no DRF view did: an address that names nothing (outside ``/api/v1/``, whose
own catch-all answers 404), a body Django refused to read (``RequestDataTooBig`` is a 413,
another unreadable request a 400), and a server error. A lost database connection is a 503
(``config.outages``) wherever it is raised.
"""

from __future__ import annotations

import sys

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from config.api import is_api, problem_response
from config.outages import OUTAGES, outage_response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api(request.path):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return problem_response(status=413, detail=_("The request is larger than the API takes."))
    return problem_response(status=400, detail=_("The request could not be read."))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api(request.path):
        return defaults.permission_denied(request, exception)
    return problem_response(
        status=403, detail=_("You do not have permission to perform this action.")
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api(request.path):
        return defaults.page_not_found(request, exception)
    return problem_response(status=404, detail=_("Not found."))


def server_error(request: HttpRequest) -> HttpResponse:
    """An outage raised outside a view (a middleware's query) is a 503 too."""
    if isinstance(sys.exc_info()[1], OUTAGES):
        return outage_response(request)
    if not is_api(request.path):
        return defaults.server_error(request)
    return problem_response(
        status=500, detail=_("The server failed to answer; the error is logged. Try again later.")
    )
