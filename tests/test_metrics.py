"""``/metrics``: refused unless the deployment says who may scrape; then the request latency by
view, the broker's queues and task outcomes (on the real Redis), and the figures the apps count
from the database."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from bench.servers import ROOT, free_port, wait_until_answers
from config.broker_metrics import OUTCOMES_KEY, queue_names
from config.celery import app as celery_app
from exchanges.models import ReleaseList
from inquiries.models import Inquiry, Notification
from tests.factories import make_captive, make_matched_list, make_phase

pytestmark = pytest.mark.django_db  # a scrape counts the apps' figures in the database

TOKEN = secrets.token_urlsafe(32)
NOW = datetime(2025, 5, 23, 16, 0, tzinfo=UTC)


@celery_app.task(name="tests.metrics.chore", bind=True, max_retries=1)
def chore(task: Any, outcome: str) -> str:
    """A task whose outcome the test chooses."""
    if outcome == "fail":
        raise ValueError("chore failed")
    if outcome == "retry" and task.request.retries == 0:
        raise task.retry(countdown=0)
    return outcome


@pytest.fixture
def scraper(settings: Any) -> Client:
    settings.METRICS_TOKEN = TOKEN
    return Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    """This engineer's Redis database, its queues and counted outcomes emptied around the test."""
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    keys = [OUTCOMES_KEY, "celery", "notifications"]
    client.delete(*keys)
    yield client
    client.delete(*keys)
    client.close()


def figures(client: Client) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def figure(client: Client, name: str, **labels: str) -> float:
    return figures(client).get((name, frozenset(labels.items())), 0.0)


# Access: the allowed and the refused case of each rule share their set-up.


def test_nobody_may_scrape_while_no_token_and_no_address_is_configured(settings: Any) -> None:
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_ADDRESSES = "", []

    assert Client().get("/metrics").status_code == 403
    assert Client(HTTP_AUTHORIZATION="Bearer ").get("/metrics").status_code == 403


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (f"Bearer {TOKEN}", 200),
        (f"bearer {TOKEN}", 200),
        (None, 403),
        (f"Bearer {TOKEN}x", 403),
        (f"Bearer {TOKEN[:-1]}", 403),
        (f"Basic {TOKEN}", 403),
        (TOKEN, 403),
    ],
    # Named, not by the token: it is drawn anew in each process, and pytest-xdist's workers
    # must collect the same test ids (make test-quick refused to start).
    ids=[
        "bearer",
        "lower-case bearer",
        "none",
        "one letter more",
        "one letter less",
        "basic",
        "bare",
    ],
)
def test_the_bearer_token_lets_a_scrape_in(
    settings: Any, authorization: str | None, status: int
) -> None:
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_ADDRESSES = TOKEN, []
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": authorization} if authorization else {}

    response = Client().get("/metrics", **headers)

    assert response.status_code == status
    if status == 403:
        assert response.content == b""
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


@pytest.mark.parametrize(
    ("address", "status"),
    [("10.20.0.7", 200), ("10.20.255.1", 200), ("192.0.2.9", 403), ("fd00::1", 200)],
)
def test_an_allowed_address_or_network_lets_a_scrape_in(
    settings: Any, address: str, status: int
) -> None:
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_ADDRESSES = "", ["10.20.0.0/16", "fd00::1"]

    assert Client(REMOTE_ADDR=address).get("/metrics").status_code == status


def test_through_the_proxy_the_clients_address_counts_not_the_proxys(settings: Any) -> None:
    """The proxy's address is in the allowed network; a client of the internet behind it is not."""
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_ADDRESSES = "", ["10.20.0.0/16"]
    settings.TRUSTED_PROXIES = 1
    proxy = "10.20.0.2"

    through = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    forged = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.20.0.7, 203.0.113.9")
    inside = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.20.0.7")

    assert through.get("/metrics").status_code == 403
    assert forged.get("/metrics").status_code == 403
    assert inside.get("/metrics").status_code == 200


def test_metrics_answer_only_get(scraper: Client) -> None:
    assert scraper.post("/metrics").status_code == 405


# What a scrape shows.


def test_a_request_shows_in_its_views_latency_histogram_under_the_url_name(
    scraper: Client,
) -> None:
    labels = {"view": "inquiries:detail", "method": "GET", "status": "3xx"}
    before = figure(scraper, "homecoming_http_request_duration_seconds_count", **labels)

    Client().get("/inquiries/HC-7Q2X-9K4M/")  # a caseworker's page: a visitor is sent to sign in
    Client().get("/no/such/page/?q=Шевченко")
    Client().generic("BREW", "/healthz")

    text = scraper.get("/metrics").content.decode()
    after = figure(scraper, "homecoming_http_request_duration_seconds_count", **labels)
    assert after == before + 1
    assert (
        figure(
            scraper,
            "homecoming_http_request_duration_seconds_bucket",
            **labels,
            le="+Inf",
        )
        >= 1
    )
    assert 'view="unmatched"' in text
    assert 'method="other",status="4xx",view="healthz"' in text
    for never in ("HC-7Q2X-9K4M", "no/such", "BREW", "Шевченко"):
        assert never not in text


def test_a_queued_message_shows_in_its_queues_length_on_redis(
    scraper: Client, broker: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not through the settings: Celery's router would keep a route set while it is first built.
    monkeypatch.setattr("config.broker_metrics.queue_names", lambda: ["celery", "notifications"])

    celery_app.send_task("tests.metrics.chore", args=["succeed"])
    celery_app.send_task("tests.metrics.chore", args=["succeed"], queue="notifications")
    celery_app.send_task("tests.metrics.chore", args=["succeed"], queue="notifications")

    assert broker.llen("celery") == 1  # the message really is on the broker
    assert figure(scraper, "homecoming_celery_queue_length", queue="celery") == 1
    assert figure(scraper, "homecoming_celery_queue_length", queue="notifications") == 2


def test_queues_are_read_from_the_settings_queue_list_and_routes(settings: Any) -> None:
    """Nothing is sent here: Celery reads the settings when it first routes a task."""
    from kombu import Queue

    assert queue_names() == ["celery", "lists", "notifications", "webhooks"]  # the project's

    settings.CELERY_TASK_QUEUES = [Queue("imports")]
    settings.CELERY_TASK_ROUTES = {
        "webhooks.tasks.*": "hooks",
        "inquiries.tasks.*": {"queue": "messages"},
    }

    assert queue_names() == ["celery", "hooks", "imports", "messages"]


def test_task_outcomes_are_counted_by_task_name(scraper: Client, broker: redis.Redis) -> None:
    chore.apply(args=("succeed",))
    chore.apply(args=("succeed",))
    chore.apply(args=("fail",), throw=False)
    chore.apply(args=("retry",), throw=False)  # retried once, then succeeds

    def outcome(name: str) -> float:
        return figure(
            scraper, "homecoming_celery_tasks_total", task="tests.metrics.chore", outcome=name
        )

    assert (outcome("succeeded"), outcome("failed"), outcome("retried")) == (3, 1, 1)


def test_release_lists_by_state_and_reconciled_rows_by_outcome(scraper: Client) -> None:
    phase = make_phase()
    make_matched_list(phase, [make_captive(), make_captive()])
    ReleaseList.objects.create(
        phase=phase, received_on=phase.date, sha256="e" * 64, state=ReleaseList.State.FAILED
    )

    shown = figures(scraper)

    def lists(state: str) -> float:
        return shown[("homecoming_release_lists", frozenset({("state", state)}))]

    def rows(outcome: str) -> float:
        return shown[("homecoming_release_list_rows", frozenset({("outcome", outcome)}))]

    assert (lists("reconciled"), lists("failed"), lists("received")) == (1, 1, 0)
    assert (rows("matched"), rows("review"), rows("conflict")) == (2, 0, 0)


def test_failed_messages_to_families_are_counted_by_channel(scraper: Client) -> None:
    captive = make_captive()
    inquiry = Inquiry.objects.create(
        reference="HC-0000-0001",
        pin_hash="x",
        relative_name="Марія",
        relationship="mother",
        email="maria@example.org",
        consent_given_at=NOW,
        sought_full_name="Гнатюк Дмитро",
        captive=captive,
    )
    for event, channel, state in [
        (Notification.Event.LISTED, Notification.Channel.EMAIL, Notification.State.FAILED),
        (Notification.Event.RETURNED, Notification.Channel.EMAIL, Notification.State.FAILED),
        (Notification.Event.LISTED, Notification.Channel.SMS, Notification.State.SENT),
    ]:
        Notification.objects.create(
            inquiry=inquiry,
            captive=captive,
            event=event,
            channel=channel,
            state=state,
            recipient="x",
            language="uk",
            subject="s",
            body="b",
            created_at=NOW,
            next_attempt_at=NOW,
        )

    def notifications(state: str, channel: str) -> float:
        return figure(scraper, "homecoming_notifications", state=state, channel=channel)

    assert notifications("failed", "email") == 2
    assert notifications("failed", "sms") == 0
    assert notifications("sent", "sms") == 1


@pytest.mark.slow
def test_under_gunicorn_every_scrape_adds_up_all_workers_and_every_log_line_is_json(
    tmp_path: Path,
) -> None:
    """gunicorn with the production settings file and two workers: each worker keeps its own
    figures (prometheus-client's multiprocess mode, in a directory gunicorn makes), and
    whichever worker answers a scrape reports every worker's requests."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"} | {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_FORMAT": "json",
        "METRICS_TOKEN": TOKEN,
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"),
                "--no-control-socket",  # other engineers' gunicorns share this machine
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_answers(f"{base}/healthz")
            for _ in range(12):
                _get(f"{base}/nowhere/?q=%D0%A8%D0%B5")
            counts = {_unmatched_count(base) for _ in range(8)}
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    assert counts == {12}
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert sum('"GET /nowhere/" 404' in line["message"] for line in access) == 12
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # "Booting worker…"
    assert "q=" not in log.read_text()


def _get(url: str, token: str | None = None) -> bytes:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as error:
        return bytes(error.read())


def _unmatched_count(base: str) -> float:
    text = _get(f"{base}/metrics", TOKEN).decode()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "homecoming_http_request_duration_seconds_count"
        and sample.labels == {"view": "unmatched", "method": "GET", "status": "4xx"}
    )
