"""The reconciliation job's bookkeeping: who holds a list, the heartbeat, and lost jobs.

A list is *received* while it waits for a worker (after its upload, or put back by the sweep)
and *reconciling* while a run of the job holds it (``claimed_by``). The run beats every
``BEAT_EVERY`` seconds from a thread of its own, whatever the main thread is doing (loading the
registry, the engine's one long ``reconcile`` call, storing a batch), with the real clock. A run
whose heartbeat is older than ``STALE_AFTER`` is lost (its worker was killed, or its machine
stopped): the sweep, every 15 s (``config/settings.py``), puts its list back and queues it, so a
dead job resumes within a minute. A live one is never taken twice: a second delivery of its
list (a message the broker gave out again, the sweep's) is refused while its heartbeat is fresh,
and a run that has lost its list (judged dead, then woken) writes nothing more.

The run's token is the task's id and a few random characters: the broker may hand the same
message (the same task id) to a second worker while the first still runs it, when it restores
unacknowledged messages after a lost connection, so the id alone cannot tell the runs apart.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from types import TracebackType

from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet

from exchanges.models import ReleaseList

BEAT_EVERY = 5.0  # seconds
# Six missed beats: a database that is slow for a while does not make a live job look dead.
STALE_AFTER = timedelta(seconds=30)
UNFINISHED = (ReleaseList.State.RECEIVED, ReleaseList.State.RECONCILING)

logger = logging.getLogger(__name__)


class ClaimLostError(Exception):
    """The run no longer holds its list: it was judged dead and another run took it over."""


def run_token(delivery: str) -> str:
    """A token for one run of the job: the task's id (for the logs), then random characters."""
    return f"{delivery[:40]}/{secrets.token_hex(6)}"


def advancing_clock(now: datetime) -> Callable[[], datetime]:
    """A clock that starts at ``now`` and moves with the real time elapsed since."""
    started = time.monotonic()
    return lambda: now + timedelta(seconds=time.monotonic() - started)


def claim_release_list(*, release_list_id: int, run: str, now: datetime) -> bool:
    """Take the list for this run: a list that waits for a worker, or one whose run is lost.

    A list held by a run with a fresh heartbeat is refused: one UPDATE decides, so two
    deliveries at once cannot both win (the second re-reads the row the first wrote).
    """
    waiting = Q(state=ReleaseList.State.RECEIVED)
    lost = Q(state=ReleaseList.State.RECONCILING) & (
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - STALE_AFTER)
    )
    return bool(
        ReleaseList.objects.filter(waiting | lost, pk=release_list_id).update(
            state=ReleaseList.State.RECONCILING, claimed_by=run, heartbeat_at=now
        )
    )


def beat(*, release_list_id: int, run: str, at: datetime) -> bool:
    """One heartbeat; False once the run no longer holds the list."""
    return bool(
        ReleaseList.objects.filter(
            pk=release_list_id, state=ReleaseList.State.RECONCILING, claimed_by=run
        ).update(heartbeat_at=at)
    )


def record_progress(*, release_list_id: int, run: str, rows_done: int, at: datetime) -> None:
    """Inside a batch's transaction: its progress, or ClaimLostError (rolling the batch back)
    when another run holds the list now."""
    held = ReleaseList.objects.filter(
        pk=release_list_id, state=ReleaseList.State.RECONCILING, claimed_by=run
    ).update(rows_done=rows_done, heartbeat_at=at)
    if not held:
        raise ClaimLostError(release_list_id)


def put_back(*, release_list_id: int, run: str, now: datetime) -> bool:
    """The run gives the list up (an outage: its task is retried): waiting again, at once."""
    return bool(
        ReleaseList.objects.filter(
            pk=release_list_id, state=ReleaseList.State.RECONCILING, claimed_by=run
        ).update(state=ReleaseList.State.RECEIVED, claimed_by="", heartbeat_at=now)
    )


def _stale(now: datetime) -> QuerySet[ReleaseList]:
    cutoff = now - STALE_AFTER
    return ReleaseList.objects.filter(state__in=UNFINISHED).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, uploaded_at__lt=cutoff)
    )


def stale_release_lists(*, now: datetime) -> list[int]:
    """Lists whose job was lost: waiting, or held, with no sign of work for ``STALE_AFTER``."""
    return list(_stale(now).order_by("pk").values_list("pk", flat=True))


def requeue_lost_release_lists(*, now: datetime) -> list[int]:
    """Put every lost job's list back to waiting, marked as queued ``now``, and return them for
    the caller to queue. A waiting list is queued again only after another ``STALE_AFTER``
    without a worker taking it (its message lost with a Redis that crashed), not at every
    sweep; a list locked at this moment (a run storing a batch: alive) is left for the next.
    A list that merely waits behind others on a busy queue is queued once more every
    ``STALE_AFTER`` too: whichever of its messages comes first takes it, the others find it
    taken and do nothing."""
    with transaction.atomic():
        locked = _stale(now).select_for_update(skip_locked=True).order_by("pk")
        lost = list(locked.values_list("pk", flat=True))
        ReleaseList.objects.filter(pk__in=lost).update(
            state=ReleaseList.State.RECEIVED, claimed_by="", heartbeat_at=now
        )
    return lost


class Heartbeat:
    """Beats from a thread while the ``with`` block runs; stops when the block ends, or when
    ``beat`` says the run has lost its list. A failed beat (the database away for a moment) is
    logged and tried again at the next one."""

    def __init__(self, beat: Callable[[], bool], every: float = BEAT_EVERY) -> None:
        self.beat = beat
        self.every = every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        # Inside a transaction (a test's, a command's) no other connection could see a beat
        # before it commits, and the beat would wait on the job's own lock of the list's row.
        if not connection.in_atomic_block:
            self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()

    def _run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    if not self.beat():
                        return
                except DatabaseError:
                    logger.warning("A heartbeat failed; trying again", exc_info=True)
        finally:
            connection.close()  # this thread's own connection
