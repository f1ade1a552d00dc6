from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction

from captives.lifecycle import Status
from captives.matching import reconcile
from captives.models import Captive
from captives.registry import registry_index
from exchanges.jobs import stale_release_lists
from exchanges.models import Outcome, Phase, ReleaseList, ReleaseListRow, Resolution
from exchanges.reconciliation import (
    _store,
    entry_of,
    receive_release_list,
    reconcile_release_list,
    rereconcile_open_rows,
    reviewers_memory,
)
from exchanges.tasks import reconcile_release_list_task
from tests.factories import make_captive, make_phase
from tests.workers import wait_for

NOW = datetime(2025, 5, 22, 9, 0, tzinfo=UTC)
ROWS = [
    ("Гнатюк Дмитрий Юрьевич", date(1998, 12, 3)),  # person below, Russian forms
    ("Hnatiuk Dmytro", date(1998, 12, 3)),  # the same person again, on another line
    ("Вайнштейн Аркадій Левович", date(1970, 1, 1)),  # nobody we hold
    ("Shevchenko Oleksandr Petrovych", date(1990, 3, 14)),
]


def _registry() -> dict[str, Captive]:
    return {
        "gnatyuk": make_captive(
            family_name="Гнатюк",
            given_name="Дмитро",
            patronymic="Юрійович",
            birth_date=date(1998, 12, 3),
        ),
        "shevchenko": make_captive(birth_date=date(1990, 3, 14)),
    }


def _release_list(phase: Phase, rows: Sequence[tuple[str, date | None]] = ROWS) -> ReleaseList:
    release_list = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="f" * 64, rows_total=len(rows)
    )
    ReleaseListRow.objects.bulk_create(
        ReleaseListRow(release_list=release_list, line_number=n, full_name=name, birth_date=born)
        for n, (name, born) in enumerate(rows, start=1)
    )
    return release_list


@pytest.mark.django_db
def test_reconciling_stores_each_rows_decision_and_progress() -> None:
    people = _registry()
    release_list = _release_list(make_phase())

    done = reconcile_release_list(release_list_id=release_list.pk, now=NOW)

    assert done.state == ReleaseList.State.RECONCILED
    assert (done.rows_done, done.rows_total) == (4, 4)
    rows = {r.line_number: r for r in done.rows.all()}
    # One person on two lines: the line with more evidence (the patronymic) keeps the match.
    assert (rows[1].outcome, rows[1].captive) == (Outcome.MATCHED, people["gnatyuk"])
    assert (rows[2].outcome, rows[2].captive) == (Outcome.CONFLICT, None)
    assert rows[2].candidates[0]["captive_id"] == people["gnatyuk"].pk
    assert "line 2 and line(s) 1 of this list claim the same person" in rows[2].explanation
    assert rows[3].outcome == Outcome.UNMATCHED
    assert rows[4].outcome == Outcome.MATCHED
    assert rows[4].captive == people["shevchenko"]
    assert "transliterated" in rows[4].explanation


@pytest.mark.django_db
def test_task_run_twice_has_one_effect() -> None:
    _registry()
    release_list = _release_list(make_phase())

    reconcile_release_list_task.apply(args=(release_list.pk,))
    first = list(release_list.rows.values_list("line_number", "outcome", "captive_id", "score"))
    reconcile_release_list_task.apply(args=(release_list.pk,))

    again = list(release_list.rows.values_list("line_number", "outcome", "captive_id", "score"))
    assert again == first
    assert release_list.rows.count() == 4
    assert ReleaseList.objects.get(pk=release_list.pk).rows_done == 4


@pytest.mark.django_db
def test_a_half_done_list_resumes_without_redoing_decided_rows() -> None:
    _registry()
    release_list = _release_list(make_phase())
    release_list.rows.filter(line_number=3).update(outcome=Outcome.REVIEW, explanation="kept")
    ReleaseList.objects.filter(pk=release_list.pk).update(state=ReleaseList.State.RECONCILING)

    reconcile_release_list(release_list_id=release_list.pk, now=NOW)

    kept = release_list.rows.get(line_number=3)
    assert (kept.outcome, kept.explanation) == (Outcome.REVIEW, "kept")
    assert not release_list.rows.filter(outcome=Outcome.PENDING).exists()


@pytest.mark.django_db
def test_a_row_decided_by_a_reviewer_meanwhile_keeps_the_reviewers_decision() -> None:
    """The job decided the batch before the reviewer acted (a duplicate delivery, or rows shown
    from an earlier batch): the write must not undo the reviewer's decision."""
    people = _registry()
    release_list = _release_list(make_phase())
    rows = list(release_list.rows.order_by("line_number"))
    decisions = reconcile([entry_of(r) for r in rows], registry_index(), reviewers_memory())
    release_list.rows.filter(line_number=1).update(
        outcome=Outcome.REVIEW, resolution=Resolution.NOT_OURS, explanation="reviewer"
    )

    _store(release_list, list(zip(rows, decisions, strict=True)), NOW)

    first = release_list.rows.get(line_number=1)
    assert (first.outcome, first.resolution, first.explanation) == (
        Outcome.REVIEW,
        Resolution.NOT_OURS,
        "reviewer",
    )
    assert release_list.rows.get(line_number=4).captive == people["shevchenko"]


@pytest.mark.django_db
def test_lists_whose_worker_went_silent_are_found_for_requeueing() -> None:
    phase = make_phase()
    silent = _release_list(phase)
    ReleaseList.objects.filter(pk=silent.pk).update(
        state=ReleaseList.State.RECONCILING, heartbeat_at=NOW - timedelta(seconds=45)
    )
    busy = ReleaseList.objects.create(
        phase=phase,
        received_on=date(2025, 5, 21),
        sha256="e" * 64,
        state=ReleaseList.State.RECONCILING,
        heartbeat_at=NOW - timedelta(seconds=10),
    )

    assert stale_release_lists(now=NOW) == [silent.pk]
    assert busy.pk not in stale_release_lists(now=NOW)


@pytest.mark.slow
@pytest.mark.django_db
def test_daily_rereconciliation_turns_a_new_registration_into_a_match_once() -> None:
    _registry()
    phase = make_phase(state=Phase.State.PLANNED)
    release_list = _release_list(phase)
    reconcile_release_list(release_list_id=release_list.pk, now=NOW)
    make_captive(
        family_name="Вайнштейн",
        given_name="Аркадій",
        patronymic="Левович",
        birth_date=date(1970, 1, 1),
        status=Status.CONFIRMED_CAPTIVE,
    )

    [report] = rereconcile_open_rows(day=date(2025, 5, 23))
    again = rereconcile_open_rows(day=date(2025, 5, 23))

    assert release_list.rows.get(line_number=3).outcome == Outcome.MATCHED
    assert report.changes == [
        {"line": 3, "list": release_list.pk, "from": "unmatched", "to": "matched"}
    ]
    assert report.counts["matched"] == 3
    assert again == [report]


@pytest.mark.slow
@pytest.mark.django_db
def test_daily_rereconciliation_writes_only_the_rows_whose_decision_moved() -> None:
    _registry()
    release_list = _release_list(make_phase(state=Phase.State.PLANNED))
    reconcile_release_list(release_list_id=release_list.pk, now=NOW)
    history = ReleaseListRow.history.count()

    rereconcile_open_rows(day=date(2025, 5, 23))  # nothing new in the registry
    quiet = ReleaseListRow.history.count() - history
    make_captive(
        family_name="Вайнштейн",
        given_name="Аркадій",
        patronymic="Левович",
        birth_date=date(1970, 1, 1),
        status=Status.CONFIRMED_CAPTIVE,
    )
    rereconcile_open_rows(day=date(2025, 5, 24))

    written = ReleaseListRow.history.order_by("-history_id")[
        : ReleaseListRow.history.count() - history
    ]
    assert quiet == 0
    # The new person matched line 3; a registry one larger also moves every score a little.
    assert (3, Outcome.MATCHED) in {(h.line_number, h.outcome) for h in written}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_reconciles_a_list_queued_after_commit(celery_worker: object) -> None:
    _registry()
    release_list = _release_list(make_phase())

    with transaction.atomic():
        transaction.on_commit(lambda: reconcile_release_list_task.delay(release_list.pk))

    assert wait_for(
        lambda: ReleaseList.objects.get(pk=release_list.pk).state == ReleaseList.State.RECONCILED
    )
    assert release_list.rows.filter(outcome=Outcome.MATCHED).count() == 2


@pytest.mark.django_db
def test_a_list_the_engine_cannot_finish_is_marked_failed_and_not_queued_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release_list = _release_list(make_phase())

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("Гнатюк Дмитрий: a row the engine chokes on")

    monkeypatch.setattr("exchanges.reconciliation.reconcile", broken)  # an engine fault
    with pytest.raises(ValueError, match="chokes"):
        reconcile_release_list_task.apply(args=(release_list.pk,), throw=True)

    failed = ReleaseList.objects.get(pk=release_list.pk)
    assert (failed.state, failed.error) == (ReleaseList.State.FAILED, "ValueError")
    assert stale_release_lists(now=NOW + timedelta(days=1)) == []


@pytest.mark.django_db
def test_the_same_file_again_gives_a_failed_list_one_more_try(
    django_capture_on_commit_callbacks: Any,
) -> None:
    phase = make_phase()

    def upload() -> tuple[ReleaseList, bool]:
        return receive_release_list(
            phase=phase,
            data="№;ФИО\n1;Гнатюк Дмитрий Юрьевич\n".encode(),
            filename="list.csv",
            received_on=date(2025, 5, 21),
            sent_by=ReleaseList.Sender.OTHER_SIDE,
            by=None,
        )

    with django_capture_on_commit_callbacks():
        release_list, _ = upload()
    ReleaseList.objects.filter(pk=release_list.pk).update(
        state=ReleaseList.State.FAILED, error="ValueError"
    )

    with django_capture_on_commit_callbacks() as queued:
        again, created = upload()

    assert (again.pk, created) == (release_list.pk, False)
    assert (again.state, again.error) == (ReleaseList.State.RECEIVED, "")
    assert len(queued) == 1
