"""Release lists: receiving the file, reconciling its rows, re-reconciling what is still open.

The job's state lives in PostgreSQL (``ReleaseList.state``); Celery only carries the list's id.
A task that is delivered twice, or a worker that dies half way, therefore finds the state in the
database and carries on from it: decisions are deterministic, rows are written in batches, and
rows already decided are left as they are.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from captives.matching import Decision, Entry, Memory, RegistryIndex, reconcile
from captives.registry import registry_index
from exchanges.confirmation import lock_open_phase, refuse_completed, withdraw_proposal
from exchanges.jobs import (
    ClaimLostError,
    Heartbeat,
    advancing_clock,
    beat,
    claim_release_list,
    put_back,
    record_progress,
    run_token,
)
from exchanges.list_places import record_list_places
from exchanges.listfile import ListEntry, ReleaseListFile, read_release_list
from exchanges.models import (
    Outcome,
    Phase,
    ReconciliationReport,
    RejectedCandidate,
    ReleaseList,
    ReleaseListRow,
)
from webhooks.models import EventType
from webhooks.services import record_event

BATCH = 250
OPEN_OUTCOMES = (Outcome.REVIEW, Outcome.UNMATCHED, Outcome.CONFLICT)
DECISION_FIELDS = ["outcome", "captive", "score", "candidates", "explanation", "reason"]
RECONCILED = "Reconciled against the registry"


def receive_release_list(
    *,
    phase: Phase,
    data: bytes,
    filename: str,
    received_on: date,
    sent_by: ReleaseList.Sender,
    by: User | None,
    partner: User | None = None,
) -> tuple[ReleaseList, bool]:
    """Store an uploaded list and its rows, and queue its reconciliation after commit.

    Returns the list and whether it is new: the same file for the same phase from the same
    submitter is one list. The submitter is the ``partner`` system that sent it, or, without
    one, the officials as one: another submitter's list is neither returned nor mentioned, and
    the same file from it is a list of its own. Raises ``SheetError`` (naming the line or column,
    or the row limit) for a file that cannot be read; nothing of such a file is saved. A
    completed phase takes no list (PhaseCompletedError); a new list withdraws a pending proposal
    to confirm the phase, which did not cover it.
    """
    digest = hashlib.sha256(data).hexdigest()
    existing = ReleaseList.objects.filter(phase=phase, sha256=digest, partner=partner).first()
    if existing is not None:
        if existing.state == ReleaseList.State.FAILED:
            _try_again(existing)
            existing.refresh_from_db()
        return existing, False
    refuse_completed(phase)  # before reading the file; again below, under the phase's lock
    parsed = read_release_list(data, filename)
    # Only the extension of the sender's name: the storage picks a random name.
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()[:8]
    stored: list[str] = []
    try:
        return _store_release_list(
            ReleaseList(
                phase=phase,
                sha256=digest,
                partner=partner,
                original_name=filename[:255],
                received_on=received_on,
                sent_by=sent_by,
                uploaded_by=by,
            ),
            parsed=parsed,
            content=ContentFile(data, name=f"list{suffix}"),
            stored=stored,
        )
    except BaseException:
        # The transaction rolled back: no list points to the file any more. (A process killed
        # before this line leaves it to the sweep, exchanges.orphans.)
        for name in stored:
            default_storage.delete(name)
        raise


def _store_release_list(
    release_list: ReleaseList,
    *,
    parsed: ReleaseListFile,
    content: ContentFile[bytes],
    stored: list[str],
) -> tuple[ReleaseList, bool]:
    """The list and its rows in one transaction, the file saved last (its name put in
    ``stored``, for the caller to delete should the transaction not commit). Another request
    that stored the same list meanwhile wins: its list is returned, not new."""
    from exchanges.tasks import reconcile_release_list_task

    by = release_list.uploaded_by
    with transaction.atomic():
        locked = lock_open_phase(release_list.phase_id)
        known = ReleaseList.objects.filter(
            phase=locked, sha256=release_list.sha256, partner=release_list.partner
        ).first()
        if known is not None:
            return known, False
        release_list.rows_total = len(parsed.entries)
        release_list.unreadable = [
            {"line": p.listed, "code": p.code, "value": p.value} for p in parsed.problems
        ]
        release_list.save()
        bulk_create_with_history(
            [_row(release_list, e) for e in parsed.entries],
            ReleaseListRow,
            batch_size=BATCH,
            default_user=by,
            default_change_reason=f"Read from list {release_list.pk}",
        )
        withdraw_proposal(phase=locked, by=by, reason=f"list {release_list.pk} received")
        release_list.file.save(str(content.name), content, save=False)
        stored.append(release_list.file.name)
        release_list.save(update_fields=["file"])
        # robust: with the broker down the list is still stored, and the stale-job task
        # queues it again once Redis is back; the official is not shown an error page.
        transaction.on_commit(
            lambda: reconcile_release_list_task.delay(release_list.pk), robust=True
        )
    return release_list, True


def _try_again(release_list: ReleaseList) -> None:
    """The same file again, for a list whose reconciliation failed: one more try (the rows
    decided before the failure stay as they are)."""
    from exchanges.tasks import reconcile_release_list_task

    with transaction.atomic():
        again = ReleaseList.objects.filter(
            pk=release_list.pk, state=ReleaseList.State.FAILED
        ).update(state=ReleaseList.State.RECEIVED, error="", claimed_by="", heartbeat_at=None)
        if again:
            transaction.on_commit(
                lambda: reconcile_release_list_task.delay(release_list.pk), robust=True
            )


def _row(release_list: ReleaseList, entry: ListEntry) -> ReleaseListRow:
    return ReleaseListRow(
        release_list=release_list,
        line_number=entry.line,
        cells=entry.cells,
        full_name=entry.full_name[:300],
        family_name=entry.family_name[:100],
        given_name=entry.given_name[:100],
        patronymic=entry.patronymic[:100],
        birth_date_text=entry.birth_date_text[:40],
        birth_date=entry.birth_date,
        military_unit=entry.military_unit[:100],
        service_number=entry.service_number[:50],
        place_written=entry.place[:200],
    )


def entry_of(row: ReleaseListRow) -> Entry:
    return Entry(
        line=row.line_number,
        full_name=row.full_name,
        family_name=row.family_name,
        given_name=row.given_name,
        patronymic=row.patronymic,
        birth_date=row.birth_date,
        birth_date_text=row.birth_date_text,
        military_unit=row.military_unit,
        service_number=row.service_number,
    )


def reviewers_memory() -> Memory:
    return Memory(
        rejected=frozenset(RejectedCandidate.objects.values_list("fingerprint", "captive_id"))
    )


def reconcile_release_list(
    *, release_list_id: int, now: datetime, delivery: str = ""
) -> ReleaseList:
    """Decide every pending row of a list and store the decisions; safe to run again.

    Steps: claim the list for this run (``exchanges.jobs``: a live run elsewhere means nothing
    to do); beat from a thread until the end; decide all its rows at once, because two rows
    claiming one person are settled together; write the pending rows' decisions in batches,
    each its own transaction, moving the progress; mark it done. A run that finds its list
    taken over (it was judged dead) stops without writing. ``delivery``: the task's id.
    """
    run, clock = run_token(delivery), advancing_clock(now)
    claimed = claim_release_list(release_list_id=release_list_id, run=run, now=now)
    release_list = ReleaseList.objects.get(pk=release_list_id)
    if not claimed:
        return release_list  # done, failed, or held by a live run: nothing to do twice
    try:
        with Heartbeat(lambda: beat(release_list_id=release_list_id, run=run, at=clock())):
            _reconcile_claimed(release_list, run, clock)
    except ClaimLostError:
        pass  # another run holds the list now and carries on from the rows stored
    except (OperationalError, InterfaceError):
        # An outage: the task is retried. Give the list up so that the retry may take it at
        # once (with the database away this fails too, and the sweep takes it a minute on).
        with contextlib.suppress(OperationalError, InterfaceError):
            put_back(release_list_id=release_list_id, run=run, now=clock())
        raise
    release_list.refresh_from_db()
    return release_list


def _reconcile_claimed(release_list: ReleaseList, run: str, clock: Callable[[], datetime]) -> None:
    rows = list(release_list.rows.order_by("line_number"))
    decisions = reconcile([entry_of(r) for r in rows], registry_index(), reviewers_memory())
    pending = [(r, d) for r, d in zip(rows, decisions, strict=True) if r.outcome == Outcome.PENDING]
    for start in range(0, len(pending), BATCH):
        _store(release_list, pending[start : start + BATCH], clock(), run=run)
    with transaction.atomic():
        finished = ReleaseList.objects.filter(
            pk=release_list.pk, state=ReleaseList.State.RECONCILING, claimed_by=run
        ).update(state=ReleaseList.State.RECONCILED, rows_done=len(rows), heartbeat_at=clock())
        if not finished:
            raise ClaimLostError(release_list.pk)
        _record_reconciled(release_list, clock())
        record_list_places(rows=release_list.rows.all(), by=None)


def fail_release_list(*, release_list_id: int, error: BaseException) -> bool:
    """Mark a list whose reconciliation broke on something other than an outage as failed, so
    that it is neither queued again every few minutes nor shown as still in progress.

    Only the kind of error is kept (the page says what it means, in the reader's language):
    its message may quote a row, a name or a date.
    """
    return bool(
        ReleaseList.objects.filter(
            pk=release_list_id,
            state__in=[ReleaseList.State.RECEIVED, ReleaseList.State.RECONCILING],
        ).update(state=ReleaseList.State.FAILED, error=type(error).__name__)
    )


def _record_reconciled(release_list: ReleaseList, now: datetime) -> None:
    """The partner that submitted the list hears that it is done, with its counts per outcome:
    no names. Nobody else does: another partner may not even read the list."""
    counts = Counter(release_list.rows.values_list("outcome", flat=True))
    record_event(
        event_type=EventType.LIST_RECONCILED,
        subject=f"list:{release_list.pk}",
        payload={
            "list": release_list.pk,
            "phase": release_list.phase_id,
            "state": ReleaseList.State.RECONCILED.value,
            "rows": dict(sorted(counts.items())),
        },
        at=now,
        owner_id=release_list.partner_id,
    )


def _store(
    release_list: ReleaseList,
    batch: Sequence[tuple[ReleaseListRow, Decision]],
    now: datetime,
    *,
    run: str | None = None,
) -> None:
    """Write one batch of decisions to the rows still pending, read again under a lock: a
    duplicate delivery of the job, or a reviewer who already decided a row shown from an earlier
    batch, is never overwritten by decisions made before either of them. With ``run``, the
    batch is written only while that run still holds the list (ClaimLostError otherwise)."""
    decided = {row.pk: decision for row, decision in batch}
    with transaction.atomic():
        rows = list(
            ReleaseListRow.objects.select_for_update()
            .filter(pk__in=decided, outcome=Outcome.PENDING)
            .order_by("pk")
        )
        for row in rows:
            apply_decision(row, decided[row.pk])
        # The engine decided, nobody in person: the history row says so, and no user.
        bulk_update_with_history(
            rows, ReleaseListRow, DECISION_FIELDS, default_change_reason=RECONCILED
        )
        done = release_list.rows.exclude(outcome=Outcome.PENDING).count()
        # The list's progress and heartbeat are the job's bookkeeping, not a change anyone
        # made: ReleaseList keeps no history (tests/test_history.py lists what is exempt).
        if run is None:
            ReleaseList.objects.filter(pk=release_list.pk).update(rows_done=done, heartbeat_at=now)
        else:
            record_progress(release_list_id=release_list.pk, run=run, rows_done=done, at=now)


def apply_decision(row: ReleaseListRow, decision: Decision) -> None:
    row.outcome = Outcome(decision.outcome.value)
    row.captive_id = decision.person_id
    row.score = decision.best.score if decision.best else None
    row.candidates = [
        {
            "captive_id": c.person_id,
            "label": c.label,
            "score": c.score,
            "probability": round(c.probability, 4),
            "agreements": [asdict(a) for a in c.agreements],
        }
        for c in decision.candidates
    ]
    row.explanation = decision.explanation
    row.reason = decision.reason


def rereconcile_open_rows(*, day: date) -> list[ReconciliationReport]:
    """Decide again the unresolved rows of every open phase's lists, and write the day's report.

    A registration made since can turn an unmatched row into a match. Running it twice on one day
    changes nothing the second time and keeps one report per phase and day.
    """
    index, memory = registry_index(), reviewers_memory()
    open_phases = (
        Phase.objects.exclude(state=Phase.State.COMPLETED)
        .filter(release_lists__state=ReleaseList.State.RECONCILED)
        .distinct()
    )
    return [_rereconcile_phase(phase, day, index, memory) for phase in open_phases]


def _rereconcile_phase(
    phase: Phase, day: date, index: RegistryIndex, memory: Memory
) -> ReconciliationReport:
    existing = ReconciliationReport.objects.filter(phase=phase, day=day).first()
    if existing is not None:
        return existing  # the day's run happened: a second one would report no changes
    changes: list[dict[str, object]] = []
    with transaction.atomic():
        for release_list in phase.release_lists.filter(state=ReleaseList.State.RECONCILED):
            rows = list(release_list.rows.select_for_update().order_by("line_number"))
            decisions = reconcile([entry_of(r) for r in rows], index, memory)
            changed = []
            for row, decision in zip(rows, decisions, strict=True):
                if row.resolution or row.outcome not in OPEN_OUTCOMES:
                    continue
                before = row.outcome
                if _redecided(row, decision):
                    changed.append(row)
                if row.outcome != before:
                    change = {"line": row.line_number, "list": release_list.pk, "from": before}
                    changes.append(change | {"to": row.outcome})
            # Only rows whose decision moved get written, and a history row each: the same
            # decision again, day after day, is not news.
            bulk_update_with_history(
                changed,
                ReleaseListRow,
                DECISION_FIELDS,
                batch_size=BATCH,
                default_change_reason=f"Decided again on {day:%d.%m.%Y}",
            )
            record_list_places(
                rows=ReleaseListRow.objects.filter(pk__in=[r.pk for r in changed]), by=None
            )
        counts = Counter(
            ReleaseListRow.objects.filter(release_list__phase=phase).values_list(
                "outcome", flat=True
            )
        )
        report, _ = ReconciliationReport.objects.get_or_create(
            phase=phase, day=day, defaults={"counts": dict(counts), "changes": changes}
        )
    return report


def _redecided(row: ReleaseListRow, decision: Decision) -> bool:
    """Apply the decision to the row; whether anything stored changed."""
    before = [row.serializable_value(field) for field in DECISION_FIELDS]
    apply_decision(row, decision)
    return before != [row.serializable_value(field) for field in DECISION_FIELDS]
