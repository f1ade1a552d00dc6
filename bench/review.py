"""``python -m bench.review`` (``make bench-review``): a release list reviewed with the keyboard
alone in Chromium, each decision timed from the key to the next row ready.

Steps: make the scratch database in DATABASE_URL anew, migrate it and collect the static files;
seed two lists of 60 rows on two phases with the browser test's helper
(``tests/browser/reviewing.py``), both reconciled before any decision so that they are alike;
start a Redis of its own and gunicorn with the production settings (2 sync workers, as
``bench.load``); sign a reviewer in and hand the session to Chromium; review the first list
with htmx, and the second with the same page without script (``htmx.min.js`` refused: each
decision a form POST, a redirect and the next row's page load, the shape of the old flow), each
key pressed as the Ukrainian layout sends it. Prints p50, p95 and the worst ms per decision,
and requests and page loads per decision, for both. The first decisions of each run warm the
server up and are left out of the times (``--warm-up``).

The registry holds the lists' people only: no step of a decision searches it (the next row's
candidates are read by id, the prefill comes from the name book), so its size does not enter.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.servers import (
    gunicorn,
    production_django,
    recreate_database,
    redis_server,
    scratch_database_url,
)

GOAL_P95_MS = 300
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Run:
    name: str
    decisions: Sequence[Any]  # tests.browser.reviewing.Decision, imported once Django is set up
    warm_up: int


def seed(lines: int) -> tuple[list[Any], str]:
    """Two alike lists and a signed-in reviewer's session cookie ("name=value")."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from accounts.roles import Role
    from tests.browser.reviewing import seed_review_list
    from tests.factories import make_exchange, make_phase, make_user, sign_in

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    exchange = make_exchange(name="bench-review")
    now = timezone.now()
    lists = [seed_review_list(make_phase(exchange, number=n), now=now, lines=lines) for n in (1, 2)]
    client = Client()
    sign_in(client, make_user(Role.REVIEWER, "bench-reviewer"))
    cookie = settings.SESSION_COOKIE_NAME
    return lists, f"{cookie}={client.cookies[cookie].value}"


def review(base: str, cookie: str, release_list: Any, *, htmx: bool) -> list[Any]:
    from playwright.sync_api import sync_playwright

    from exchanges.review import WAITING
    from tests.browser.reviewing import review_by_keyboard

    rows = {row.pk: row for row in release_list.rows.order_by("line_number")}
    first = next(row for row in rows.values() if row.outcome in WAITING)
    name, value = cookie.split("=", 1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": name, "value": value, "url": base}])
        page = context.new_page()
        if not htmx:
            page.route("**/htmx*.js", lambda route: route.abort())
        try:
            return review_by_keyboard(
                page, f"{base}/review/rows/{first.pk}/?list={release_list.pk}", rows, htmx=htmx
            )
        finally:
            browser.close()


def report(runs: list[Run], lines: int) -> None:
    from tests.browser.reviewing import percentile

    load = os.getloadavg()
    print(
        f"keyboard review of {lines}-row lists in Chromium; gunicorn, 2 sync workers, production "
        f"settings; the first {runs[0].warm_up} decisions of each run left out of the times; "
        f"load average before: {load[0]:.2f}"
    )
    print(
        "ms from the key to the next row ready, by the page's clock (and as the driver saw it, "
        "its own round trips included)"
    )
    print(
        f"{'flow':<34}{'decisions':>10}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}"
        f"{'driver p95':>12}{'requests':>10}{'page loads':>12}"
    )
    for run in runs:
        timed = run.decisions[run.warm_up :]
        ms = [d.ms for d in timed]
        count = len(run.decisions)
        requests = sum(len(d.requests) for d in run.decisions) / count
        loads = sum(d.page_loads for d in run.decisions) / count
        print(
            f"{run.name:<34}{count:>10}{percentile(ms, 0.5):>8.0f}{percentile(ms, 0.95):>8.0f}"
            f"{max(ms):>8.0f}{percentile([d.driver_ms for d in timed], 0.95):>12.0f}"
            f"{requests:>10.2f}{loads:>12.2f}"
        )
    by_key: dict[str, list[float]] = {}
    for decision in runs[0].decisions[runs[0].warm_up :]:
        by_key.setdefault(decision.key, []).append(decision.ms)
    print(
        "with htmx, by key (p50/p95 ms): "
        + "; ".join(
            f"{key} {percentile(ms, 0.5):.0f}/{percentile(ms, 0.95):.0f} ({len(ms)})"
            for key, ms in sorted(by_key.items())
        )
    )
    p95 = percentile([d.ms for d in runs[0].decisions[runs[0].warm_up :]], 0.95)
    print(f"goal: p95 <= {GOAL_P95_MS} ms with htmx: {'met' if p95 <= GOAL_P95_MS else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.review")
    parser.add_argument("--lines", type=int, default=60, help="rows per list (at least 50 wait)")
    parser.add_argument("--warm-up", type=int, default=3, help="decisions left out of the times")
    args = parser.parse_args()
    database_url = scratch_database_url()
    recreate_database(database_url)
    with redis_server() as redis_url:
        production_django(
            database_url,
            redis_url,
            bench="review",
            ALLOWED_HOSTS="127.0.0.1",
            LOG_LEVEL="WARNING",
            # Playwright's sync API keeps an event loop in this thread; the ORM calls stay
            # synchronous.
            DJANGO_ALLOW_ASYNC_UNSAFE="true",
        )
        lists, cookie = seed(args.lines)
        from django.db import connections

        connections.close_all()
        with gunicorn(dict(os.environ)) as base:
            with_htmx = review(base, cookie, lists[0], htmx=True)
            without = review(base, cookie, lists[1], htmx=False)
    runs = [
        Run("htmx: one request, no page load", with_htmx, args.warm_up),
        Run("no script: POST, redirect, page", without, args.warm_up),
    ]
    report(runs, args.lines)


if __name__ == "__main__":
    main()
