from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive
from config.errors import ConflictError, DomainError
from exchanges.confirmation import withdraw_proposal
from exchanges.errors import PhaseCompletedError
from exchanges.models import Outcome, Phase, ReleaseList, ReleaseListRow, Resolution, Transfer
from exchanges.review import resolve_row
from inquiries.models import Inquiry, Notification
from tests.factories import (
    approve_phase,
    make_captive,
    make_matched_list,
    make_phase,
    make_user,
    sign_in,
)
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
# A week after the first phase's day (23.05.2025) and on the second's: both may be approved.
DAY = datetime(2025, 5, 30, 15, 0, tzinfo=UTC)


def _phase_with_rows(*outcomes: tuple[str, str]) -> tuple[Phase, list[Captive]]:
    phase = make_phase()
    release_list = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="d"
    )
    people = []
    for n, (outcome, resolution) in enumerate(outcomes, start=1):
        captive = make_captive(family_name=f"Коваль{n}", status=Status.CONFIRMED_CAPTIVE)
        ReleaseListRow.objects.create(
            release_list=release_list,
            line_number=n,
            full_name=captive.full_name,
            outcome=outcome,
            resolution=resolution,
            captive=captive
            if outcome == Outcome.MATCHED or resolution == Resolution.CONFIRMED
            else None,
        )
        people.append(captive)
    return phase, people


def test_four_eyes_confirmation_brings_everyone_named_home() -> None:
    first, second = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    phase, people = _phase_with_rows(
        (Outcome.MATCHED, ""),
        (Outcome.REVIEW, Resolution.CONFIRMED),
        (Outcome.REVIEW, Resolution.NOT_OURS),
    )

    propose_confirmation(phase=phase, by=first, at=DAY)
    approve_phase(phase=phase, by=second, at=DAY)

    phase.refresh_from_db()
    assert phase.state == Phase.State.COMPLETED
    assert (phase.proposed_by, phase.approved_by) == (first, second)
    statuses = [Captive.objects.get(pk=c.pk).status for c in people]
    assert statuses == [Status.RETURNED, Status.RETURNED, Status.CONFIRMED_CAPTIVE]
    assert Transfer.objects.filter(phase=phase, state=Transfer.State.CONFIRMED).count() == 2
    assert [h.status for h in people[0].history.order_by("history_id")][-2:] == [
        Status.LISTED,
        Status.RETURNED,
    ]


def test_the_proposer_cannot_approve_and_nothing_changes() -> None:
    official = make_user(Role.OFFICIAL)
    phase, people = _phase_with_rows((Outcome.MATCHED, ""))
    propose_confirmation(phase=phase, by=official, at=DAY)

    with pytest.raises(DomainError, match="different official"):
        approve_phase(phase=phase, by=official, at=DAY)

    assert Phase.objects.get(pk=phase.pk).state != Phase.State.COMPLETED
    assert Captive.objects.get(pk=people[0].pk).status == Status.LISTED


def test_nothing_is_proposed_while_rows_are_undecided() -> None:
    phase, _ = _phase_with_rows(
        (Outcome.MATCHED, ""), (Outcome.CONFLICT, ""), (Outcome.REVIEW, Resolution.DEFERRED)
    )

    with pytest.raises(DomainError, match="2 list row"):
        propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    assert not Transfer.objects.filter(phase=phase).exists()


def test_a_second_approval_has_no_effect() -> None:
    first, second, third = (make_user(Role.OFFICIAL) for _ in range(3))
    phase, people = _phase_with_rows((Outcome.MATCHED, ""))
    propose_confirmation(phase=phase, by=first, at=DAY)
    approve_phase(phase=phase, by=second, at=DAY)

    with pytest.raises(ConflictError, match="already confirmed"):
        approve_phase(phase=phase, by=third, at=DAY)
    assert Phase.objects.get(pk=phase.pk).approved_by == second
    assert people[0].history.filter(status=Status.RETURNED).count() == 1


# The phase declares nobody and names one person: the approver ticks that they know.
ACKNOWLEDGED = {"gap": "-1", "acknowledge": "on"}


def _two_officials_on_a_phase() -> tuple[Phase, list[Captive], Client, Client]:
    """A phase naming one person, and two officials signed in, each in a browser of their own."""
    phase, people = _phase_with_rows((Outcome.MATCHED, ""))
    browsers = []
    for _ in range(2):
        browser = Client()
        sign_in(browser, make_user(Role.OFFICIAL))
        browsers.append(browser)
    return phase, people, browsers[0], browsers[1]


def test_the_phase_page_walks_two_officials_through_it() -> None:
    phase, people, one, two = _two_officials_on_a_phase()
    url = f"/exchanges/phases/{phase.pk}/confirmation/"

    one.post(url + "propose/")
    proposed = {
        "proposed_at": Phase.objects.get(pk=phase.pk).proposed_at.isoformat(),  # type: ignore[union-attr]
        **ACKNOWLEDGED,
    }
    refused = one.post(url + "approve/", proposed, follow=True)
    blind = two.post(url + "approve/", follow=True)  # a form that does not say what it saw
    assert Phase.objects.get(pk=phase.pk).state != Phase.State.COMPLETED
    two.post(url + "approve/", proposed)

    assert "має затвердити інша посадова особа" in refused.content.decode()  # in Ukrainian
    assert "запропонували знову" in blind.content.decode()
    assert Phase.objects.get(pk=phase.pk).state == Phase.State.COMPLETED
    assert Captive.objects.get(pk=people[0].pk).status == Status.RETURNED


def test_an_approval_of_a_proposal_made_again_since_the_page_was_opened_is_refused() -> None:
    phase, people, one, two = _two_officials_on_a_phase()
    url = f"/exchanges/phases/{phase.pk}/confirmation/"
    one.post(url + "propose/")
    page = two.get(url + "approve/").content.decode()
    seen = re.search(r'name="proposed_at" value="([^"]+)"', page)
    assert seen is not None
    with transaction.atomic():  # the lists changed and it was proposed again meanwhile
        withdraw_proposal(
            phase=Phase.objects.select_for_update().get(pk=phase.pk), by=None, reason="test"
        )
    one.post(url + "propose/")

    stale = two.post(url + "approve/", {"proposed_at": seen.group(1), **ACKNOWLEDGED}, follow=True)
    current = Phase.objects.get(pk=phase.pk).proposed_at
    assert current is not None
    fresh = two.post(url + "approve/", {"proposed_at": current.isoformat(), **ACKNOWLEDGED})

    assert "запропонували знову" in stale.content.decode()  # in Ukrainian: "proposed again"
    assert fresh.status_code == 302
    assert Phase.objects.get(pk=phase.pk).state == Phase.State.COMPLETED
    assert Captive.objects.get(pk=people[0].pk).status == Status.RETURNED


def test_confirmation_tells_verified_relatives(django_capture_on_commit_callbacks: Any) -> None:
    first, second = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    phase, people = _phase_with_rows((Outcome.MATCHED, ""))
    Inquiry.objects.create(
        reference="HC-TEST-0001",
        pin_hash="x",
        relative_name="Марія",
        relationship="mother",
        email="maria@example.org",
        consent_given_at=DAY,
        sought_full_name=people[0].full_name,
        captive=people[0],
        verified_at=DAY,
        verification_method="Passport seen",
    )
    propose_confirmation(phase=phase, by=first, at=DAY)

    with django_capture_on_commit_callbacks() as queued:
        approve_phase(phase=phase, by=second, at=DAY)

    events = list(Notification.objects.order_by("pk").values_list("event", "recipient"))
    assert events == [(Notification.Event.RETURNED, "maria@example.org")]  # once approved
    assert len(queued) == 1
    assert Inquiry.objects.get().state == Inquiry.State.RETURNED


@pytest.mark.parametrize("step", ["approv", "aprove", "withdraw"])
def test_a_confirmation_step_other_than_propose_or_approve_is_not_found(step: str) -> None:
    first, second = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    phase, people = _phase_with_rows((Outcome.MATCHED, ""))
    propose_confirmation(phase=phase, by=first, at=DAY)
    client = Client()
    sign_in(client, second)

    response = client.post(f"/exchanges/phases/{phase.pk}/confirmation/{step}/")

    assert response.status_code == 404
    assert Phase.objects.get(pk=phase.pk).state != Phase.State.COMPLETED
    assert Captive.objects.get(pk=people[0].pk).status == Status.LISTED


def _one_person_in_two_phases() -> tuple[Phase, Phase, Captive]:
    person = make_captive(family_name="Бойко")
    first = make_phase()
    second = make_phase(first.exchange, number=2, date=date(2025, 5, 30))
    make_matched_list(first, [person], sha256="1" * 64)
    make_matched_list(second, [person], sha256="2" * 64)
    return first, second, person


def test_a_person_brought_home_by_a_later_phase_leaves_the_earlier_one_free_to_confirm() -> None:
    proposer, approver = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    first, second, person = _one_person_in_two_phases()
    others = [make_captive(family_name="Ткач")]
    make_matched_list(first, others, sha256="3" * 64)
    propose_confirmation(phase=first, by=proposer, at=DAY)
    propose_confirmation(phase=second, by=proposer, at=DAY)
    approve_phase(phase=second, by=approver, at=DAY)

    approve_phase(phase=first, by=approver, at=DAY)

    assert Phase.objects.get(pk=first.pk).state == Phase.State.COMPLETED
    states = dict(Transfer.objects.filter(captive=person).values_list("phase", "state"))
    assert states == {first.pk: Transfer.State.SUPERSEDED, second.pk: Transfer.State.CONFIRMED}
    assert Captive.objects.get(pk=others[0].pk).status == Status.RETURNED
    assert person.history.filter(status=Status.RETURNED).count() == 1
    closed = Transfer.objects.get(captive=person, phase=first).history.latest("history_id")
    assert (closed.history_user, closed.history_change_reason) == (
        approver,
        f"Came home in phase {Phase.objects.get(pk=second.pk).number}",
    )


def test_a_person_already_home_is_not_listed_again_by_a_later_proposal() -> None:
    proposer, approver = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    first, second, person = _one_person_in_two_phases()
    propose_confirmation(phase=second, by=proposer, at=DAY)
    approve_phase(phase=second, by=approver, at=DAY)

    with pytest.raises(DomainError, match="nobody is left to confirm"):
        propose_confirmation(phase=first, by=proposer, at=DAY)

    assert not Transfer.objects.filter(phase=first).exists()
    assert Captive.objects.get(pk=person.pk).status == Status.RETURNED


def test_the_agreement_counts_a_person_named_in_two_phases_once() -> None:
    proposer = make_user(Role.OFFICIAL)
    first, second, _ = _one_person_in_two_phases()
    propose_confirmation(phase=first, by=proposer, at=DAY)
    propose_confirmation(phase=second, by=proposer, at=DAY)

    named_twice = first.exchange.derived()
    approve_phase(phase=second, by=make_user(Role.OFFICIAL), at=DAY)

    assert named_twice.returned == first.exchange.derived().returned == 1
    assert (first.derived().returned, second.derived().returned) == (0, 1)


def test_a_row_decided_after_the_proposal_withdraws_it_and_nobody_comes_home_unseen() -> None:
    proposer, approver, reviewer = (
        make_user(Role.OFFICIAL),
        make_user(Role.OFFICIAL),
        make_user(Role.REVIEWER),
    )
    phase, [named] = _phase_with_rows((Outcome.MATCHED, ""))
    chosen = make_captive(family_name="Інший", status=Status.CONFIRMED_CAPTIVE)
    propose_confirmation(phase=phase, by=proposer, at=DAY)
    row = ReleaseListRow.objects.get(release_list__phase=phase)

    resolve_row(
        row=row,
        resolution=Resolution.OTHER_CHOSEN,
        by=reviewer,
        at=DAY,
        version=row.version,
        captive=chosen,
    )
    with pytest.raises(DomainError, match="Nobody has proposed"):
        approve_phase(phase=phase, by=approver, at=DAY)

    assert Captive.objects.get(pk=named.pk).status == Status.LISTED
    assert Captive.objects.get(pk=chosen.pk).status == Status.CONFIRMED_CAPTIVE
    withdrawn = Phase.objects.get(pk=phase.pk).history.latest("history_id")
    assert (withdrawn.history_user, withdrawn.history_change_reason) == (
        reviewer,
        "Proposal withdrawn: line 1 decided",
    )

    propose_confirmation(phase=phase, by=proposer, at=DAY)
    approve_phase(phase=phase, by=approver, at=DAY)

    assert Captive.objects.get(pk=named.pk).status == Status.CONFIRMED_CAPTIVE
    assert Captive.objects.get(pk=chosen.pk).status == Status.RETURNED
    assert Transfer.objects.get(captive=named).state == Transfer.State.WITHDRAWN


def test_approval_refuses_and_withdraws_a_proposal_the_lists_no_longer_match() -> None:
    proposer, approver = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    phase, [named] = _phase_with_rows((Outcome.MATCHED, ""))
    propose_confirmation(phase=phase, by=proposer, at=DAY)
    # Changes that went round the services: a row pointed elsewhere, a list with a row to decide.
    other = make_captive(family_name="Інший")
    ReleaseListRow.objects.filter(release_list__phase=phase).update(captive=other)
    late = ReleaseList.objects.create(phase=phase, received_on=date(2025, 5, 22), sha256="e")
    ReleaseListRow.objects.create(
        release_list=late, line_number=1, full_name="Невідомий Іван", outcome=Outcome.REVIEW
    )

    with pytest.raises(ConflictError) as refused:
        approve_phase(phase=phase, by=approver, at=DAY)

    message = str(refused.value)
    assert "1 list row to decide" in message
    assert f"1 person named but not proposed: {other.full_name}" in message
    assert f"1 person proposed but no longer named: {named.full_name}" in message
    stored = Phase.objects.get(pk=phase.pk)
    assert (stored.state, stored.proposed_by) == (Phase.State.UNDER_WAY, None)
    assert not Transfer.objects.filter(state=Transfer.State.CONFIRMED).exists()
    assert Captive.objects.get(pk=named.pk).status == Status.LISTED


def test_a_person_taken_off_the_list_and_named_again_is_listed_again() -> None:
    proposer, approver, reviewer = (
        make_user(Role.OFFICIAL),
        make_user(Role.OFFICIAL),
        make_user(Role.REVIEWER),
    )
    phase, [named] = _phase_with_rows((Outcome.MATCHED, ""))
    propose_confirmation(phase=phase, by=proposer, at=DAY)
    row = ReleaseListRow.objects.get(release_list__phase=phase)
    resolve_row(row=row, resolution=Resolution.NOT_OURS, by=reviewer, at=DAY, version=row.version)
    propose_confirmation(phase=phase, by=proposer, at=DAY)  # takes them off the list
    make_matched_list(phase, [named], sha256="f" * 64)  # the mediator's list names them

    propose_confirmation(phase=phase, by=proposer, at=DAY)
    approve_phase(phase=phase, by=approver, at=DAY)

    states = list(Transfer.objects.filter(captive=named).order_by("pk").values_list("state"))
    assert states == [(Transfer.State.WITHDRAWN,), (Transfer.State.CONFIRMED,)]
    assert Captive.objects.get(pk=named.pk).status == Status.RETURNED


def test_a_completed_phases_rows_cannot_be_decided_again() -> None:
    phase, [named] = _phase_with_rows((Outcome.MATCHED, ""))
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    row = ReleaseListRow.objects.get(release_list__phase=phase)

    with pytest.raises(PhaseCompletedError, match="completed"):
        resolve_row(
            row=row,
            resolution=Resolution.OTHER_CHOSEN,
            by=make_user(Role.REVIEWER),
            at=DAY,
            version=row.version,
            captive=make_captive(family_name="Інший"),
        )

    assert ReleaseListRow.objects.get(pk=row.pk).captive == named
