"""Officials' systems edit phases (``phases:write``); completing one is not theirs to do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accounts.roles import Role
from exchanges.models import Phase
from tests.api.conftest import Partner, World, is_problem
from tests.factories import approve_phase, make_matched_list, make_user
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
DAY = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)


def _completed(world: World) -> Phase:
    make_matched_list(world.phase, [world.captive])
    propose_confirmation(phase=world.phase, by=make_user(Role.OFFICIAL), at=DAY)
    approve_phase(phase=world.phase, by=make_user(Role.OFFICIAL), at=DAY)
    return Phase.objects.get(pk=world.phase.pk)


@pytest.mark.parametrize("state", ["planned", "under_way"])
def test_a_completed_phase_cannot_be_reopened_though_its_place_can_be_corrected(
    partner: Partner, world: World, state: str
) -> None:
    phase = _completed(world)

    reopened = partner.patch(f"/api/v1/phases/{phase.pk}/", {"state": state})
    corrected = partner.patch(f"/api/v1/phases/{phase.pk}/", {"place": "Sumy region"})

    assert is_problem(reopened, 409)
    assert "завершено" in reopened.json()["detail"]  # "completed", in Ukrainian
    assert corrected.status_code == 200
    stored = Phase.objects.get(pk=phase.pk)
    assert (stored.state, stored.place) == (Phase.State.COMPLETED, "Sumy region")
    assert (stored.proposed_by, stored.approved_by) == (phase.proposed_by, phase.approved_by)
