"""Confirming a phase of a thousand people takes the queries of a phase of one: the phase is
locked all the while, so its work is done in bulk, history rows and all."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.tokens import issue_token
from captives.lifecycle import Status
from captives.models import Captive
from exchanges.models import Phase, Transfer
from inquiries.models import Inquiry, Notification
from tests.factories import (
    approve_phase,
    make_captive,
    make_exchange,
    make_matched_list,
    make_phase,
    make_user,
    sign_in,
)
from webhooks.models import AllowedHost, Delivery, Event, EventType
from webhooks.services import register_endpoint
from workflows.confirmation import propose_confirmation
from workflows.news import release_listed_news

pytestmark = pytest.mark.django_db
DAY = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)


def _phase_of(people: int) -> tuple[Phase, list[Captive]]:
    phase = make_phase()
    captives = [make_captive(family_name=f"Коваль{n}") for n in range(people)]
    make_matched_list(phase, captives)
    for n, captive in enumerate(captives):
        Inquiry.objects.create(
            reference=f"HC-Q{phase.pk}-{n}",
            pin_hash="x",
            relative_name="Марія",
            relationship="mother",
            email=f"maria{n}@example.org",
            phone="+380501234567",
            consent_given_at=DAY,
            sought_full_name=captive.full_name,
            captive=captive,
            verified_at=DAY,
            verification_method="Passport seen",
        )
    return phase, captives


def _queries_to_confirm(phase: Phase) -> tuple[int, int]:
    proposer, approver = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    release_listed_news(phase=phase, by=proposer, at=DAY)  # proposing tells families too
    with CaptureQueriesContext(connection) as proposing:
        propose_confirmation(phase=phase, by=proposer, at=DAY)
    with CaptureQueriesContext(connection) as approving:
        approve_phase(phase=phase, by=approver, at=DAY)
    return len(proposing), len(approving)


def test_confirming_twenty_people_takes_the_queries_of_confirming_one() -> None:
    AllowedHost.objects.create(host="hooks.example")
    token, _ = issue_token(
        partner_name="ngo", scopes=["registry:read", "lists:submit"], now=timezone.now()
    )
    register_endpoint(token=token, url="https://hooks.example/in", events=EventType.values)
    one, _ = _phase_of(1)
    twenty, people = _phase_of(20)

    assert _queries_to_confirm(twenty) == _queries_to_confirm(one)

    # Every row written one by one before is still written: history, sources, news.
    for captive in people:
        history = list(captive.history.order_by("history_id"))
        assert [h.status for h in history][-2:] == [Status.LISTED, Status.RETURNED]
        assert [h.history_change_reason for h in history][-2:] == [
            f"Listed for exchange in phase {twenty.number}",
            f"Came home on {twenty.date:%d.%m.%Y}, in phase {twenty.number}",
        ]
        assert history[-1].provenance.description == f"Return confirmed in phase {twenty.number}"
        assert history[-2].provenance.description.startswith("Line ")
    transfers = Transfer.objects.filter(phase=twenty)
    confirmed = Phase.objects.get(pk=twenty.pk)
    assert {t.history.count() for t in transfers} == {2}
    assert {h.history_user_id for t in transfers for h in t.history.all()} == {
        confirmed.proposed_by_id,
        confirmed.approved_by_id,
    }
    assert Inquiry.objects.filter(captive__in=people, state=Inquiry.State.RETURNED).count() == 20
    assert Notification.objects.filter(captive__in=people).count() == 20 * 2 * 2
    assert Event.objects.filter(payload__phase=twenty.pk).count() == 20 + 20 + 1
    assert Delivery.objects.count() == (1 + 1 + 1) + (20 + 20 + 1)  # listed, returned, phase


def _phases(exchange_phases: int) -> User:
    exchange = make_exchange()
    for number in range(1, exchange_phases + 1):
        phase = make_phase(exchange, number=number)
        captive = make_captive(family_name=f"Мельник{number}")
        Transfer.objects.create(phase=phase, captive=captive, direction="returned")
    return make_user(Role.OFFICIAL)


def test_the_exchange_page_counts_every_phase_in_one_query() -> None:
    pages = []
    for phases in (1, 6):
        official = _phases(phases)
        exchange = Phase.objects.latest("pk").exchange
        client = Client()
        sign_in(client, official)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/exchanges/{exchange.pk}/")
        pages.append((page.status_code, len(queries)))

    assert pages[0] == pages[1]
