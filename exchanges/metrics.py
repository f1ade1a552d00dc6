"""The release lists' figures on ``/metrics``, counted from the database at each scrape (so they
survive restarts and agree across processes): two GROUP BY queries on indexed columns."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.db import DatabaseError
from django.db.models import Count, QuerySet
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from exchanges.models import Outcome, ReleaseList, ReleaseListRow

logger = logging.getLogger(__name__)


class ReleaseListFigures:
    """``homecoming_release_lists{state}``: lists received, being reconciled, reconciled and
    failed; ``homecoming_release_list_rows{outcome}``: the rows of reconciled lists by the
    engine's outcome (matched, review, unmatched, conflict)."""

    def collect(self) -> Iterator[Metric]:
        try:
            lists = _counts(ReleaseList.objects.all(), "state")
            rows = _counts(
                ReleaseListRow.objects.filter(release_list__state=ReleaseList.State.RECONCILED),
                "outcome",
            )
        except DatabaseError:
            logger.warning("metrics: the database did not answer; no release list figures")
            return
        by_state = GaugeMetricFamily(
            "homecoming_release_lists", "Release lists, by state.", labels=["state"]
        )
        for state in ReleaseList.State:
            by_state.add_metric([state.value], lists.get(state.value, 0))
        by_outcome = GaugeMetricFamily(
            "homecoming_release_list_rows",
            "Rows of reconciled release lists, by the reconciliation's outcome.",
            labels=["outcome"],
        )
        for outcome in Outcome:
            if outcome != Outcome.PENDING:
                by_outcome.add_metric([outcome.value], rows.get(outcome.value, 0))
        yield by_state
        yield by_outcome


def _counts(queryset: QuerySet[Any], field: str) -> dict[str, int]:
    return dict(queryset.order_by().values_list(field).annotate(Count("pk")))
