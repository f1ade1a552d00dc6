from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction

from accounts.models import User
from captives.lifecycle import Status
from captives.models import Captive, Side
from exchanges.errors import AlreadyConfirmedError, TransferError
from exchanges.models import Direction, Phase, Transfer
from exchanges.services import confirm_transfer, list_for_phase, record_absence
from tests.factories import make_captive, make_exchange, make_phase, make_provenance

pytestmark = pytest.mark.django_db
DAY_ONE = datetime(2025, 5, 23, 14, 0, tzinfo=UTC)


def test_listing_sets_direction_from_who_holds_the_person(official: User) -> None:
    phase = make_phase()
    ours = make_captive(held_by=Side.THEIRS)
    theirs = make_captive(held_by=Side.OURS, family_name="Иванов", given_name="Иван")

    coming_home = list_for_phase(
        phase=phase, captive=ours, by=official, provenance=make_provenance()
    )
    going_back = list_for_phase(
        phase=phase, captive=theirs, by=official, provenance=make_provenance()
    )

    assert coming_home.direction == Direction.RETURNED
    assert going_back.direction == Direction.HANDED_OVER
    assert Captive.objects.get(pk=ours.pk).status == Status.LISTED


def test_listing_twice_in_one_phase_is_refused(official: User) -> None:
    phase = make_phase()
    captive = make_captive()
    list_for_phase(phase=phase, captive=captive, by=official, provenance=make_provenance())

    with pytest.raises(TransferError, match="already listed"):
        list_for_phase(phase=phase, captive=captive, by=official, provenance=make_provenance())
    assert Transfer.objects.filter(captive=captive).count() == 1


def test_confirming_brings_the_captive_home_with_history(official: User) -> None:
    captive = make_captive()
    transfer = list_for_phase(
        phase=make_phase(), captive=captive, by=official, provenance=make_provenance()
    )

    confirm_transfer(transfer=transfer, by=official, at=DAY_ONE)

    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.CONFIRMED
    assert transfer.confirmed_by == official
    assert transfer.confirmed_at == DAY_ONE
    assert Captive.objects.get(pk=captive.pk).status == Status.RETURNED
    assert [h.state for h in transfer.history.order_by("history_id")] == ["listed", "confirmed"]
    assert transfer.history.order_by("-history_id")[0].history_user == official


def test_a_return_confirmed_after_midnight_in_kyiv_is_dated_that_day(official: User) -> None:
    captive = make_captive()
    transfer = list_for_phase(
        phase=make_phase(), captive=captive, by=official, provenance=make_provenance()
    )

    # 00:30 in Kyiv on 24 May is still 23 May in UTC.
    confirm_transfer(transfer=transfer, by=official, at=datetime(2025, 5, 23, 21, 30, tzinfo=UTC))

    provenance = Captive.objects.get(pk=captive.pk).provenance
    assert provenance is not None
    assert provenance.dated == date(2025, 5, 24)


def test_confirming_the_same_transfer_twice_has_one_effect(official: User) -> None:
    transfer = list_for_phase(
        phase=make_phase(), captive=make_captive(), by=official, provenance=make_provenance()
    )
    confirm_transfer(transfer=transfer, by=official, at=DAY_ONE)

    with pytest.raises(AlreadyConfirmedError):
        confirm_transfer(transfer=transfer, by=official, at=DAY_ONE)
    assert transfer.history.filter(state="confirmed").count() == 1


def test_database_refuses_a_second_return_even_past_the_services(official: User) -> None:
    exchange = make_exchange()
    captive = make_captive()
    first = make_phase(exchange, number=1)
    second = make_phase(exchange, number=2)
    Transfer.objects.create(
        phase=first,
        captive=captive,
        direction=Direction.RETURNED,
        state=Transfer.State.CONFIRMED,
        confirmed_by=official,
        confirmed_at=DAY_ONE,
    )

    with (
        pytest.raises(IntegrityError, match="transfer_confirmed_once_per_captive"),
        transaction.atomic(),
    ):
        Transfer.objects.create(
            phase=second,
            captive=captive,
            direction=Direction.RETURNED,
            state=Transfer.State.CONFIRMED,
            confirmed_by=official,
            confirmed_at=DAY_ONE,
        )
    assert Transfer.objects.filter(captive=captive).count() == 1


def test_confirming_a_person_already_home_keeps_nothing_of_the_second_attempt(
    official: User,
) -> None:
    exchange = make_exchange()
    captive = make_captive()
    first = make_phase(exchange, number=1)
    second = make_phase(exchange, number=2, date=DAY_ONE.date().replace(day=24))
    done = list_for_phase(phase=first, captive=captive, by=official, provenance=make_provenance())
    # A second listing written straight to the table, as a buggy import might: the constraint,
    # not the lifecycle, is what must stop the second return.
    stray = Transfer.objects.create(phase=second, captive=captive, direction=Direction.RETURNED)
    confirm_transfer(transfer=done, by=official, at=DAY_ONE)
    Captive.objects.filter(pk=captive.pk).update(status=Status.LISTED)

    with pytest.raises(AlreadyConfirmedError, match="already been confirmed"):
        confirm_transfer(transfer=stray, by=official, at=DAY_ONE)

    stray.refresh_from_db()
    assert stray.state == Transfer.State.LISTED
    assert Captive.objects.get(pk=captive.pk).status == Status.LISTED
    assert Transfer.objects.filter(captive=captive, state="confirmed").count() == 1


def test_absence_returns_the_person_to_confirmed_captive(official: User) -> None:
    captive = make_captive()
    transfer = list_for_phase(
        phase=make_phase(), captive=captive, by=official, provenance=make_provenance()
    )

    record_absence(
        transfer=transfer, state=Transfer.State.DID_NOT_APPEAR, by=official, reason="Not on the bus"
    )

    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.DID_NOT_APPEAR
    assert Captive.objects.get(pk=captive.pk).status == Status.CONFIRMED_CAPTIVE


def test_nobody_is_added_to_a_completed_phase(official: User) -> None:
    phase = make_phase(state=Phase.State.COMPLETED)
    with pytest.raises(TransferError, match="completed"):
        list_for_phase(
            phase=phase, captive=make_captive(), by=official, provenance=make_provenance()
        )
