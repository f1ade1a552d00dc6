"""The messages to families on ``/metrics``, counted from the database at each scrape."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db import DatabaseError
from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from inquiries.models import Notification

logger = logging.getLogger(__name__)


class NotificationFigures:
    """``homecoming_notifications{state, channel}``: messages to families queued (a first try
    or a retry waiting), being sent, sent, and failed for good (no answer after every attempt,
    refused, or no longer to be told). Reads the index on state."""

    def collect(self) -> Iterator[Metric]:
        try:
            counts = {
                (state, channel): n
                for state, channel, n in Notification.objects.order_by()
                .values_list("state", "channel")
                .annotate(Count("pk"))
            }
        except DatabaseError:
            logger.warning("metrics: the database did not answer; no notification figures")
            return
        family = GaugeMetricFamily(
            "homecoming_notifications",
            "Messages to families, by state and channel.",
            labels=["state", "channel"],
        )
        for state in Notification.State:
            for channel in Notification.Channel:
                family.add_metric([state.value, channel.value], counts.get((state, channel), 0))
        yield family
