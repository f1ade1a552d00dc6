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


async def _run(
    name: str, factory: ClientFactory, clients: int, seconds: float, warmup: float
) -> Result:
    connector = aiohttp.TCPConnector(limit=clients, force_close=True)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        requests = [factory(n) for n in range(clients)]
        if warmup:
            until = time.monotonic() + warmup
            await asyncio.gather(*(_loop(r, session, until, None) for r in requests))
        result = Result(name, clients, seconds)
        started = time.monotonic()
        await asyncio.gather(*(_loop(r, session, started + seconds, result) for r in requests))
        result.seconds = time.monotonic() - started  # the last answers come after the bell
        return result


def measure(
    name: str, factory: ClientFactory, *, clients: int, seconds: float, warmup: float = 2.0
) -> Result:
    """Run ``clients`` clients for ``warmup`` seconds (not counted), then for ``seconds``."""
    return asyncio.run(_run(name, factory, clients, seconds, warmup))
