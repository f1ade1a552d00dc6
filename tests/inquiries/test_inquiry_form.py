"""The relative's inquiry form: each mistake said once, in the page's language, by its field."""

from __future__ import annotations

import html
import re
from datetime import date
from html.parser import HTMLParser

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


class _Inputs(HTMLParser):
    """Each element's attributes by id, the ids in order, and the text of the labels."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.order: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.by_id[str(found["id"])] = found | {"tag": tag}
            self.order.append(str(found["id"]))
        if tag == "a" and (found.get("href") or "").startswith("#"):
            self.links.append(str(found["href"])[1:])


def _parsed(page: str) -> _Inputs:
    parsed = _Inputs()
    parsed.feed(page)
    return parsed


def test_the_browser_may_fill_in_the_relatives_own_details_and_nothing_of_the_person_sought() -> (
    None
):
    inputs = _parsed(Client().get("/inquiries/new/").content.decode()).by_id

    assert inputs["id_relative_name"]["autocomplete"] == "name"
    assert (inputs["id_email"]["type"], inputs["id_email"]["autocomplete"]) == ("email", "email")
    assert (inputs["id_phone"]["type"], inputs["id_phone"]["autocomplete"]) == ("tel", "tel")
    for sought in ("id_sought_full_name", "id_sought_birth_date", "id_sought_service_number"):
        assert inputs[sought]["autocomplete"] == "off", sought


def test_the_pin_asks_for_digits_and_is_never_kept_by_the_browser() -> None:
    inputs = _parsed(Client().get("/inquiries/status/").content.decode()).by_id

    pin = inputs["id_pin"]
    assert (pin["type"], pin["inputmode"], pin["pattern"]) == ("password", "numeric", "[0-9]*")
    assert pin["autocomplete"] == "off"
    assert inputs["id_reference"]["autocomplete"] == "off"


def test_required_fields_are_marked_before_anything_is_sent_and_the_mark_explained_once() -> None:
    page = Client().get("/inquiries/new/").content.decode()

    inputs = _parsed(page).by_id
    assert page.count("Поля, позначені *, обов'язкові.") == 1
    for name in ("relative_name", "relationship", "sought_full_name", "consent"):
        assert "required" in inputs[f"id_{name}"], name
        assert re.search(rf'<label for="id_{name}">[^<]*<span class="required"', page), name
    assert "required" not in inputs["id_phone"]
    assert not re.search(r'<label for="id_phone">[^<]*<span class="required"', page)


def test_a_form_sent_back_opens_on_a_summary_that_links_each_mistake_to_its_field() -> None:
    page = html.unescape(
        Client().post("/inquiries/new/", FORM | {"email": "maria@"}).content.decode()
    )

    parsed = _parsed(page)
    heading = parsed.by_id["form-errors"]
    assert (heading["tag"], heading["tabindex"]) == ("h2", "-1")
    assert "autofocus" in heading
    assert parsed.order.index("form-errors") < parsed.order.index("id_relative_name")
    assert parsed.links == ["main", "id_email"]  # the skip link, and the one mistake
    assert "Електронна пошта: Введіть коректну адресу електронної пошти." in page
    assert re.search(r'<div class="error-summary" role="alert">', page)


def test_a_mistake_of_the_whole_form_is_in_the_summary_once() -> None:
    page = Client().post("/inquiries/new/", FORM | {"email": ""}).content.decode()

    start = page.index('class="error-summary"')
    summary = page[start : page.index("</ul>", start)]
    assert NO_CONTACT_UK in summary
    assert page.count(NO_CONTACT_UK) == 1


def test_consent_not_given_says_what_to_do_in_the_summary() -> None:
    page = html.unescape(Client().post("/inquiries/new/", FORM | {"consent": ""}).content.decode())

    assert '<a href="#id_consent">Поставте позначку, щоб надіслати запит' in page
