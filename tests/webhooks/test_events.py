"""Events are recorded by the real exchange services, inside their transactions."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime

import pytest
from django.db import transaction

from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive
from config.errors import DomainError
from exchanges.models import Outcome, Phase, ReleaseList, ReleaseListRow, Resolution
from exchanges.reconciliation import reconcile_release_list
from exchanges.review import resolve_row
from exchanges.services import confirm_transfer, list_for_phase
from tests.factories import approve_phase, make_captive, make_phase, make_provenance, make_user
from tests.workers import wait_for
from webhooks.models import AllowedHost, Delivery, Endpoint, Event, EventType
from webhooks.services import register_endpoint
from webhooks.signing import new_secret
from webhooks.tasks import deliver_webhook_task
from workflows.confirmation import propose_confirmation

from .conftest import Receiver, partner_token

DAY = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)
NAMES = ["Коваль", "Мельник"]


def _phase_named(people: list[Captive]) -> Phase:
    phase = make_phase()
    release_list = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="e" * 64
    )
    for n, captive in enumerate(people, start=1):
        ReleaseListRow.objects.create(
            release_list=release_list,
            line_number=n,
            full_name=captive.full_name,
            outcome=Outcome.MATCHED,
            captive=captive,
        )
    return phase


def _endpoint(url: str, events: list[str]) -> Endpoint:
    return register_endpoint(token=partner_token()[0], url=url, events=events)


@pytest.mark.usefixtures("loopback")
def test_confirming_a_phase_records_each_return_and_the_phase_for_subscribers(
    receiver: Receiver, django_capture_on_commit_callbacks: object
) -> None:
    people = [make_captive(family_name=name) for name in NAMES]
    phase = _phase_named(people)
    wants_returns = _endpoint(receiver.url, ["captive.returned", "phase.completed"])
    wants_lists = _endpoint(receiver.url, ["captive.listed"])
    first, second = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)

    propose_confirmation(phase=phase, by=first, at=DAY)
    approve_phase(phase=phase, by=second, at=DAY)

    returned = Event.objects.filter(type=EventType.CAPTIVE_RETURNED)
    assert sorted(e.payload["captive"] for e in returned) == sorted(
        str(c.public_id) for c in people
    )
    assert {e.payload["status"] for e in returned} == {"returned"}
    assert {e.payload["phase"] for e in returned} == {phase.pk}
    [completed] = Event.objects.filter(type=EventType.PHASE_COMPLETED)
    assert completed.payload == {
        "phase": phase.pk,
        "exchange": phase.exchange_id,
        "state": "completed",
        "handed_over_on": phase.date.isoformat(),
        "returned": 2,
    }
    assert completed.occurred_at == DAY
    assert Event.objects.filter(type=EventType.CAPTIVE_LISTED).count() == 2
    assert wants_returns.deliveries.count() == 3
    assert wants_lists.deliveries.count() == 2
    for event in Event.objects.all():  # ids and statuses only: no name, no date of birth
        text = json.dumps(event.payload, ensure_ascii=False)
        assert not any(name in text for name in NAMES)
        assert "1990" not in text


@pytest.mark.django_db
def test_taking_a_person_off_a_list_tells_partners_with_the_status_they_have_now() -> None:
    people = [make_captive(family_name=name) for name in NAMES]
    phase = _phase_named(people)
    official, reviewer = make_user(Role.OFFICIAL), make_user(Role.REVIEWER)
    propose_confirmation(phase=phase, by=official, at=DAY)
    row = ReleaseListRow.objects.get(release_list__phase=phase, captive=people[0])
    resolve_row(row=row, resolution=Resolution.NOT_OURS, by=reviewer, at=DAY, version=row.version)

    propose_confirmation(phase=phase, by=official, at=DAY)  # proposed again, without them

    [unlisted] = Event.objects.filter(type=EventType.CAPTIVE_UNLISTED)
    assert unlisted.payload["captive"] == str(people[0].public_id)
    assert unlisted.payload["status"] == Status.CONFIRMED_CAPTIVE
    assert unlisted.payload["phase"] == phase.pk
    assert Event.objects.filter(type=EventType.CAPTIVE_LISTED).count() == 2


@pytest.mark.usefixtures("loopback")
def test_a_refused_confirmation_records_no_event(receiver: Receiver) -> None:
    official = make_user(Role.OFFICIAL)
    phase = _phase_named([make_captive()])
    _endpoint(receiver.url, ["phase.completed", "captive.returned"])
    propose_confirmation(phase=phase, by=official, at=DAY)

    with pytest.raises(DomainError):
        approve_phase(phase=phase, by=official, at=DAY)

    assert not Event.objects.exclude(type=EventType.CAPTIVE_LISTED).exists()
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_reconciled_list_is_announced_once_with_its_counts() -> None:
    make_captive(birth_date=date(1990, 3, 14))
    release_list = ReleaseList.objects.create(
        phase=make_phase(), received_on=date(2025, 5, 21), sha256="a" * 64, rows_total=2
    )
    for n, name in enumerate(["Shevchenko Oleksandr Petrovych", "Вайнштейн Аркадій"], 1):
        ReleaseListRow.objects.create(
            release_list=release_list, line_number=n, full_name=name, birth_date=date(1990, 3, 14)
        )

    reconcile_release_list(release_list_id=release_list.pk, now=DAY)
    ReleaseList.objects.filter(pk=release_list.pk).update(state=ReleaseList.State.RECONCILING)
    reconcile_release_list(release_list_id=release_list.pk, now=DAY)  # a redelivered task

    [event] = Event.objects.filter(type=EventType.LIST_RECONCILED)
    assert event.subject == f"list:{release_list.pk}"
    assert event.payload["list"] == release_list.pk
    assert event.payload["state"] == "reconciled"
    assert sum(event.payload["rows"].values()) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("uploader", ["ombudsman", "icrc", "an official"])
def test_a_reconciled_list_is_announced_only_to_the_partner_that_submitted_it(
    uploader: str,
) -> None:
    AllowedHost.objects.create(host="hooks.example")
    scopes = ["webhooks:manage", "lists:submit"]
    endpoints = {
        name: register_endpoint(
            token=partner_token(name, scopes)[0],
            url=f"https://hooks.example/{name}",
            events=["list.reconciled"],
        )
        for name in ("ombudsman", "icrc")
    }
    partner = endpoints[uploader].partner if uploader in endpoints else None
    release_list = ReleaseList.objects.create(
        phase=make_phase(),
        received_on=date(2025, 5, 21),
        sha256="a" * 64,
        uploaded_by=partner or make_user(Role.OFFICIAL),
        partner=partner,
    )

    reconcile_release_list(release_list_id=release_list.pk, now=DAY)

    assert Event.objects.filter(type=EventType.LIST_RECONCILED).count() == 1
    heard = set(Delivery.objects.values_list("endpoint", flat=True))
    assert heard == ({endpoints[uploader].pk} if uploader in endpoints else set())


def _registered_before_scopes_counted(scopes: list[str]) -> Endpoint:
    """An endpoint for captive.listed, as registration let any token have one before."""
    token, _ = partner_token("-".join(scopes), scopes)
    return Endpoint.objects.create(
        partner=token.partner,
        token=token,
        url="https://hooks.example/in",
        events=["captive.listed"],
        secret=new_secret(),
    )


@pytest.mark.django_db
def test_an_old_endpoint_hears_of_a_captive_only_if_its_token_reads_the_registry() -> None:
    AllowedHost.objects.create(host="hooks.example")
    reader = _registered_before_scopes_counted(["webhooks:manage", "registry:read"])
    _registered_before_scopes_counted(["webhooks:manage"])

    list_for_phase(
        phase=make_phase(), captive=make_captive(), by=None, provenance=make_provenance()
    )

    assert list(Delivery.objects.values_list("endpoint", flat=True)) == [reader.pk]


@pytest.mark.django_db
def test_events_skip_endpoints_that_are_disabled_or_whose_token_was_revoked() -> None:
    AllowedHost.objects.create(host="hooks.example")
    live = _endpoint("https://hooks.example/a", ["captive.listed"])
    disabled = _endpoint("https://hooks.example/b", ["captive.listed"])
    revoked = _endpoint("https://hooks.example/c", ["captive.listed"])
    Endpoint.objects.filter(pk=disabled.pk).update(is_active=False)
    type(revoked.token).objects.filter(pk=revoked.token_id).update(revoked_at=DAY)

    list_for_phase(
        phase=make_phase(),
        captive=make_captive(),
        by=None,
        provenance=make_provenance(),
    )

    assert list(Delivery.objects.values_list("endpoint", flat=True)) == [live.pk]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_delivers_a_return_once_through_redis(
    loopback_worker: object, receiver: Receiver
) -> None:
    official = make_user(Role.OFFICIAL)
    captive = make_captive()
    transfer = list_for_phase(
        phase=make_phase(), captive=captive, by=official, provenance=make_provenance()
    )
    endpoint = _endpoint(receiver.url, ["captive.returned"])

    with transaction.atomic():
        confirm_transfer(transfer=transfer, by=official, at=datetime.now(tz=UTC))
        assert Delivery.objects.count() == 1  # recorded, but not sent before the commit
        time.sleep(0.5)
        assert receiver.requests == []

    delivery = Delivery.objects.get(endpoint=endpoint)
    deliver_webhook_task.delay(delivery.pk)  # a redelivered message, as after a lost ack
    assert wait_for(lambda: Delivery.objects.get(pk=delivery.pk).state == Delivery.State.DELIVERED)
    assert wait_for(lambda: len(receiver.requests) >= 1)
    time.sleep(2)  # give the second message its chance to (wrongly) send again
    [request] = receiver.requests
    assert json.loads(request.body)["data"]["captive"] == str(captive.public_id)
    assert Captive.objects.get(pk=captive.pk).status == Status.RETURNED
