"""A completed phase is the record of a day that happened: editing it corrects only its place."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from accounts.models import User
from accounts.roles import Role
from exchanges.errors import PhaseCompletedError
from exchanges.models import Phase
from exchanges.services import record_phase
from tests.factories import approve_phase, make_captive, make_matched_list, make_phase, make_user
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
DAY = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)


def _completed() -> Phase:
    phase = make_phase(date=date(2025, 5, 23), declared_returned_servicemen=1)
    make_matched_list(phase, [make_captive()])
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    return Phase.objects.get(pk=phase.pk)


@pytest.mark.parametrize(
    ("field", "value"),
    [("date", date(2025, 6, 30)), ("declared_returned_servicemen", 5), ("number", 2)],
)
def test_a_completed_phase_keeps_its_date_number_and_counts(
    official: User, field: str, value: object
) -> None:
    # Found by the exchange day's state machine: a phase approved on its day, then moved to a
    # later date, said its people came home on a day still to come.
    phase = _completed()
    edited = Phase.objects.get(pk=phase.pk)
    setattr(edited, field, value)

    with pytest.raises(PhaseCompletedError, match="only its place"):
        record_phase(phase=edited, by=official, reason="Phase updated.", fields=[field])

    assert Phase.objects.get(pk=phase.pk).history.count() == phase.history.count()
    assert getattr(Phase.objects.get(pk=phase.pk), field) == getattr(phase, field)


def test_a_completed_phases_place_can_still_be_corrected(
    official: User,
) -> None:
    phase = _completed()
    edited = Phase.objects.get(pk=phase.pk)
    edited.place = "Sumy region"

    record_phase(phase=edited, by=official, reason="Phase updated.")

    assert Phase.objects.get(pk=phase.pk).place == "Sumy region"
