"""Redis (a private one) crashes and comes back empty: what keeps answering, what refuses, and
how the work it lost is found again."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from bench.servers import ALL_QUEUES
from exchanges.models import ReleaseList
from exchanges.tasks import requeue_stale_release_lists_task
from tests.factories import make_captive, make_phase, make_user, sign_in
from tests.faults.conftest import PrivateRedis
from tests.faults.lists import upload
from tests.inquiries.test_status import FORM
from tests.workers import start_worker, stop_worker, wait_for, worker_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BEFORE = "ПІБ;Дата народження\nШевченко Олександр Петрович;14.03.1990\n".encode()
DURING = "ПІБ;Дата народження\nКоваль Іван Петрович;01.02.1985\n".encode()
RECONCILE = "exchanges.tasks.reconcile_release_list_task"
WRONG_PIN = {"reference": "HC-AAAA-AAAA", "pin": "123456"}


def _state(release_list: ReleaseList) -> str:
    return str(ReleaseList.objects.values_list("state", flat=True).get(pk=release_list.pk))


def _upload_page(client: Client, phase_pk: int, data: bytes) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/exchanges/phases/{phase_pk}/lists/new/",
        {
            "file": SimpleUploadedFile("during.csv", data),
            "received_on": "2025-05-21",
            "sent_by": "other_side",
        },
    )
    return response.status_code


def _queued_tasks(server: PrivateRedis) -> list[str]:
    client = redis.Redis.from_url(server.url)
    try:
        return [
            json.loads(m)["headers"]["task"]
            for queue in ALL_QUEUES
            for m in client.lrange(queue, 0, -1)
        ]
    finally:
        client.close()


def test_a_redis_crash_refuses_only_what_needs_it_and_lost_work_resumes_after(
    private_broker: PrivateRedis, tmp_path: Path
) -> None:
    from tests.conftest import grant_roles

    grant_roles()
    make_captive()
    phase = make_phase()
    official = Client()
    sign_in(official, make_user(Role.OFFICIAL))
    public = Client()
    queued_before = upload(phase, BEFORE)  # no worker yet: the message waits in Redis
    assert RECONCILE in _queued_tasks(private_broker)

    private_broker.stop()  # a crash: the queued message is gone with it

    health = public.get("/healthz")
    assert (health.status_code, health.json()) == (503, {"database": "ok", "broker": "down"})
    assert official.get("/exchanges/").status_code == 200
    assert official.get("/registry/", {"q": "Шевченко"}).status_code == 200
    assert official.get(f"/exchanges/phases/{phase.pk}/").status_code == 200
    assert _upload_page(official, phase.pk, DURING) == 302  # stored; queueing failed
    assert public.post("/inquiries/status/", WRONG_PIN).status_code == 503  # never open up
    assert public.post("/inquiries/new/", FORM).status_code == 503
    stored_during = ReleaseList.objects.exclude(pk=queued_before.pk).get()

    private_broker.start()  # the same port, empty

    assert public.get("/healthz").status_code == 200
    assert public.post("/inquiries/status/", WRONG_PIN).status_code == 200
    assert public.post("/inquiries/new/", FORM).status_code == 302
    assert RECONCILE not in _queued_tasks(private_broker)
    assert {_state(queued_before), _state(stored_during)} == {ReleaseList.State.RECEIVED}
    # The stale-job task runs every 15 s and takes lists silent for 30 s: let that time pass.
    ReleaseList.objects.update(uploaded_at=timezone.now() - timedelta(seconds=31))
    worker = start_worker(
        worker_env(redis_url=private_broker.url, tmp_path=tmp_path), tmp_path / "worker.log"
    )
    try:
        requeue_stale_release_lists_task.delay()
        assert wait_for(
            lambda: _state(queued_before) == _state(stored_during) == ReleaseList.State.RECONCILED,
            timeout=90,
        ), (tmp_path / "worker.log").read_text()
    finally:
        stop_worker(worker)
