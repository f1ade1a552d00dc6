"""A partner's webhook receiver that accepts the connection and never answers holds only the
webhook workers: a list uploaded behind its deliveries is reconciled meanwhile by the workers of
its own queue, as production runs them (one worker per queue)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from exchanges.models import ReleaseList
from tests.factories import make_captive, make_phase
from tests.faults.conftest import PrivateRedis
from tests.faults.lists import upload
from tests.webhooks.conftest import partner_token
from tests.workers import start_worker, stop_worker, wait_for, worker_env
from webhooks.models import AllowedHost, Delivery, DeliveryAttempt, EventType
from webhooks.services import record_event, register_endpoint

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LIST = "ПІБ;Дата народження\nШевченко Олександр Петрович;14.03.1990\n".encode()
DELIVERIES = 6  # each holds a webhook worker for the transport's 5 s read timeout


@pytest.fixture
def silent_receiver() -> Iterator[str]:
    """A socket that accepts every connection and never says a word, holding each open."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stopped = threading.Event()

    def accept() -> None:
        while not stopped.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/hooks/homecoming"
    finally:
        stopped.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


def _queue_deliveries(url: str, settings: Any) -> None:
    """Deliveries to the silent receiver, queued on commit to the webhooks queue."""
    settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK = True
    AllowedHost.objects.create(host="127.0.0.1", port=int(url.split(":")[2].split("/")[0]))
    token, _ = partner_token()
    register_endpoint(token=token, url=url, events=["captive.returned"])
    for n in range(DELIVERIES):
        record_event(
            event_type=EventType.CAPTIVE_RETURNED,
            subject=f"transfer:{n}",
            payload={"captive": f"c0ffee{n}", "status": "returned"},
            at=timezone.now(),
        )


def test_a_receiver_that_never_answers_does_not_delay_a_list(
    private_broker: PrivateRedis, silent_receiver: str, settings: Any, tmp_path: Path
) -> None:
    from tests.conftest import grant_roles

    grant_roles()
    make_captive()
    env = worker_env(redis_url=private_broker.url, tmp_path=tmp_path) | {
        "WEBHOOKS_ALLOW_HTTP_LOOPBACK": "true"
    }
    workers = [
        start_worker(env, tmp_path / f"{queue}.log", queues=[queue])
        for queue in ("webhooks", "lists")
    ]
    try:
        _queue_deliveries(silent_receiver, settings)
        assert wait_for(lambda: Delivery.objects.filter(state=Delivery.State.SENDING).exists())
        release_list = upload(make_phase(), LIST)  # behind the deliveries, on its own queue

        assert wait_for(
            lambda: (
                ReleaseList.objects.get(pk=release_list.pk).state == ReleaseList.State.RECONCILED
            )
        ), (tmp_path / "lists.log").read_text()
        attempted_meanwhile = DeliveryAttempt.objects.count()
    finally:
        for worker in workers:
            stop_worker(worker)

    # The webhook worker was still working through the silent receiver's deliveries, 5 s each:
    # on one shared queue the list would have waited for all of them.
    assert attempted_meanwhile < DELIVERIES
    assert "Task webhooks.tasks.deliver_webhook_task" not in (tmp_path / "lists.log").read_text()
