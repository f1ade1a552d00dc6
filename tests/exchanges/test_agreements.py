"""record_exchange: the one way an agreement is written, whoever writes it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from exchanges.agreements import record_exchange
from exchanges.models import Exchange
from tests.factories import make_exchange, make_phase

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 10)


def _record(exchange: Exchange, by: User) -> Exchange:
    return record_exchange(exchange=exchange, by=by, reason="Test", today=TODAY)


def test_a_new_agreement_is_saved_with_its_history_row(official: User) -> None:
    exchange = Exchange(name="84 for 84", agreed_on=date(2025, 6, 1), agreed_returned_servicemen=84)

    _record(exchange, official)

    recorded = Exchange.objects.get().history.get()
    assert (recorded.name, recorded.history_user, recorded.history_change_reason) == (
        "84 for 84",
        official,
        "Test",
    )


def test_the_model_rules_hold_without_a_form(official: User) -> None:
    exchange = Exchange(name="", agreed_on=date(2025, 6, 1), agreed_returned_civilians=-1)

    with pytest.raises(ValidationError) as refused:
        _record(exchange, official)

    assert set(refused.value.message_dict) == {"name", "agreed_returned_civilians"}
    assert not Exchange.objects.exists()


def test_an_agreement_may_be_recorded_on_the_day_it_was_made_but_not_before(
    official: User,
) -> None:
    _record(Exchange(name="Today", agreed_on=TODAY), official)

    with pytest.raises(ValidationError, match="in the future"):
        _record(Exchange(name="Tomorrow", agreed_on=date(2025, 6, 11)), official)
    assert list(Exchange.objects.values_list("name", flat=True)) == ["Today"]


def test_every_refusal_of_an_edit_is_told_at_once_and_nothing_is_kept(official: User) -> None:
    exchange = make_exchange()
    make_phase(exchange, declared_returned_servicemen=270, declared_handed_over_civilians=120)
    exchange.venue = "Geneva"
    exchange.agreed_on = date(2025, 5, 30)
    exchange.agreed_returned_servicemen = 0
    exchange.agreed_handed_over_civilians = 119

    with pytest.raises(ValidationError) as refused:
        _record(exchange, official)

    assert set(refused.value.message_dict) == {
        "agreed_on",
        "agreed_returned_servicemen",
        "agreed_handed_over_civilians",
    }
    stored = Exchange.objects.get(pk=exchange.pk)
    assert (stored.venue, stored.history.count()) == ("Istanbul", 1)


def test_the_phases_declared_counts_add_up_across_phases(official: User) -> None:
    exchange = make_exchange(agreed_returned_servicemen=700)
    make_phase(exchange, number=1, declared_returned_servicemen=270)
    make_phase(exchange, number=2, date=date(2025, 5, 24), declared_returned_servicemen=200)
    exchange.agreed_returned_servicemen = 469

    with pytest.raises(ValidationError, match="less than 470"):
        _record(exchange, official)


def test_an_old_agreement_below_its_phases_may_still_have_its_venue_corrected(
    official: User,
) -> None:
    """Counts recorded before the rule are not the official's doing: only what an edit changes
    is judged."""
    exchange = make_exchange(agreed_returned_servicemen=0)
    make_phase(exchange, declared_returned_servicemen=270)
    exchange.venue = "Istanbul, Türkiye"

    _record(exchange, official)

    assert Exchange.objects.get(pk=exchange.pk).venue == "Istanbul, Türkiye"


def test_an_edit_that_changes_nothing_writes_no_history(official: User) -> None:
    exchange = make_exchange()

    _record(Exchange.objects.get(pk=exchange.pk), official)

    assert exchange.history.count() == 1
