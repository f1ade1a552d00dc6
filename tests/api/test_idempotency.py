"""Idempotency-Key on POSTs: replays, refusals, expiry, and two requests racing for one key."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import IdempotencyKey
from accounts.tasks import purge_expired_idempotency_keys_task
from accounts.tokens import SCOPES
from exchanges.models import Phase, ReleaseList
from exchanges.services import record_phase
from tests.api.conftest import Partner, World, is_problem
from tests.conftest import grant_roles
from tests.factories import make_exchange, make_phase

pytestmark = pytest.mark.django_db


def phase_body(world: World, number: int = 2) -> dict[str, Any]:
    return {"exchange": world.exchange.pk, "number": number, "date": "2025-06-01"}


def test_the_same_key_replays_the_first_answer_and_creates_once(
    partner: Partner, world: World
) -> None:
    first = partner.post("/api/v1/phases/", phase_body(world), key="abc-1")
    again = partner.post("/api/v1/phases/", phase_body(world), key="abc-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Phase.objects.filter(exchange=world.exchange, number=2).count() == 1


def test_a_file_sent_again_with_another_multipart_boundary_is_the_same_request(
    partner: Partner, world: World
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload() -> Any:
        data = "ПІБ\nБондар Петро Іванович\n".encode()
        body = {"file": SimpleUploadedFile("list.csv", data), "received_on": "2025-05-21"}
        return partner.post(f"/api/v1/phases/{world.phase.pk}/release-lists/", body, key="f-1")

    first, again = upload(), upload()

    assert first.status_code == again.status_code == 202
    assert again["Idempotent-Replayed"] == "true"
    assert ReleaseList.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(partner: Partner, world: World) -> None:
    partner.post("/api/v1/phases/", phase_body(world), key="abc-2")

    response = partner.post("/api/v1/phases/", phase_body(world, number=3), key="abc-2")

    assert is_problem(response, 422)
    assert response.json()["type"] == "urn:homecoming:problem:idempotency-mismatch"
    assert not Phase.objects.filter(number=3).exists()


def test_keys_belong_to_one_token(world: World) -> None:
    first, second = Partner("a", SCOPES), Partner("b", SCOPES)

    one = first.post("/api/v1/phases/", phase_body(world, 2), key="shared")
    two = second.post("/api/v1/phases/", phase_body(world, 3), key="shared")

    assert one.status_code == two.status_code == 201
    assert "Idempotent-Replayed" not in two


def test_a_post_without_a_key_is_refused_and_does_nothing(partner: Partner, world: World) -> None:
    response = partner.client.post(
        "/api/v1/phases/", phase_body(world), content_type="application/json"
    )

    assert is_problem(response, 400)
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Phase.objects.filter(number=2).exists()


def test_a_refused_request_gives_its_key_back(partner: Partner, world: World) -> None:
    bad = partner.post("/api/v1/phases/", {"exchange": world.exchange.pk}, key="retry")
    good = partner.post("/api/v1/phases/", phase_body(world), key="retry")

    assert bad.status_code == 400
    assert good.status_code == 201


def test_an_expired_key_acts_anew(partner: Partner, world: World) -> None:
    partner.post("/api/v1/phases/", phase_body(world, 2), key="old")
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = partner.post("/api/v1/phases/", phase_body(world, 3), key="old")

    assert response.status_code == 201
    assert IdempotencyKey.objects.get().expires_at > timezone.now() + timedelta(hours=23)


def test_the_hourly_sweep_deletes_every_callers_expired_keys_once(
    partner: Partner, world: World
) -> None:
    partner.post("/api/v1/phases/", phase_body(world, 2), key="old")
    partner.post("/api/v1/phases/", phase_body(world, 3), key="new")
    IdempotencyKey.objects.filter(key="old").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert purge_expired_idempotency_keys_task() == 1  # a partner that never posts again
    assert purge_expired_idempotency_keys_task() == 0
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_requests_with_one_key_create_one_phase(monkeypatch: Any) -> None:
    grant_roles()  # an earlier flushing test may have emptied the tables
    exchange = make_exchange()
    make_phase(exchange)
    partner = Partner("racer", SCOPES)
    original_record = record_phase

    def record_slowly(**kwargs: Any) -> Phase:
        time.sleep(0.5)  # hold the key while the other request arrives
        return original_record(**kwargs)

    monkeypatch.setattr("exchanges.api.record_phase", record_slowly)
    body = {"exchange": exchange.pk, "number": 2, "date": "2025-06-01"}
    start = threading.Barrier(2)
    statuses: list[int] = []

    def post() -> None:
        try:
            start.wait()
            statuses.append(partner.post("/api/v1/phases/", body, key="race").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201, 409]
    assert Phase.objects.filter(exchange=exchange, number=2).count() == 1
    replay = partner.post("/api/v1/phases/", body, key="race")
    assert (replay.status_code, replay["Idempotent-Replayed"]) == (201, "true")


def test_a_key_left_running_by_a_dead_process_is_taken_over(partner: Partner, world: World) -> None:
    long_ago = timezone.now() - timedelta(minutes=6)
    IdempotencyKey.objects.create(
        scope=f"token:{partner.token.pk}",
        key="orphan",
        fingerprint="whatever the dead request was",
        created_at=long_ago,
        expires_at=long_ago + timedelta(hours=24),
    )
    partner.post("/api/v1/phases/", phase_body(world, 3), key="running")
    IdempotencyKey.objects.filter(key="running").update(status=None)  # as if still at work

    taken_over = partner.post("/api/v1/phases/", phase_body(world, 2), key="orphan")
    still_running = partner.post("/api/v1/phases/", phase_body(world, 3), key="running")

    assert taken_over.status_code == 201
    assert is_problem(still_running, 409)
    assert still_running.json()["type"] == "urn:homecoming:problem:idempotency-in-progress"


def test_what_the_view_wrote_and_the_stored_answer_commit_together(
    partner: Partner, world: World, monkeypatch: Any
) -> None:
    """If storing the answer fails, the phase the view saved is rolled back with it."""

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("the database went away while storing the answer")

    monkeypatch.setattr("accounts.idempotency.record", fail)

    with pytest.raises(RuntimeError):
        partner.post("/api/v1/phases/", phase_body(world), key="atomic")

    assert not Phase.objects.filter(number=2).exists()
    assert not IdempotencyKey.objects.exists()
