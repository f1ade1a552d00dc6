"""A name of hundreds of words, through every way a person can type one: the inquiry form, the
partners' API, the officials' search (page and API) and a release list. Each is refused naming
the field (or kept as an unreadable line), and a stored one that predates the limit costs the
engine a bounded number of readings. Work is counted, never timed."""

from __future__ import annotations

import html
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from accounts.tokens import SCOPES
from captives.matching import MAX_NAME_WORDS, RegistryIndex
from captives.matching.readings import MAX_READINGS
from captives.queries import search_registry
from exchanges.models import ReleaseList
from exchanges.reconciliation import receive_release_list
from inquiries.matching import rematch_open_inquiries
from inquiries.models import Inquiry
from tests.api.conftest import Partner, is_problem
from tests.factories import make_captive, make_phase, sign_in

pytestmark = pytest.mark.django_db

# The sought name that held a web worker for 27.6 s: 10 "-ович" words and 70 two-letter ones.
TWO_LETTERS = [a + b for a in "абвгдежзи" for b in "клмнопрс"]
HOSTILE = " ".join([f"{w.title()}ович" for w in TWO_LETTERS[:10]] + TWO_LETTERS[:70])
LONGEST = "Шевченко Бойко Олександр Андрій Петрович Гусейн огли Іванович"  # MAX_NAME_WORDS words
REFUSED_UK = f"Ім'я має щонайбільше {MAX_NAME_WORDS} слів."
FORM = {
    "relative_name": "Марія Шевченко",
    "relationship": "mother",
    "email": "maria@example.org",
    "phone": "",
    "sought_birth_date": "1998-02-11",
    "consent": "on",
}


@pytest.fixture
def readings_looked_up(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many readings of names the engine looked up in the index (a spy on the real one)."""
    counted: Counter[str] = Counter()
    lookup = RegistryIndex.candidates

    def candidates(self: RegistryIndex, readings: tuple[Any, ...], *a: Any, **k: Any) -> Any:
        counted["readings"] += len(readings)
        counted["lookups"] += 1
        return lookup(self, readings, *a, **k)

    monkeypatch.setattr(RegistryIndex, "candidates", candidates)
    return counted


def test_the_inquiry_form_refuses_a_name_of_too_many_words_beside_its_field() -> None:
    response = Client().post("/inquiries/new/", FORM | {"sought_full_name": HOSTILE})

    assert response.status_code == 200
    assert response.context["form"].errors == {"sought_full_name": [REFUSED_UK]}
    assert not Inquiry.objects.exists()


def test_the_inquiry_form_files_a_name_of_the_most_words() -> None:
    assert len(LONGEST.split()) == MAX_NAME_WORDS
    assert (len(HOSTILE), len(HOSTILE.split())) == (279, 80)

    response = Client().post("/inquiries/new/", FORM | {"sought_full_name": LONGEST})

    assert response.status_code == 302
    assert Inquiry.objects.get().sought_full_name == LONGEST


def test_the_api_refuses_a_sought_name_of_too_many_words_naming_the_field() -> None:
    partner = Partner("ministry", SCOPES)
    body = {key: value for key, value in FORM.items() if key != "consent"}

    response = partner.post(
        "/api/v1/inquiries/", body | {"sought_full_name": HOSTILE, "consent": True}
    )

    assert is_problem(response, 422)  # a rule beyond the schema's length
    assert list(response.json()["errors"]) == ["sought_full_name"]
    assert not Inquiry.objects.exists()


def test_the_search_page_says_why_it_finds_nobody_and_looks_nobody_up(
    official: User, readings_looked_up: Counter[str]
) -> None:
    make_captive(family_name="Акович")
    client = Client()
    sign_in(client, official)

    response = client.get("/registry/", {"q": HOSTILE})

    assert response.status_code == 200
    assert REFUSED_UK in html.unescape(response.content.decode())
    assert response.context["results"] == []
    assert search_registry(HOSTILE) == []
    assert readings_looked_up["lookups"] == 0


def test_the_registry_api_refuses_a_search_of_too_many_words_naming_q() -> None:
    partner = Partner("ministry", SCOPES)

    response = partner.get("/api/v1/captives/?q=" + "+".join(HOSTILE.split()[:20]))

    assert is_problem(response, 422)
    assert list(response.json()["errors"]) == ["q"]


def test_a_list_row_of_too_many_words_is_kept_as_an_unreadable_line(
    official: User, readings_looked_up: Counter[str]
) -> None:
    data = f"№;ПІБ\n1;Гнатюк Дмитро Юрійович\n2;{HOSTILE}\n3;Коваль Іван\n".encode()

    release_list, _ = receive_release_list(
        phase=make_phase(),
        data=data,
        filename="list.csv",
        received_on=date(2025, 5, 21),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=official,
    )

    assert release_list.rows_total == 2
    assert release_list.unreadable == [{"line": 2, "code": "too_long", "value": ""}]
    assert readings_looked_up["lookups"] == 0  # the line never reaches the engine


def test_a_stored_name_from_before_the_limit_costs_the_engine_a_bounded_number_of_readings(
    readings_looked_up: Counter[str],
) -> None:
    make_captive(family_name="Акович", given_name="ал")
    Inquiry.objects.create(
        reference="HC-T000-0000",
        pin_hash="x",
        relative_name="Марія",
        relationship="mother",
        email="m@example.org",
        consent_given_at=datetime(2025, 5, 1, tzinfo=UTC),
        sought_full_name=HOSTILE,
    )

    rematch_open_inquiries(at=datetime(2025, 5, 2, tzinfo=UTC))

    assert 0 < readings_looked_up["readings"] <= readings_looked_up["lookups"] * MAX_READINGS
    assert readings_looked_up["lookups"] <= 3  # one per search stage
