"""Throttling per token for the partner API, with the atomic Redis counters of the public pages.

The rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner"]`` (e.g. ``"600/min"``). A fixed
window per token: INCR is atomic, so concurrent calls cannot slip past the limit. If Redis does
not answer, calls are refused (503), never let through unthrottled.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from accounts.idempotency import caller_scope
from config import limits
from config.client import client_address


class ServiceUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = _("The rate-limit store does not answer; try again shortly.")
    default_code = "unavailable"
    # Sent as Retry-After by DRF's handler, as an outage's 503 does (config.outages, which this
    # module cannot import: DRF loads it while config.api is being imported).
    wait = 30


WINDOWS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"600/min"`` → (600, 60)."""
    count, period = rate.split("/")
    return int(count), WINDOWS[period[0]]


class PartnerRateThrottle(BaseThrottle):
    scope = "partner"

    def allow_request(self, request: Request, view: Any) -> bool:
        limit, window = parse_rate(str(api_settings.DEFAULT_THROTTLE_RATES[self.scope]))
        rule = limits.Rule(f"api-{self.scope}", limit=limit, window=window)
        self.retry_after = window
        try:
            return limits.count(rule, self.caller(request)) <= limit
        except limits.LimitStoreDown as error:
            raise ServiceUnavailable from error

    def caller(self, request: Request) -> str:
        if request.user and request.user.is_authenticated:
            return caller_scope(request)
        return f"ip:{client_address(request)}"  # the public schema

    def wait(self) -> float:
        return float(self.retry_after)
