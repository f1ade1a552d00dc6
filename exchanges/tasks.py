"""Celery tasks: ids in, one service call, safe to run twice (the state is in PostgreSQL)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from exchanges.orphans import sweep_orphaned_list_files
from exchanges.reconciliation import (
    fail_release_list,
    reconcile_release_list,
    rereconcile_open_rows,
    stale_release_lists,
)


# acks_late + reject_on_worker_lost: a worker killed mid-list leaves the message to be delivered
# again; the service resumes from the rows already stored.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def reconcile_release_list_task(release_list_id: int) -> str:
    try:
        release_list = reconcile_release_list(release_list_id=release_list_id, now=timezone.now())
    except (OperationalError, InterfaceError):
        raise  # an outage: retried, and the stale-job task queues the list again
    except Exception as error:
        # A fault in the list or the engine fails the same way each time: say so, stop.
        fail_release_list(release_list_id=release_list_id, error=error)
        raise
    return str(release_list.state)


@shared_task
def requeue_stale_release_lists_task() -> list[int]:
    """Redis keeps nothing on disk: a job whose message was lost is found here and queued again."""
    stale = stale_release_lists(now=timezone.now())
    for release_list_id in stale:
        reconcile_release_list_task.delay(release_list_id)
    return stale


@shared_task(acks_late=True)
def rereconcile_open_rows_task() -> int:
    return len(rereconcile_open_rows(day=timezone.localdate()))


@shared_task
def sweep_orphaned_list_files_task() -> int:
    """Files a killed upload left with no list: deleted once they are an hour old."""
    return len(sweep_orphaned_list_files(now=timezone.now()))
