from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import User
from exchanges.models import Phase
from tests.factories import make_exchange, make_phase, sign_in

pytestmark = pytest.mark.django_db

VALID = {
    "number": "1",
    "date": "2025-05-23",
    "place": "Belarus-Ukraine border",
    "state": "planned",
    "returned_total": "390",
    "declared_returned_servicemen": "270",
    "declared_returned_civilians": "120",
    "handed_over_total": "390",
    "declared_handed_over_servicemen": "270",
    "declared_handed_over_civilians": "120",
}


def _post(user: User, url: str, data: dict[str, str]) -> object:
    client = Client()
    sign_in(client, user)
    return client.post(url, data)


def test_official_records_a_phase_with_history(official: User) -> None:
    exchange = make_exchange()

    response = _post(official, f"/exchanges/{exchange.pk}/phases/new/", VALID)

    phase = Phase.objects.get(exchange=exchange)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert phase.declared().returned == 390
    assert phase.history.get().history_user == official


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"returned_total": "391"}, "returned_total"),
        ({"date": "2025-05-01"}, "date"),
        ({"declared_handed_over_civilians": "-1"}, "declared_handed_over_civilians"),
        ({"date": ""}, "date"),
    ],
    ids=["categories-do-not-add-up", "before-the-agreement", "negative", "no-date"],
)
def test_invalid_phase_is_refused_next_to_its_field_and_nothing_is_saved(
    official: User, change: dict[str, str], field: str
) -> None:
    exchange = make_exchange()

    response = _post(official, f"/exchanges/{exchange.pk}/phases/new/", VALID | change)

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert field in response.context["form"].errors  # type: ignore[attr-defined]
    assert not Phase.objects.filter(exchange=exchange).exists()


def test_a_second_phase_with_the_same_number_is_refused(official: User) -> None:
    exchange = make_exchange()
    _post(official, f"/exchanges/{exchange.pk}/phases/new/", VALID)

    response = _post(official, f"/exchanges/{exchange.pk}/phases/new/", VALID)

    assert response.context["form"].errors  # type: ignore[attr-defined]
    assert Phase.objects.filter(exchange=exchange).count() == 1


def test_the_form_cannot_complete_a_phase_only_two_officials_can(official: User) -> None:
    exchange = make_exchange()

    response = _post(
        official, f"/exchanges/{exchange.pk}/phases/new/", VALID | {"state": "completed"}
    )

    assert "state" in response.context["form"].errors  # type: ignore[attr-defined]
    assert not Phase.objects.filter(exchange=exchange).exists()


def test_a_completed_phase_stays_completed_when_its_form_is_saved(official: User) -> None:
    exchange = make_exchange()
    _post(official, f"/exchanges/{exchange.pk}/phases/new/", VALID)
    phase = Phase.objects.get(exchange=exchange)
    Phase.objects.filter(pk=phase.pk).update(state=Phase.State.COMPLETED)

    _post(official, f"/exchanges/phases/{phase.pk}/edit/", VALID | {"place": "Sumy region"})

    phase.refresh_from_db()
    assert (phase.state, phase.place) == (Phase.State.COMPLETED, "Sumy region")


def test_phase_number_zero_is_refused_beside_the_field_without_the_constraints_name(
    official: User,
) -> None:
    exchange = make_exchange()
    client = Client()
    sign_in(client, official)

    blank = client.get(f"/exchanges/{exchange.pk}/phases/new/").content.decode()
    response = client.post(f"/exchanges/{exchange.pk}/phases/new/", VALID | {"number": "0"})

    page = response.content.decode()
    assert re.search(r'<input type="number" name="number"[^>]* min="1"', blank)
    assert list(response.context["form"].errors) == ["number"]
    assert len(response.context["form"].errors["number"]) == 1
    assert "phase_number_positive" not in page
    assert not Phase.objects.filter(exchange=exchange).exists()


def test_a_phase_without_a_place_shows_its_state_without_a_stray_separator(
    official: User,
) -> None:
    phase = make_phase(place="")
    client = Client()
    sign_in(client, official)

    page = client.get(f"/exchanges/phases/{phase.pk}/").content.decode()

    assert "<p>Триває · " in page  # the state first, then the edit link


def test_phases_may_not_declare_together_more_than_their_agreement(official: User) -> None:
    exchange = make_exchange(agreed_returned_civilians=200)
    _post(official, f"/exchanges/{exchange.pk}/phases/new/", VALID)  # 120 civilians of 200
    second = VALID | {"number": "2", "date": "2025-05-24"}

    response = _post(official, f"/exchanges/{exchange.pk}/phases/new/", second)

    errors = response.context["form"].errors  # type: ignore[attr-defined]
    assert list(errors) == ["declared_returned_civilians"]
    assert "240" in errors["declared_returned_civilians"][0]  # 120 + 120 of the 200 agreed
    assert Phase.objects.filter(exchange=exchange).count() == 1
