"""Recording and editing a phase: its state, its proposal and its approval are the
confirmation's alone, whichever page or system saves it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accounts.models import User
from accounts.roles import Role
from config.errors import DomainError
from exchanges.errors import PhaseCompletedError
from exchanges.models import Phase
from exchanges.services import record_phase
from tests.factories import approve_phase, make_captive, make_matched_list, make_phase, make_user
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
DAY = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)


def _proposed() -> Phase:
    phase = make_phase()
    make_matched_list(phase, [make_captive()])
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    return phase


def test_a_phase_saved_from_a_page_loaded_before_the_proposal_keeps_the_proposal(
    official: User,
) -> None:
    phase = make_phase()
    make_matched_list(phase, [make_captive()])
    loaded = Phase.objects.get(pk=phase.pk)
    proposer = make_user(Role.OFFICIAL)
    propose_confirmation(phase=phase, by=proposer, at=DAY)

    loaded.place = "Sumy region"
    record_phase(phase=loaded, by=official, reason="Phase updated.")

    stored = Phase.objects.get(pk=phase.pk)
    assert (stored.place, stored.proposed_by, stored.proposed_at) == ("Sumy region", proposer, DAY)


def test_a_page_loaded_before_the_confirmation_cannot_reopen_the_phase(official: User) -> None:
    phase = _proposed()
    loaded = Phase.objects.get(pk=phase.pk)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)

    loaded.place = "Sumy region"
    with pytest.raises(PhaseCompletedError, match="completed"):
        record_phase(phase=loaded, by=official, reason="Phase updated.")

    stored = Phase.objects.get(pk=phase.pk)
    assert (stored.state, stored.place) == (Phase.State.COMPLETED, phase.place)
    assert stored.approved_by is not None


def test_saving_a_phase_never_completes_it(official: User) -> None:
    phase = _proposed()

    phase.state = Phase.State.COMPLETED
    with pytest.raises(DomainError, match="two officials"):
        record_phase(phase=phase, by=official, reason="Phase updated.")

    assert Phase.objects.get(pk=phase.pk).state == Phase.State.UNDER_WAY
