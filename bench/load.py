"""``python -m bench.load`` (``make bench-load``): the web app under load, on loopback.

Steps: fill the scratch database in DATABASE_URL with a generated registry (100,000 people by
default, through ``import_registry``; kept for the next run if it is already there), a partner
token, an official's session and one inquiry; start a Redis of its own and two gunicorns as
production runs them (``config/gunicorn.py``, 2 sync workers each; ``docker-compose.yml``): the
officials' and partners' pool, and the public pages' pool with a small CPU weight (the proxy's
routing is the clients': each calls the pool its page is routed to), both with the production
settings plus two bare endpoints (``bench.settings``, ``bench/urls.py``). Then, for 20 and 100
concurrent clients, run each scenario for a fixed time after a warm-up and print requests/s,
p50/p95/p99 and errors; the captives list's throughput against the bare endpoints'; the
search page with nothing searched (the floor every signed-in page pays); the officials' search
alone and while 20 more clients hammer the status lookup, on the public pool
and on the officials' own (the naive baseline: one pool for every page); the list without its
index (the naive baseline).
``--only`` runs some of it (``--only list,bare,naked``).

The public pages' rate limits stay on and are counted in Redis as in production, but the limits
are raised (``RATE_LIMIT_FACTOR``) so that the figures are the app's, not the limiter's 429s.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from bench.loadclient import ClientFactory, Group, Request, Result, measure, measure_together
from bench.servers import (
    gunicorn,
    production_django,
    recreate_database,
    redis_server,
    scratch_database_url,
)

RATE_LIMIT_FACTOR = 1_000_000
API_RATE = "1000000/min"  # the per-token throttle, likewise raised: one token makes every call
# The bare endpoints the captives list is measured against (bench/urls.py routes them, for this
# benchmark's gunicorn only): with the API's token, throttle and audit, and with nothing.
BARE_PATH = "api/v1/bench/captives/"
NAKED_PATH = "bench/captives/"
BARE_PAGE = 100
API_PAGES_PER_WALK = 20  # a partner's sync walks this many pages, then starts again
TARGETS = (
    "zero errors; captives list >= 0.8x the bare endpoint's req/s (and >= 300 req/s); "
    "at 20 clients: name search p95 < 150 ms, status lookup >= 200 req/s with p95 < 150 ms; "
    "officials' search keeps >= 0.8x its req/s while 20 clients hammer the status lookup"
)


def seed(registry_size: int, database_url: str) -> None:
    """The registry (imported only if the database does not hold it yet) and migrations."""
    from django.core.management import call_command

    from bench.database import write_registry
    from bench.population import registry
    from captives.models import Captive

    recreate_database(database_url, keep=True)
    call_command("migrate", verbosity=0)
    if Captive.objects.filter(source="bench-load").count() == registry_size:
        _analyze()
        return
    from django.db import connections

    connections.close_all()
    recreate_database(database_url)
    call_command("migrate", verbosity=0)
    with TemporaryDirectory() as folder:
        path = Path(folder) / "registry.csv"
        write_registry(registry(registry_size, 1), path)
        started = time.perf_counter()
        call_command("import_registry", str(path), "--source", "bench-load")
        print(f"registry imported in {time.perf_counter() - started:.1f} s")
    _analyze()


def _analyze() -> None:
    """Statistics and visibility map, as autovacuum leaves them in production after an import."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def credentials() -> dict[str, Any]:
    """A partner token, an official's session cookie, an inquiry's reference and PIN."""
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from accounts.tokens import issue_token
    from inquiries.forms import InquiryForm
    from inquiries.services import file_inquiry
    from tests.factories import sign_in  # where staff sign-in (and its second factor) lives

    _, token = issue_token(
        partner_name="bench-partner", scopes=["registry:read"], now=timezone.now()
    )
    official, _ = User.objects.get_or_create(username="bench-official")
    official.groups.add(Group.objects.get(name=Role.OFFICIAL.value))
    client, cookie = Client(), settings.SESSION_COOKIE_NAME
    sign_in(client, official)
    form = InquiryForm(
        {
            "relative_name": "Марія Шевченко",
            "relationship": "mother",
            "email": "maria@example.org",
            "sought_full_name": "Шевченко Андрій Петрович",
            "sought_birth_date": "1998-02-11",
            "consent": "on",
        },
        today=timezone.localdate(),
    )
    if not form.is_valid():
        raise RuntimeError(f"the benchmark's inquiry is refused: {form.errors}")
    receipt = file_inquiry(inquiry=form.instance, at=timezone.now())
    return {
        "token": token,
        "session": f"{cookie}={client.cookies[cookie].value}",
        "reference": receipt.inquiry.reference,
        "pin": receipt.pin,
    }


def search_queries(count: int) -> list[str]:
    """What officials type: names from a generated list in any script, some with a date."""
    from bench.lists import release_list
    from bench.population import registry

    rows = release_list(registry(5_000, 1), count, 77)
    return [
        r.entry.full_name.split()[0]
        if n % 5 == 0
        else f"{r.entry.full_name} {r.entry.birth_date_text}".strip()
        if n % 3 == 0
        else r.entry.full_name
        for n, r in enumerate(rows)
    ]


def _get(url: str, headers: dict[str, str] | None = None) -> ClientFactory:
    def factory(_: int) -> Request:
        async def request(session: Any) -> str | None:
            async with session.get(url, headers=headers, allow_redirects=False) as response:
                await response.read()
                return None if response.status == 200 else f"HTTP {response.status}"

        return request

    return factory


def rows(url: str, headers: dict[str, str] | None = None) -> ClientFactory:
    """A bare endpoint's page, read as a partner reads the list's: parsed, and counted."""

    def factory(_: int) -> Request:
        async def request(session: Any) -> str | None:
            async with session.get(url, headers=headers) as response:
                if response.status != 200:
                    await response.read()
                    return f"HTTP {response.status}"
                body = await response.json()
            return None if len(body) == BARE_PAGE else f"{len(body)} rows"

        return request

    return factory


@dataclass
class Walk:
    url: str
    pages: int = 0


def api_walk(base: str, token: str) -> ClientFactory:
    """Each client walks the captives list by its cursor ``next`` links, 100 people a page."""

    first = f"{base}/api/v1/captives/"
    headers = {"Authorization": f"Bearer {token}"}

    def factory(_: int) -> Request:
        walk = Walk(first)

        async def request(session: Any) -> str | None:
            async with session.get(walk.url, headers=headers) as response:
                if response.status != 200:
                    await response.read()
                    return f"HTTP {response.status}"
                body = await response.json()
            walk.pages += 1
            if body.get("next") and walk.pages < API_PAGES_PER_WALK:
                walk.url = body["next"]
            else:
                walk.url, walk.pages = first, 0
            return None

        return request

    return factory


def search(
    base: str, session_cookie: str, queries: list[str], *, from_the_form: bool = True
) -> ClientFactory:
    """Officials' searches: from the page's form, as a browser sends each one after the page
    has loaded (htmx asks for the results alone), or as whole pages, as a reload does."""
    headers = {"Cookie": session_cookie}
    if from_the_form:
        headers["HX-Request"] = "true"

    def factory(n: int) -> Request:
        position = {"next": n * 37}

        async def request(session: Any) -> str | None:
            query = queries[position["next"] % len(queries)]
            position["next"] += 1
            async with session.get(
                f"{base}/registry/",
                params={"q": query},
                headers=headers,
                allow_redirects=False,
            ) as response:
                await response.read()
                return None if response.status == 200 else f"HTTP {response.status}"

        return request

    return factory


def status_lookup(base: str, reference: str, pin: str) -> ClientFactory:
    """The relatives' status page, posted with a reference and its PIN (CSRF token and all)."""
    import urllib.request

    with urllib.request.urlopen(f"{base}/inquiries/status/") as page:  # noqa: S310 - loopback
        html = page.read().decode()
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token on the status page")
    form = {"csrfmiddlewaretoken": match.group(1), "reference": reference, "pin": pin}

    def factory(_: int) -> Request:
        async def request(session: Any) -> str | None:
            async with session.post(
                f"{base}/inquiries/status/", data=form, headers={"Cookie": cookie}
            ) as response:
                text = await response.text()
                if response.status != 200:
                    return f"HTTP {response.status}"
                return None if 'role="status"' in text else "not found"

        return request

    return factory


LIST = "API captives list (cursor, 100/page)"
BARE = "bare DRF view, same 100 rows"
NAKED = "  the same, no token/throttle/audit"
SEARCH = "officials' name search"
# The same searches as whole pages (a reload, an address typed or shared).
SEARCH_PAGE = "  the same, whole pages"
# The same page signed in with nothing searched: what every official's page pays (session, user,
# second factor, roles, middleware, the base template) before the search does anything.
FLOOR = "  the same page, nothing searched"
LOOKUP = "relatives' status lookup (POST, PIN)"
HAMMER_CLIENTS = 20  # the clients hammering the status lookup while officials search
# The public pool's scheduling group runs at this nice: a weight of 15 against 1024, as
# docker-compose.yml's cpu_shares of 16 against the default 1024.
PUBLIC_NICENESS = 19


def scenarios(
    base: str, public: str, found: dict[str, Any], queries: list[str]
) -> dict[str, ClientFactory]:
    """Each page on the pool the proxy routes it to: the relatives' pages on ``public``."""
    return {
        LIST: api_walk(base, found["token"]),
        BARE: rows(f"{base}/{BARE_PATH}", {"Authorization": f"Bearer {found['token']}"}),
        NAKED: rows(f"{base}/{NAKED_PATH}"),
        SEARCH: search(base, found["session"], queries),
        SEARCH_PAGE: search(base, found["session"], queries, from_the_form=False),
        FLOOR: search(base, found["session"], [""], from_the_form=False),
        "relatives' status page (form)": _get(f"{public}/inquiries/status/"),
        LOOKUP: status_lookup(public, found["reference"], found["pin"]),
        "inquiry form": _get(f"{public}/inquiries/new/"),
    }


# What ``--only`` names: a word for each scenario, and the runs that are not one.
KEYS = {
    "list": LIST,
    "bare": BARE,
    "naked": NAKED,
    "search": SEARCH,
    "page": SEARCH_PAGE,
    "floor": FLOOR,
    "form": "relatives' status page (form)",
    "lookup": LOOKUP,
    "inquiry": "inquiry form",
    "shared": "officials' search while the lookup is hammered",
    "baseline": "baseline",
}


def without_index(run: Any) -> Result:
    """The naive baseline: the same list without the ``updated_at`` index its cursor walks
    (each page then sorts every current captive), dropped for the run and made again after."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'captives_captive' "
            "AND indexdef LIKE '%%(updated_at)'"
        )
        row = cursor.fetchone()
        if row is None:
            raise RuntimeError("no index on captives_captive (updated_at)")
        cursor.execute(f'DROP INDEX "{row[0]}"')
    try:
        result: Result = run()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(row[1])
    return result


def line(result: Result) -> str:
    errors = sum(result.errors.values())
    kinds = f" ({dict(result.errors)})" if errors else ""
    return (
        f"{result.name:<42} {result.clients:>4} {result.requests:>7} {result.per_second:>8.1f} "
        f"{result.median:>7.1f} {result.percentile(95):>7.1f} {result.percentile(99):>7.1f} "
        f"{errors:>6}{kinds}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--registry", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per run")
    parser.add_argument("--clients", default="20,100")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers in each pool (WEB_CONCURRENCY)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns the list and the bare endpoints take"
    )
    parser.add_argument(
        "--only",
        default=",".join(KEYS),
        help=f"comma-separated, of: {', '.join(KEYS)} (default: all)",
    )
    args = parser.parse_args()
    unknown = set(args.only.split(",")) - set(KEYS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    database_url = scratch_database_url()
    levels = [int(c) for c in args.clients.split(",")]
    with redis_server() as redis_url:
        production_django(database_url, redis_url, bench="load")
        seed(args.registry, database_url)
        found = credentials()
        queries = search_queries(500)
        from django.db import connections

        connections.close_all()
        env = os.environ | {
            "ALLOWED_HOSTS": "127.0.0.1",
            "RATE_LIMIT_FACTOR": str(RATE_LIMIT_FACTOR),
            "API_RATE": API_RATE,
            "LOG_LEVEL": "WARNING",
            # The production settings with the bare endpoint routed (bench/urls.py).
            "DJANGO_SETTINGS_MODULE": "bench.settings",
        }
        with (
            gunicorn(env, workers=args.workers) as base,
            gunicorn(env, workers=args.workers, niceness=PUBLIC_NICENESS) as public,
        ):
            report(base, public, found, queries, levels, args)


def report(
    base: str,
    public: str,
    found: dict[str, Any],
    queries: list[str],
    levels: list[int],
    args: Any,
) -> None:
    load = os.getloadavg()
    chosen = [KEYS[key] for key in args.only.split(",")]
    print(
        f"registry {args.registry:,}; gunicorn {args.workers} sync workers for officials and "
        f"partners, {args.workers} "
        f"in a scheduling group at nice {PUBLIC_NICENESS} for the public pages; "
        f"{args.seconds:.0f} s per run "
        f"after a 2 s warm-up; load average before: {load[0]:.2f}"
    )
    print(
        f"rate limits: on, counted in Redis, raised x{RATE_LIMIT_FACTOR:,} "
        f"(RATE_LIMIT_FACTOR), the partner token's throttle at {API_RATE} (API_RATE): "
        "the app is measured, not the limiters"
    )
    print(f"targets: {TARGETS}")
    print(
        f"{'scenario':<42} {'clients':>4} {'requests':>7} {'req/s':>8} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
    )
    if {SEARCH, KEYS["shared"]} & set(chosen):
        warm = measure(
            "warm-up", search(base, found["session"], queries), clients=4, seconds=15, warmup=0
        )
        print(
            f"warm-up: each worker loads the registry and builds its index on its first search "
            f"(slowest warm-up request {max(warm.latencies_ms, default=0) / 1000:.1f} s)"
        )
    pages = scenarios(base, public, found, queries)
    ran: dict[tuple[str, int], Result] = {}
    for clients in levels:
        ran |= compared(
            pages, [name for name in (LIST, BARE, NAKED) if name in chosen], clients, args
        )
        for bare, label in ((BARE, "bare DRF view"), (NAKED, "bare view, nothing of ours")):
            if (LIST, clients) in ran and (bare, clients) in ran:
                ratio = ran[LIST, clients].per_second / ran[bare, clients].per_second
                print(f"captives list / {label}, {clients} clients: {ratio:.2f}x req/s")
    for name, factory in pages.items():
        if name not in chosen or name in (LIST, BARE, NAKED):
            continue
        for clients in levels:
            print(line(measure(name, factory, clients=clients, seconds=args.seconds)), flush=True)
    if KEYS["shared"] in chosen:
        shared(base, public, found, queries, levels[0], args)
    if KEYS["baseline"] in chosen:
        api = pages[LIST]
        baseline = without_index(
            lambda: measure(
                "baseline: the same list, index dropped",
                api,
                clients=levels[0],
                seconds=args.seconds,
            )
        )
        print(line(baseline))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def compared(
    pages: dict[str, ClientFactory], names: list[str], clients: int, args: Any
) -> dict[tuple[str, int], Result]:
    """The list and the bare endpoints in turn, ``--rounds`` times, each round a share of
    ``--seconds``: on a shared machine the load of the neighbours moves within a minute, and
    taking turns spreads it over all three."""
    rounds: dict[str, list[Result]] = {name: [] for name in names}
    for _ in range(args.rounds):
        for name in names:
            rounds[name].append(
                measure(name, pages[name], clients=clients, seconds=args.seconds / args.rounds)
            )
    merged = {(name, clients): Result.merged(results) for name, results in rounds.items()}
    for result in merged.values():
        print(line(result), flush=True)
    return merged


def shared(
    base: str, public: str, found: dict[str, Any], queries: list[str], clients: int, args: Any
) -> None:
    """The officials' search alone, then with ``HAMMER_CLIENTS`` more clients hammering the
    status lookup on the public pool (as production routes it), then on the officials' own pool
    (one pool for every page: the naive baseline), in turns (``--rounds``); the ratios of the
    officials' req/s."""
    pages = scenarios(base, public, found, queries)
    one_pool = scenarios(base, base, found, queries)[LOOKUP]
    seconds = args.seconds / args.rounds
    runs: dict[str, list[Result]] = {}

    def hammered(label: str, lookup: ClientFactory) -> None:
        together = measure_together(
            [
                Group(f"{SEARCH}, {label}", pages[SEARCH], clients),
                Group("  meanwhile, the status lookup", lookup, HAMMER_CLIENTS),
            ],
            seconds=seconds,
        )
        runs.setdefault(together[0].name, []).append(together[0])
        runs.setdefault(f"{together[1].name}, {label}", []).append(together[1])

    for _ in range(args.rounds):
        alone = measure(f"{SEARCH}, alone", pages[SEARCH], clients=clients, seconds=seconds)
        runs.setdefault(alone.name, []).append(alone)
        hammered("lookup hammered on the public pool", pages[LOOKUP])
        hammered("baseline: on one pool", one_pool)
    merged = {name: Result.merged(results) for name, results in runs.items()}
    for result in merged.values():
        print(line(result), flush=True)
    by_itself = merged[f"{SEARCH}, alone"].per_second
    for label in ("lookup hammered on the public pool", "baseline: on one pool"):
        print(
            f"officials' search with {HAMMER_CLIENTS} clients hammering the lookup "
            f"({label.removeprefix('lookup hammered ')}) / alone: "
            f"{merged[f'{SEARCH}, {label}'].per_second / by_itself:.2f}x req/s"
        )


if __name__ == "__main__":
    main()
