"""``/metrics``: what an operator's Prometheus reads, and who may read it.

Two kinds of figures. Those measured as requests are served (latency by view) live in the
serving process; under gunicorn each worker writes them to files of its own in
``PROMETHEUS_MULTIPROC_DIR`` (``config/gunicorn.py`` makes one) and a scrape adds up every
worker's. The others are read when Prometheus asks, so they survive restarts and need no
process to have seen anything: the broker's queue lengths and task outcomes
(``config/broker_metrics.py``), and each app's figures from the database, which the app hands
to ``count_at_scrape`` in its ``AppConfig.ready`` (config sits below the apps and imports none).

Nobody reads the endpoint unless the deployment says who: a bearer token (``METRICS_TOKEN``)
or an address (``METRICS_ALLOWED_ADDRESSES``), each enough alone; loopback only with
``DEBUG``. The proxy does not route it at all (``config/Caddyfile``).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from config.broker_metrics import QueueLengths, TaskOutcomes
from config.client import client_ip

# No "_created" series beside each counter and histogram: they double what is stored and no
# query here needs them.
disable_created_metrics()  # type: ignore[no-untyped-call]

REQUEST_SECONDS = Histogram(
    "homecoming_http_request_duration_seconds",
    "Time to answer a request, by the view that answered it (its URL name), method and status "
    "class; the time to the first byte for a streamed file.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)

# Any other method a client invents is counted as "other": a label's values stay few.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

_at_scrape: dict[str, Collector] = {}


def count_at_scrape(name: str, collector: Collector) -> None:
    """Have ``collector`` read its figures at every scrape (an app's, from the database)."""
    _at_scrape[name] = collector


class RequestLatencyMiddleware:
    """First in the middleware list: times every request, whatever answers it. The view label
    is the URL's name (``inquiries:status``), never the path, which may carry a reference code
    or a search; a request answered before any URL matched it (a 404, a static file, the TLS
    redirect) is ``unmatched``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        REQUEST_SECONDS.labels(
            view=match.view_name if match else "unmatched",
            method=request.method if request.method in _METHODS else "other",
            status=f"{response.status_code // 100}xx",
        ).observe(time.perf_counter() - started)
        return response


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not scrape_allowed(request):
        response = HttpResponse(status=403)
        if settings.METRICS_TOKEN:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_scrape()), content_type=CONTENT_TYPE_LATEST)


def scrape_allowed(request: HttpRequest) -> bool:
    """The right bearer token, or a request from a listed address or network (seen through the
    trusted proxies, as every limit is: the proxy's own address never counts for a client)."""
    token: str = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode()):
        return True
    address = client_ip(request)
    if address is None:
        return False
    allowed: Iterable[str] = settings.METRICS_ALLOWED_ADDRESSES
    here = ipaddress.ip_address(address)
    return any(here in ipaddress.ip_network(entry, strict=False) for entry in allowed)


def _scrape() -> CollectorRegistry:
    """A registry for one scrape: every worker's files under gunicorn (this process's own
    figures otherwise), then the figures read now."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REGISTRY)
    read_now: list[Collector] = [QueueLengths(), TaskOutcomes(), *_at_scrape.values()]
    for collector in read_now:
        registry.register(collector)
    return registry
