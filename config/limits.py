"""Rate limits, as atomic counters in Redis: the public pages' (``inquiries.limits``), the
sign-in forms' (``accounts.limits``) and the API's.

A counter per (rule, key) lives for its window: INCR is atomic, so parallel requests cannot slip
past the limit the way a read-then-write throttle lets them. If Redis does not answer, the pages
refuse (503) rather than open up. Without Redis (the SQLite demo) the counters live in memory.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LimitStoreDown(Exception):  # noqa: N818 - a state of the world, not a programming error
    """The rate-limit store does not answer: refuse, never open up."""


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window: int  # seconds

    @property
    def allowed(self) -> int:
        """Hits allowed per window: the limit, times ``RATE_LIMIT_FACTOR`` (1 but in the load
        benchmark, which raises it to measure the pages rather than the limiter)."""
        return self.limit * int(settings.RATE_LIMIT_FACTOR)


_memory: dict[str, tuple[int, float]] = {}
_memory_lock = threading.Lock()


def _client() -> redis.Redis | None:
    return _pooled(settings.REDIS_URL) if settings.REDIS_URL else None


@lru_cache(maxsize=8)
def _pooled(url: str) -> redis.Redis:
    """One client, and so one connection pool, per process and address: a client made per hit
    paid a new connection and its handshake every time (~3 ms of a 17 ms API page)."""
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _counter(rule: Rule, key: str) -> str:
    return f"homecoming:limit:{rule.name}:{key}"


def count(rule: Rule, key: str) -> int:
    """Add one to the counter and return it (the first hit starts the window)."""
    name = _counter(rule, key)
    client = _client()
    if client is None:
        return _count_in_memory(name, rule.window)
    try:
        pipe = client.pipeline()
        pipe.incr(name)
        pipe.expire(name, rule.window, nx=True)
        hits, _ = pipe.execute()
        return int(hits)
    except redis.RedisError as error:
        raise LimitStoreDown from error


def peek(rule: Rule, key: str) -> int:
    name = _counter(rule, key)
    client = _client()
    if client is None:
        with _memory_lock:
            hits, until = _memory.get(name, (0, 0.0))
            return hits if until > time.monotonic() else 0
    try:
        return int(client.get(name) or 0)
    except redis.RedisError as error:
        raise LimitStoreDown from error


# Takes back one hit, never below zero and never on a counter that has expired meanwhile.
_REFUND = """
local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
if hits > 0 then return redis.call('DECR', KEYS[1]) end
return 0
"""


def refund(rule: Rule, key: str) -> None:
    """Take back a hit that turned out not to count (a PIN that was right after all)."""
    name = _counter(rule, key)
    client = _client()
    if client is None:
        with _memory_lock:
            hits, until = _memory.get(name, (0, 0.0))
            if hits > 0:
                _memory[name] = (hits - 1, until)
        return
    try:
        client.eval(_REFUND, 1, name)
    except redis.RedisError as error:
        raise LimitStoreDown from error


def left(checks: Iterable[tuple[Rule, str]]) -> int:
    """Hits left before the first of these counters refuses: 0 when the next hit is refused."""
    return min(rule.allowed - peek(rule, key) for rule, key in checks)


def exceeded(rule: Rule, key: str) -> bool:
    return count(rule, key) > rule.allowed


def refusal(
    request: HttpRequest,
    checks: Iterable[tuple[Rule, str]],
    *,
    template: str = "429.html",
    context: dict[str, object] | None = None,
) -> HttpResponse | None:
    """Count a hit on each rule: 429 with Retry-After past a limit, 503 if the limit store is
    down, None to go on. The pages that limit call it before doing any work. The page says how
    long to wait at the latest (the window may be older): in minutes, in hours from two hours
    on."""
    try:
        for rule, key in checks:
            if exceeded(rule, key):
                wait = _wait(rule.window)
                response = render(request, template, (context or {}) | wait, status=429)
                response["Retry-After"] = str(rule.window)
                return response
    except LimitStoreDown:
        return render(request, "503.html", status=503)
    return None


def _wait(seconds: int) -> dict[str, object]:
    minutes = math.ceil(seconds / 60)
    return {"hours": math.ceil(minutes / 60)} if minutes >= 120 else {"minutes": minutes}


def _count_in_memory(name: str, window: int) -> int:
    with _memory_lock:
        hits, until = _memory.get(name, (0, 0.0))
        now = time.monotonic()
        if until <= now:
            hits, until = 0, now + window
        _memory[name] = (hits + 1, until)
        return hits + 1
