from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Sex
from inquiries.models import Inquiry
from inquiries.services import find_inquiry, public_state, suggested_captives
from tests.factories import make_captive, make_user, sign_in

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture
def caseworker() -> User:
    return make_user(Role.CASEWORKER)


def _inquiry(**extra: object) -> Inquiry:
    fields: dict[str, object] = {
        "reference": "HC-AAAA-BBBB",
        "pin_hash": "x",
        "relative_name": "Mariia Hnatiuk",
        "relationship": "mother",
        "email": "maria@example.org",
        "consent_given_at": NOW,
        "sought_full_name": "Hnatiuk Dmytro Yuriiovych",
        "sought_birth_date": date(1998, 12, 3),
    }
    return Inquiry.objects.create(**(fields | extra))


def test_an_inquiry_written_in_latin_finds_the_person_registered_in_cyrillic() -> None:
    wanted = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    make_captive(family_name="Гнатюк", given_name="Тарас", patronymic="Іванович")

    suggestions = suggested_captives(_inquiry())

    assert suggestions[0][0] == wanted


def test_caseworker_links_verifies_and_then_the_relative_sees_progress(caseworker: User) -> None:
    wanted = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    inquiry = _inquiry()
    client = Client()
    sign_in(client, caseworker)
    url = f"/inquiries/{inquiry.reference}/"

    assert "Гнатюк Дмитро Юрійович" in client.get(url).content.decode()
    client.post(url, {"action": "link", "captive": str(wanted.public_id)})
    inquiry.refresh_from_db()
    assert (inquiry.captive, public_state(inquiry)) == (wanted, Inquiry.State.RECEIVED)

    client.post(url, {"action": "verify", "method": "Birth certificate seen"})
    inquiry.refresh_from_db()
    assert inquiry.verified_by == caseworker
    assert public_state(inquiry) == Inquiry.State.BEING_TRACED
    assert [h.history_user for h in inquiry.history.order_by("history_id")][-2:] == [
        caseworker,
        caseworker,
    ]


def test_verification_needs_a_method_and_nothing_is_saved_without_it(caseworker: User) -> None:
    inquiry = _inquiry()
    client = Client()
    sign_in(client, caseworker)

    client.post(f"/inquiries/{inquiry.reference}/", {"action": "verify", "method": " "})

    assert Inquiry.objects.get(pk=inquiry.pk).verified_at is None


def test_only_caseworkers_open_an_inquiry(caseworker: User) -> None:
    inquiry = _inquiry()
    for role, expected in ((Role.CASEWORKER, 200), (Role.OFFICIAL, 403), (Role.REVIEWER, 403)):
        client = Client()
        sign_in(client, make_user(role))
        assert client.get(f"/inquiries/{inquiry.reference}/").status_code == expected
    assert Client().get(f"/inquiries/{inquiry.reference}/").status_code == 302
    assert find_inquiry(reference=inquiry.reference, pin="000000") is None


def test_a_second_relative_asking_for_the_same_person_is_linked_not_duplicated() -> None:
    client = Client()
    first = {
        "relative_name": "Марія Гнатюк",
        "relationship": "mother",
        "email": "m@example.org",
        "sought_full_name": "Гнатюк Дмитро Юрійович",
        "sought_birth_date": "1998-12-03",
        "consent": "on",
    }
    second = first | {
        "relative_name": "Oksana Hnatiuk",
        "relationship": "wife",
        "email": "o@example.org",
        "sought_full_name": "Hnatiuk Dmytro",
    }
    stranger = first | {
        "sought_full_name": "Гнатюк Тарас Іванович",
        "sought_birth_date": "1970-01-01",
    }

    for form in (first, second, stranger):
        assert client.post("/inquiries/new/", form).status_code == 302

    by_name = {i.relative_name + i.sought_full_name: i for i in Inquiry.objects.all()}
    original = by_name["Марія ГнатюкГнатюк Дмитро Юрійович"]
    assert by_name["Oksana HnatiukHnatiuk Dmytro"].same_person_as == original
    assert by_name["Марія ГнатюкГнатюк Тарас Іванович"].same_person_as is None
    assert Inquiry.objects.count() == 3  # every relative keeps their own reference and PIN


def test_the_caseworker_sees_the_last_known_date_and_place_the_relative_gave(
    caseworker: User,
) -> None:
    inquiry = _inquiry(
        last_known_date=date(2024, 2, 17),
        last_known_place="Авдіївка",
        sought_service_number="АА123456",
    )
    client = Client()
    sign_in(client, caseworker)

    page = client.get(f"/inquiries/{inquiry.reference}/").content.decode()

    assert "<dt>Остання відома дата</dt><dd>17.02.2024</dd>" in page
    assert "<dd>Авдіївка</dd>" in page
    assert "<dd>АА123456</dd>" in page


def test_a_womans_return_reads_in_the_feminine_on_the_caseworkers_pages(caseworker: User) -> None:
    daughter = make_captive(given_name="Олена", sex=Sex.FEMALE, status=Status.RETURNED)
    inquiry = _inquiry(captive=daughter, state=Inquiry.State.RETURNED)
    client = Client()
    sign_in(client, caseworker)

    detail = client.get(f"/inquiries/{inquiry.reference}/").content.decode()
    listed = client.get("/inquiries/").content.decode()

    assert "<dd>Повернулася додому</dd>" in detail  # the inquiry's state
    assert "— Повернулася додому</p>" in detail  # the registry person's status
    assert ">Повернулася додому</td>" in listed
    assert "Повернувся" not in detail + listed


def test_before_a_link_the_person_sought_is_spoken_of_without_a_sex(caseworker: User) -> None:
    inquiry = _inquiry(state=Inquiry.State.RETURNED)  # as the state machine never leaves it

    assert inquiry.sought_sex == Sex.UNKNOWN
    with translation.override("uk"):
        assert inquiry.state_label == "Повернення додому підтверджено"
