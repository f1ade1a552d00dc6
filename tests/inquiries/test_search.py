"""Caseworkers search the inquiries: by reference code, or by the name of the person sought or
of the relative, in any script; nobody else may."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.roles import Role
from inquiries.models import Inquiry
from tests.factories import make_user, sign_in

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 3, 1, tzinfo=UTC)


def _inquiry(reference: str, sought: str, relative: str, **extra: object) -> Inquiry:
    fields: dict[str, object] = {
        "reference": reference,
        "pin_hash": "x",
        "relative_name": relative,
        "relationship": "mother",
        "email": "family@example.org",
        "consent_given_at": NOW,
        "sought_full_name": sought,
    }
    return Inquiry.objects.create(**(fields | extra))


@pytest.fixture
def inquiries() -> list[Inquiry]:
    return [
        _inquiry(
            "HC-AAAA-BBBB",
            "Hnatiuk Dmytro Yuriiovych",
            "Mariia Hnatiuk",
            sought_birth_date=date(1998, 12, 3),
        ),
        _inquiry("HC-CCCC-DDDD", "Бондаренко Ігор Петрович", "Оксана Бондаренко"),
        _inquiry("HC-EEEE-FFFF", "Шевчук Андрій Олегович", "Ніна Коваль"),
    ]


def _search(query: str, role: Role = Role.CASEWORKER) -> tuple[int, str]:
    client = Client()
    sign_in(client, make_user(role))
    response = client.get("/inquiries/", {"q": query})
    return response.status_code, response.content.decode()


def _references(body: str, inquiries: list[Inquiry]) -> list[str]:
    return [i.reference for i in inquiries if f">{i.reference}</a>" in body]


@pytest.mark.parametrize("typed", ["HC-CCCC-DDDD", "hc-cccc-dddd", "ccccdddd", " CCCC-DDDD "])
def test_a_reference_finds_its_inquiry(inquiries: list[Inquiry], typed: str) -> None:
    status, body = _search(typed)

    assert status == 200
    assert _references(body, inquiries) == ["HC-CCCC-DDDD"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Гнатюк Дмитро", "HC-AAAA-BBBB"),  # written in Latin by the relative
        ("Bondarenko Ihor", "HC-CCCC-DDDD"),  # written in Cyrillic
        ("Бондаренко Игорь", "HC-CCCC-DDDD"),  # the Russian form of the given name
        ("Шевчук", "HC-EEEE-FFFF"),
        ("Гнатюк 03.12.1998", "HC-AAAA-BBBB"),
    ],
)
def test_the_name_of_the_person_sought_finds_the_inquiry_in_any_script(
    inquiries: list[Inquiry], typed: str, found: str
) -> None:
    _, body = _search(typed)

    assert _references(body, inquiries) == [found]


def test_the_relatives_name_finds_the_inquiry(inquiries: list[Inquiry]) -> None:
    _, body = _search("Коваль Ніна")

    assert _references(body, inquiries) == ["HC-EEEE-FFFF"]


def test_a_search_that_names_nobody_says_so(inquiries: list[Inquiry]) -> None:
    _, body = _search("Зайченко Аркадій")

    assert _references(body, inquiries) == []
    assert "Жоден запит не відповідає." in body


def test_a_new_inquiry_is_found_at_once(inquiries: list[Inquiry]) -> None:
    _search("Шевчук")  # the index of the inquiries is built
    _inquiry("HC-GGGG-HHHH", "Мельник Тарас Богданович", "Олена Мельник")

    _, body = _search("Мельник Тарас")

    assert "HC-GGGG-HHHH" in body


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.CASEWORKER, True), (Role.ADMINISTRATOR, True), (Role.REVIEWER, False)],
)
def test_only_those_who_handle_inquiries_may_search_them(
    inquiries: list[Inquiry], role: Role, allowed: bool
) -> None:
    status, body = _search("Бондаренко", role)

    assert (status == 200) is allowed
    assert ("HC-CCCC-DDDD" in body) is allowed
