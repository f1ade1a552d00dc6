from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Sex
from inquiries.limits import WRONG_PIN_PER_ADDRESS, WRONG_PIN_PER_DEVICE
from inquiries.models import Inquiry
from tests.factories import approve_phase, make_captive, make_matched_list, make_phase, make_user
from workflows.confirmation import propose_confirmation

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


def _file(client: Client) -> tuple[str, str]:
    response = client.post("/inquiries/new/", FORM, follow=True)
    [(address, status)] = response.redirect_chain
    assert (address.split("?")[0], status) == ("/inquiries/filed/", 302)
    text = response.content.decode()
    reference = re.search(r"HC-[0-9A-Z]{4}-[0-9A-Z]{4}", text)
    pin = re.search(r"<strong>(\d{6})</strong>", text)
    assert reference is not None
    assert pin is not None
    return reference.group(0), pin.group(1)


def test_filing_gives_a_reference_and_a_pin_kept_only_hashed() -> None:
    reference, pin = _file(Client())

    inquiry = Inquiry.objects.get(reference=reference)
    assert pin not in inquiry.pin_hash
    assert inquiry.pin_hash.startswith("hmac-sha256$test$")
    assert inquiry.consent_given_at is not None


def test_filing_without_consent_or_contact_saves_nothing() -> None:
    response = Client().post("/inquiries/new/", FORM | {"consent": "", "email": ""})

    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert Inquiry.objects.count() == 0


def test_unverified_inquiry_says_only_received() -> None:
    client = Client()
    reference, pin = _file(client)
    Inquiry.objects.filter(reference=reference).update(state=Inquiry.State.RETURNED)

    response = client.post("/inquiries/status/", {"reference": reference, "pin": pin})

    assert response.status_code == 200
    assert response.context["state"] == Inquiry.State.RECEIVED


def test_wrong_reference_reads_exactly_like_wrong_pin() -> None:
    """To a stranger, tries left included (the relative's own browser counts on a budget of
    its own, ``inquiries.devices``)."""
    reference, pin = _file(Client())
    wrong_pin = "000000" if pin != "000000" else "111111"
    stranger = Client()

    wrong_pin_page = stranger.post("/inquiries/status/", {"reference": reference, "pin": wrong_pin})
    unknown_page = stranger.post("/inquiries/status/", {"reference": "HC-ZZZZ-ZZZZ", "pin": pin})

    assert wrong_pin_page.status_code == unknown_page.status_code == 200
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", wrong_pin_page.content.decode()) == strip.sub(
        "", unknown_page.content.decode().replace("HC-ZZZZ-ZZZZ", reference)
    )
    assert "Не вдалося знайти запит" in unknown_page.content.decode()


def test_reloading_the_receipt_files_nothing_again_and_shows_the_pin_no_more() -> None:
    client = Client(headers={"Accept-Language": "en"})
    reference, pin = _file(client)

    reloaded = client.get(f"/inquiries/filed/?r={reference}").content.decode()

    assert Inquiry.objects.count() == 1
    assert pin not in reloaded
    assert "shown once, when the inquiry was filed" in reloaded


def test_two_inquiries_filed_in_two_tabs_each_show_their_own_pin() -> None:
    client = Client()
    first = client.post("/inquiries/new/", FORM)
    second = client.post("/inquiries/new/", FORM | {"sought_full_name": "Шевченко Іван"})

    pages = [client.get(r["Location"]).content.decode() for r in (second, first)]

    pins = [re.search(r"<strong>(\d{6})</strong>", page) for page in pages]
    assert all(pins)
    assert len({p.group(1) for p in pins if p}) == 2
    assert Inquiry.objects.count() == 2


def test_the_receipt_shows_the_reference_and_pin_before_asking_to_write_them_down() -> None:
    response = Client().post("/inquiries/new/", FORM, follow=True)

    page = html.unescape(response.content.decode())
    reference = re.search(r"HC-[0-9A-Z]{4}-[0-9A-Z]{4}", page)
    pin = re.search(r"<strong>(\d{6})</strong>", page)
    assert reference is not None
    assert pin is not None
    write_down = page.index("Запишіть цей номер запиту і PIN-код зараз")
    assert reference.start() < pin.start() < write_down
    assert "протягом 10 днів" in page  # what happens next, and when
    assert "tracing@homecoming.example" in page


def test_a_received_inquiry_says_what_happens_next_when_and_whom_to_call(settings: Any) -> None:
    settings.TRACING_PHONE = "0 800 000 001"
    settings.TRACING_CALL_BACK_DAYS = 7
    client = Client()
    reference, pin = _file(client)

    page = html.unescape(
        client.post("/inquiries/status/", {"reference": reference, "pin": pin}).content.decode()
    )

    assert "<strong>Отримано</strong>" in page
    assert "зв'яжеться з вами протягом 7 днів від подання запиту" in page
    assert "перевірте її знову після дзвінка фахівця" in page
    assert '<a href="tel:0800000001">0 800 000 001</a>' in page
    assert '<a href="mailto:tracing@homecoming.example">tracing@homecoming.example</a>' in page


def test_a_wrong_pin_says_how_many_tries_are_left_and_then_that_it_was_the_last() -> None:
    reference, pin = _file(Client())
    stranger = Client()
    wrong = "000000" if pin != "000000" else "111111"

    pages = [
        html.unescape(
            stranger.post(
                "/inquiries/status/", {"reference": reference, "pin": wrong}
            ).content.decode()
        )
        for _ in range(WRONG_PIN_PER_ADDRESS.limit)
    ]

    assert "Залишилося ще 4 спроби, після чого сторінку буде заблоковано." in pages[0]
    assert "Залишилася ще 1 спроба" in pages[3]
    assert "Це була остання спроба" in pages[4]
    assert "Загубили PIN-код?" in pages[0]


def test_the_relatives_own_browser_counts_its_own_tries() -> None:
    relative = Client(headers={"Accept-Language": "en"})
    reference, pin = _file(relative)
    wrong = "000000" if pin != "000000" else "111111"

    page = relative.post("/inquiries/status/", {"reference": reference, "pin": wrong})

    left = WRONG_PIN_PER_DEVICE.limit - 1
    assert f"You can try {left} more times before this page locks." in page.content.decode()


@pytest.mark.parametrize(
    ("sex", "state", "sentence"),
    [
        (Sex.FEMALE, "Повернулася додому", "Повернулася додому 23.05.2025, на етапі 1 обміну"),
        (Sex.MALE, "Повернувся додому", "Повернувся додому 23.05.2025, на етапі 1 обміну"),
        (
            Sex.UNKNOWN,
            "Повернення додому підтверджено",
            "Повернення додому підтверджено: 23.05.2025, етап 1 обміну",
        ),
    ],
)
def test_a_return_is_told_to_the_relative_in_the_form_of_the_persons_sex(
    sex: Sex, state: str, sentence: str
) -> None:
    client = Client()
    reference, pin = _file(client)
    person = make_captive(sex=sex, status=Status.LISTED)
    Inquiry.objects.filter(reference=reference).update(
        captive=person,
        verified_at=timezone.now(),
        verification_method="Birth certificate seen",
        disclosable=True,
    )
    phase = make_phase()
    make_matched_list(phase, [person])
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=timezone.now())
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=timezone.now())

    page = html.unescape(
        client.post("/inquiries/status/", {"reference": reference, "pin": pin}).content.decode()
    )

    assert f"<strong>{state}</strong>" in page
    assert sentence in page
    assert "Фахівець з розшуку зателефонує або напише вам про це" in page
