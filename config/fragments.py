"""Pages that htmx updates in place: it asks for a part of a page (``HX-Request``), and is
answered with that part alone, without the base template; a page restored from htmx's history,
a reload or a browser without script gets the whole page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


def wants_fragment(request: HttpRequest) -> bool:
    """Whether htmx asked for a part of the page to swap in: not when it restores a page from
    history, which it does with a whole page (django-htmx's middleware reads the headers)."""
    htmx: HtmxDetails = request.htmx  # type: ignore[attr-defined]  # set by HtmxMiddleware
    return bool(htmx) and not htmx.history_restore_request


def varies_by_fragment(response: HttpResponse) -> HttpResponse:
    """One address answers with the whole page or a part: a cache must tell them apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response
