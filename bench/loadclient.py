"""A closed-loop HTTP load client on asyncio and aiohttp: N clients, each sending its next
request when the last one is answered, for a fixed time; latencies and errors recorded.

aiohttp rather than locust: one process with a C HTTP parser costs the 2-core machine less CPU
per request than locust's gevent workers, and the benchmark needs nothing of locust's web UI.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp

# One client's next request: returns None when the answer is right, or what was wrong.
Request = Callable[[aiohttp.ClientSession], Awaitable[str | None]]
ClientFactory = Callable[[int], Request]


@dataclass
class Result:
    name: str
    clients: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    @classmethod
    def merged(cls, results: list[Result]) -> Result:
        """Several runs of one scenario as one: their answers together, their times added."""
        first = results[0]
        whole = cls(first.name, first.clients, sum(r.seconds for r in results))
        for result in results:
            whole.latencies_ms += result.latencies_ms
            whole.errors += result.errors
        return whole

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + sum(self.errors.values())

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


async def _loop(
    request: Request, session: aiohttp.ClientSession, until: float, result: Result | None
) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            wrong = await request(session)
        except (aiohttp.ClientError, TimeoutError) as error:
            wrong = type(error).__name__
        if result is None:
            continue
        if wrong is None:
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
        else:
            result.errors[wrong] += 1


@dataclass(frozen=True)
class Group:
    """``clients`` closed-loop clients of one kind, their results recorded under ``name``."""

    name: str
    factory: ClientFactory
    clients: int


async def _run(groups: list[Group], seconds: float, warmup: float) -> list[Result]:
    """Every group's clients at once, on one connection pool: each group's results apart."""
    total = sum(group.clients for group in groups)
    connector = aiohttp.TCPConnector(limit=total, force_close=True)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        requests = [[group.factory(n) for n in range(group.clients)] for group in groups]
        if warmup:
            until = time.monotonic() + warmup
            await asyncio.gather(
                *(_loop(r, session, until, None) for kind in requests for r in kind)
            )
        results = [Result(group.name, group.clients, seconds) for group in groups]
        started = time.monotonic()
        await asyncio.gather(
            *(
                _loop(r, session, started + seconds, result)
                for kind, result in zip(requests, results, strict=True)
                for r in kind
            )
        )
        for result in results:
            result.seconds = time.monotonic() - started  # the last answers come after the bell
        return results


def measure(
    name: str, factory: ClientFactory, *, clients: int, seconds: float, warmup: float = 2.0
) -> Result:
    """Run ``clients`` clients for ``warmup`` seconds (not counted), then for ``seconds``."""
    return asyncio.run(_run([Group(name, factory, clients)], seconds, warmup))[0]


def measure_together(groups: list[Group], *, seconds: float, warmup: float = 2.0) -> list[Result]:
    """Several kinds of clients at once (officials while others hammer a public page)."""
    return asyncio.run(_run(groups, seconds, warmup))
