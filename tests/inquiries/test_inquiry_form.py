"""The relative's inquiry form: each mistake said once, in the page's language, by its field."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from inquiries.forms import InquiryForm
from inquiries.models import Inquiry

pytestmark = pytest.mark.django_db

FORM = {
    "relative_name": "Марія Шевченко",
    "relationship": "mother",
    "email": "maria@example.org",
    "phone": "",
    "sought_full_name": "Шевченко Андрій Петрович",
    "sought_birth_date": "1998-02-11",
    "consent": "on",
}
NO_CONTACT_UK = "Вкажіть електронну пошту або телефон, або обидва."


def test_no_way_to_reach_the_relative_is_said_once_in_ukrainian() -> None:
    response = Client().post("/inquiries/new/", FORM | {"email": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(NO_CONTACT_UK) == 1
    assert "inquiry_has_contact" not in page
    assert not Inquiry.objects.exists()


def test_an_invalid_email_gets_only_its_own_error() -> None:
    response = Client().post("/inquiries/new/", FORM | {"email": "maria@"})

    form = response.context["form"]
    assert list(form.errors) == ["email"]
    assert NO_CONTACT_UK not in response.content.decode()


def test_dates_in_the_future_are_refused_beside_their_fields_in_ukrainian() -> None:
    response = Client().post(
        "/inquiries/new/",
        FORM | {"sought_birth_date": "2999-01-01", "last_known_date": "2998-06-01"},
    )

    form = response.context["form"]
    assert form.errors == {
        "sought_birth_date": ["Ця дата ще не настала."],
        "last_known_date": ["Ця дата ще не настала."],
    }
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    ("born", "valid"), [("2026-11-05", True), ("2026-11-06", False)], ids=["today", "tomorrow"]
)
def test_the_date_of_birth_may_be_today_at_the_latest(born: str, valid: bool) -> None:
    form = InquiryForm(FORM | {"sought_birth_date": born}, today=date(2026, 11, 5))

    assert form.is_valid() is valid
