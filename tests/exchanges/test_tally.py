from __future__ import annotations

import pytest

from accounts.models import User
from captives.models import Category, Side
from exchanges.models import Transfer
from exchanges.services import list_for_phase, record_absence
from exchanges.tally import Tally
from tests.factories import make_captive, make_exchange, make_phase, make_provenance


def test_tally_arithmetic_and_totals() -> None:
    declared = Tally(270, 120, 270, 120)
    named = Tally(268, 120, 270, 119)

    assert declared.returned == 390
    assert declared.handed_over == 390
    assert declared - named == Tally(2, 0, 0, 1)
    assert (declared - declared).is_zero()
    assert named + Tally(2, 0, 0, 1) == declared


@pytest.mark.django_db
def test_phase_shows_declared_beside_derived_and_the_discrepancy(official: User) -> None:
    phase = make_phase(
        declared_returned_servicemen=2,
        declared_returned_civilians=1,
        declared_handed_over_servicemen=1,
        declared_handed_over_civilians=0,
    )
    for category, side in [
        (Category.SERVICEMAN, Side.THEIRS),
        (Category.SERVICEMAN, Side.THEIRS),
        (Category.SERVICEMAN, Side.OURS),
        (Category.CIVILIAN, Side.OURS),
    ]:
        captive = make_captive(category=category, held_by=side)
        list_for_phase(phase=phase, captive=captive, by=official, provenance=make_provenance())
    absent = phase.transfers.filter(direction="returned").first()
    assert absent is not None
    record_absence(transfer=absent, state=Transfer.State.DECLINED, by=official, reason="Declined")

    assert phase.declared() == Tally(2, 1, 1, 0)
    assert phase.derived() == Tally(1, 0, 1, 1)
    assert phase.discrepancy() == Tally(1, 1, 0, -1)


@pytest.mark.django_db
def test_exchange_progress_adds_up_its_phases(official: User) -> None:
    exchange = make_exchange()
    for number in (1, 2):
        phase = make_phase(exchange, number=number)
        list_for_phase(
            phase=phase, captive=make_captive(), by=official, provenance=make_provenance()
        )

    assert exchange.derived() == Tally(returned_servicemen=2)
    assert exchange.agreed().returned == 1000


@pytest.mark.django_db
def test_phase_before_its_agreement_is_refused_naming_the_date_field() -> None:
    from datetime import date

    from django.core.exceptions import ValidationError

    phase = make_phase(date=date(2025, 5, 23))
    phase.date = date(2025, 5, 1)

    with pytest.raises(ValidationError) as refused:
        phase.full_clean()
    assert "date" in refused.value.message_dict
