"""Celery tasks: ids in, one service call, safe to run twice (the state is in PostgreSQL)."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from exchanges.jobs import requeue_lost_release_lists
from exchanges.orphans import sweep_orphaned_list_files
from exchanges.reconciliation import (
    fail_release_list,
    reconcile_release_list,
    rereconcile_open_rows,
)


# A worker killed mid-list stops the list's heartbeat: the sweep queues it again within a minute,
# and the service resumes from the rows already stored (acks_late and reject_on_worker_lost
# give the message back too, for the broker to deliver again after its visibility timeout; the
# list is done by then, or held by a live run, and the late copy does nothing). The limits:
# a 5,000-row list (the most a file may hold) takes a few minutes on a cold worker; the soft
# one marks the list failed, the hard one stops a run that ignores it, well before the broker's
# visibility timeout (an hour) would hand the message out again.
@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def reconcile_release_list_task(self: Task[..., str], release_list_id: int) -> str:
    try:
        release_list = reconcile_release_list(
            release_list_id=release_list_id, now=timezone.now(), delivery=self.request.id or ""
        )
    except (OperationalError, InterfaceError):
        raise  # an outage: retried, and the stale-job task queues the list again
    except Exception as error:
        # A fault in the list or the engine fails the same way each time: say so, stop.
        fail_release_list(release_list_id=release_list_id, error=error)
        raise
    return str(release_list.state)


@shared_task(soft_time_limit=30, time_limit=60)
def requeue_stale_release_lists_task() -> list[int]:
    """Every 15 s: a job whose worker died (its heartbeat stopped), or whose message Redis lost,
    is queued again."""
    lost = requeue_lost_release_lists(now=timezone.now())
    for release_list_id in lost:
        reconcile_release_list_task.delay(release_list_id)
    return lost


# Every open phase's reconciled lists against the registry: minutes, once a day.
@shared_task(acks_late=True, soft_time_limit=40 * 60, time_limit=45 * 60)
def rereconcile_open_rows_task() -> int:
    return len(rereconcile_open_rows(day=timezone.localdate()))


@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60)
def sweep_orphaned_list_files_task() -> int:
    """Files a killed upload left with no list: deleted once they are an hour old."""
    return len(sweep_orphaned_list_files(now=timezone.now()))
