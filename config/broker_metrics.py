"""The Celery figures of ``/metrics``, kept in and read from the broker's Redis.

Task outcomes happen in the workers, in other processes (in Docker, other containers) than the
web app that is scraped: each worker adds them to one Redis hash as they happen, and a scrape
reads it. A queue's length is its list's length in Redis at the moment of the scrape. With no
``REDIS_URL`` (the demo: tasks run inside the request) neither figure is given.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from typing import Any

import redis
from celery import signals
from django.conf import settings
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric

logger = logging.getLogger(__name__)

OUTCOMES_KEY = "homecoming:metrics:task-outcomes"
# kombu's Redis transport keeps a queue's messages of priority 3, 6 and 9 in lists of their
# own, named after the queue and these separators (kombu.transport.redis.Channel.sep).
_PRIORITY_LISTS = ("", "\x06\x163", "\x06\x166", "\x06\x169")


@functools.cache
def _redis(url: str) -> redis.Redis:
    # One pool per process; redis-py makes a new one in a forked child by itself.
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def queue_names() -> list[str]:
    """The queues the settings name: the default one, those of ``CELERY_TASK_QUEUES`` and those
    ``CELERY_TASK_ROUTES`` sends tasks to."""
    names = {getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")}
    for queue in getattr(settings, "CELERY_TASK_QUEUES", None) or ():
        names.add(queue if isinstance(queue, str) else queue.name)
    routes = getattr(settings, "CELERY_TASK_ROUTES", None) or {}
    for route in routes.values() if isinstance(routes, dict) else ():
        if isinstance(route, str):
            names.add(route)
        elif isinstance(route, dict) and route.get("queue"):
            names.add(str(route["queue"]))
    return sorted(names)


class QueueLengths:
    """``homecoming_celery_queue_length``: messages waiting in each queue, none of them taken."""

    def collect(self) -> Iterator[Metric]:
        if not settings.REDIS_URL:
            return
        names = queue_names()
        pipeline = _redis(settings.CELERY_BROKER_URL).pipeline(transaction=False)
        for name in names:
            for suffix in _PRIORITY_LISTS:
                pipeline.llen(name + suffix)
        try:
            lengths: list[int] = pipeline.execute()
        except redis.RedisError:
            logger.warning("metrics: the broker did not answer; no queue lengths")
            return
        family = GaugeMetricFamily(
            "homecoming_celery_queue_length",
            "Task messages waiting in a Celery queue, at the moment of the scrape.",
            labels=["queue"],
        )
        step = len(_PRIORITY_LISTS)
        for index, name in enumerate(names):
            family.add_metric([name], sum(lengths[index * step : (index + 1) * step]))
        yield family


class TaskOutcomes:
    """``homecoming_celery_tasks_total``: tasks that succeeded, failed or were retried, by name,
    since Redis last lost its data."""

    def collect(self) -> Iterator[Metric]:
        if not settings.REDIS_URL:
            return
        try:
            counts = _redis(settings.REDIS_URL).hgetall(OUTCOMES_KEY)
        except redis.RedisError:
            logger.warning("metrics: Redis did not answer; no task outcomes")
            return
        family = CounterMetricFamily(
            "homecoming_celery_tasks",
            "Celery tasks finished, by task name and outcome (succeeded, failed, retried).",
            labels=["task", "outcome"],
        )
        for field, count in sorted(counts.items()):
            text = field.decode() if isinstance(field, bytes) else field
            outcome, _, task = text.partition(" ")
            family.add_metric([task, outcome], int(count))
        yield family


def _count(task: Any, outcome: str) -> None:
    if not settings.REDIS_URL:
        return
    name = getattr(task, "name", None) or "unknown"
    try:
        _redis(settings.REDIS_URL).hincrby(OUTCOMES_KEY, f"{outcome} {name}", 1)
    except redis.RedisError:
        # A figure lost, not a task: the task's own work is done (or failed) already.
        logger.warning("metrics: Redis did not answer; task outcome not counted")


def _succeeded(sender: Any = None, **_: Any) -> None:
    _count(sender, "succeeded")


def _failed(sender: Any = None, **_: Any) -> None:
    _count(sender, "failed")


def _retried(sender: Any = None, **_: Any) -> None:
    _count(sender, "retried")


def count_task_outcomes() -> None:
    """Connect the counters to Celery's signals (``config/celery.py``, in every process)."""
    signals.task_success.connect(_succeeded, weak=False, dispatch_uid="metrics-succeeded")
    signals.task_failure.connect(_failed, weak=False, dispatch_uid="metrics-failed")
    signals.task_retry.connect(_retried, weak=False, dispatch_uid="metrics-retried")
