"""Release-list rows are written in bulk, and every write leaves its history row all the same:
who (or that the engine did it) and why."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from exchanges import reconciliation
from exchanges.models import Outcome, ReleaseList, ReleaseListRow
from exchanges.reconciliation import (
    receive_release_list,
    reconcile_release_list,
    rereconcile_open_rows,
)
from tests.factories import make_captive, make_phase, make_user

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 22, 9, 0, tzinfo=UTC)
HistoricalRow = ReleaseListRow.history.model


def _upload(lines: int, django_capture_on_commit_callbacks: Any) -> ReleaseList:
    names = [f"{n};Коваленко{n} Петро Іванович;01.02.19{50 + n % 40}" for n in range(1, lines + 1)]
    with django_capture_on_commit_callbacks():  # reconciled below, by hand
        release_list, _ = receive_release_list(
            phase=make_phase(),
            data=("№;ПІБ;Дата народження\n" + "\n".join(names) + "\n").encode(),
            filename="list.csv",
            received_on=date(2025, 5, 21),
            sent_by=ReleaseList.Sender.OTHER_SIDE,
            by=make_user(Role.OFFICIAL),
        )
    return release_list


def test_each_row_of_an_uploaded_list_has_a_history_row_naming_the_uploader(
    django_capture_on_commit_callbacks: Any,
) -> None:
    release_list = _upload(3, django_capture_on_commit_callbacks)

    history = HistoricalRow.objects.filter(release_list=release_list)
    assert sorted(
        (h.line_number, h.history_type, h.history_user, h.history_change_reason) for h in history
    ) == [
        (n, "+", release_list.uploaded_by, f"Read from list {release_list.pk}") for n in (1, 2, 3)
    ]


def test_each_decision_of_the_engine_has_a_history_row_saying_so(
    django_capture_on_commit_callbacks: Any,
) -> None:
    release_list = _upload(3, django_capture_on_commit_callbacks)

    reconcile_release_list(release_list_id=release_list.pk, now=NOW)

    decided = HistoricalRow.objects.filter(release_list=release_list, history_type="~")
    assert sorted(
        (h.line_number, h.outcome, h.history_user, h.history_change_reason) for h in decided
    ) == [(n, Outcome.UNMATCHED, None, "Reconciled against the registry") for n in (1, 2, 3)]


def test_reconciling_takes_the_same_queries_per_batch_however_many_rows_it_holds(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """History rows are written a batch at a time, not one row at a time."""
    monkeypatch.setattr(reconciliation, "BATCH", 5)
    small = _upload(5, django_capture_on_commit_callbacks)
    large = _upload(10, django_capture_on_commit_callbacks)

    with CaptureQueriesContext(connection) as one_batch:
        reconcile_release_list(release_list_id=small.pk, now=NOW)
    with CaptureQueriesContext(connection) as two_batches:
        reconcile_release_list(release_list_id=large.pk, now=NOW)

    per_batch = len(two_batches) - len(one_batch)
    # A savepoint, the lock, the rows, their history rows, the progress, its count, release.
    assert per_batch == 7
    assert HistoricalRow.objects.filter(release_list=large, history_type="~").count() == 10


def test_deciding_a_row_again_the_next_day_says_so_in_its_history(
    django_capture_on_commit_callbacks: Any,
) -> None:
    release_list = _upload(1, django_capture_on_commit_callbacks)
    release_list.phase.state = release_list.phase.State.UNDER_WAY
    release_list.phase.save(update_fields=["state"])
    reconcile_release_list(release_list_id=release_list.pk, now=NOW)
    make_captive(
        family_name="Коваленко1",
        given_name="Петро",
        patronymic="Іванович",
        birth_date=date(1951, 2, 1),
    )

    rereconcile_open_rows(day=date(2025, 5, 23))

    latest = HistoricalRow.objects.filter(release_list=release_list).latest("history_id")
    assert (latest.outcome, latest.history_change_reason) == (
        Outcome.MATCHED,
        "Decided again on 23.05.2025",
    )
