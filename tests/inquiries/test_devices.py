"""Wrong PINs counted as OWASP's device cookies count them, against the real Redis: strangers
lock out strangers, never the relative's own browser, and the PIN space stays guarded."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core import signing
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings

from inquiries import devices
from inquiries.limits import (
    STATUS_PER_IP,
    WRONG_PIN_PER_ADDRESS,
    WRONG_PIN_PER_DEVICE,
    WRONG_PIN_PER_REFERENCE,
)
from tests.inquiries.test_status import _file

pytestmark = pytest.mark.django_db

STATUS = "/inquiries/status/"
RELATIVE_ADDRESS = "203.0.113.10"
STRANGER_ADDRESS = "198.51.100.66"


def _wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def _look_up(client: Client, reference: str, pin: str) -> int:
    return client.post(STATUS, {"reference": reference, "pin": pin}).status_code


def _strangers_use_up_the_reference(reference: str, pin: str, *, spent: int = 0) -> None:
    """Many addresses, each staying under its own limit, spend what is left of the reference's
    budget (``spent`` wrong PINs already counted on it)."""
    per_address = WRONG_PIN_PER_ADDRESS.limit
    for n in range(WRONG_PIN_PER_REFERENCE.limit - spent):
        stranger = Client(REMOTE_ADDR=f"198.51.100.{n // per_address}")
        assert _look_up(stranger, reference, _wrong(pin)) == 200
    assert _look_up(Client(REMOTE_ADDR="192.0.2.200"), reference, pin) == 429


def test_a_strangers_wrong_pins_leave_the_relatives_device_in_and_lock_the_stranger() -> None:
    relative = Client(REMOTE_ADDR=RELATIVE_ADDRESS)
    reference, pin = _file(relative)  # filing made this browser trusted for the reference
    stranger = Client(REMOTE_ADDR=STRANGER_ADDRESS)

    answers = [_look_up(stranger, reference, _wrong(pin)) for _ in range(6)]

    assert answers == [200] * WRONG_PIN_PER_ADDRESS.limit + [429]
    assert _look_up(stranger, reference, pin) == 429  # locked, the right PIN too
    assert _look_up(relative, reference, pin) == 200


def test_many_addresses_use_up_the_reference_and_the_relatives_device_still_gets_in() -> None:
    relative = Client(REMOTE_ADDR=RELATIVE_ADDRESS)
    reference, pin = _file(relative)

    _strangers_use_up_the_reference(reference, pin)

    page = relative.post(STATUS, {"reference": reference, "pin": pin})
    assert page.status_code == 200
    assert page.context["inquiry"].reference == reference


def test_a_right_pin_on_a_new_phone_makes_it_trusted() -> None:
    reference, pin = _file(Client(REMOTE_ADDR=RELATIVE_ADDRESS))
    new_phone = Client(REMOTE_ADDR="192.0.2.7")
    assert _look_up(new_phone, reference, pin) == 200

    _strangers_use_up_the_reference(reference, pin)

    assert _look_up(new_phone, reference, pin) == 200


def test_a_wrong_pin_makes_no_device_trusted() -> None:
    reference, pin = _file(Client(REMOTE_ADDR=RELATIVE_ADDRESS))
    phone = Client(REMOTE_ADDR="192.0.2.7")
    assert _look_up(phone, reference, _wrong(pin)) == 200

    _strangers_use_up_the_reference(reference, pin, spent=1)

    assert _look_up(phone, reference, pin) == 429


def test_a_forged_cookie_or_one_for_another_reference_gives_no_trust() -> None:
    """One setup: the relative's genuine cookie gets in, so the refusals are the cookie's."""
    relative, other = Client(REMOTE_ADDR=RELATIVE_ADDRESS), Client(REMOTE_ADDR=RELATIVE_ADDRESS)
    reference, pin = _file(relative)
    _file(other)  # a genuine cookie, for another reference
    genuine = relative.cookies[devices.COOKIE].value
    device = devices.trusted_device(_request_with(genuine), reference)
    assert device is not None
    _strangers_use_up_the_reference(reference, pin)
    forgeries = {
        "signed with another key": _signed(f"{reference}.{device}", key="not-ours-" * 6),
        "edited after signing": genuine.replace(device, "A" * 16),
        "unsigned": f"{reference}.{device}",
        "genuine, for another reference": other.cookies[devices.COOKIE].value,
    }

    answers = {
        name: _look_up(_with_cookie(cookie), reference, pin) for name, cookie in forgeries.items()
    }

    assert answers == dict.fromkeys(forgeries, 429)
    assert _look_up(_with_cookie(genuine), reference, pin) == 200


def test_the_relatives_device_locks_alone_after_its_own_wrong_pins() -> None:
    relative = Client(REMOTE_ADDR=RELATIVE_ADDRESS)
    reference, pin = _file(relative)

    answers = [
        _look_up(relative, reference, _wrong(pin)) for _ in range(WRONG_PIN_PER_DEVICE.limit + 1)
    ]

    assert answers == [200] * WRONG_PIN_PER_DEVICE.limit + [429]
    locked = relative.post(STATUS, {"reference": reference, "pin": pin})
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(WRONG_PIN_PER_DEVICE.window)
    # The device's wrong PINs were its own: another client still has the reference's budget.
    assert _look_up(Client(REMOTE_ADDR="192.0.2.8"), reference, pin) == 200


@pytest.mark.parametrize("spent", ["by one address", "by many addresses"])
def test_a_lock_reads_the_same_whether_the_reference_exists_or_not(spent: str) -> None:
    reference, pin = _file(Client(REMOTE_ADDR=RELATIVE_ADDRESS))
    pages = []
    for each in (reference, "HC-ZZZZ-ZZZZ"):
        if spent == "by one address":
            for _ in range(WRONG_PIN_PER_ADDRESS.limit):
                _look_up(Client(REMOTE_ADDR=STRANGER_ADDRESS), each, _wrong(pin))
        else:
            _strangers_use_up_the_reference(each, pin)
        stranger = Client(REMOTE_ADDR=STRANGER_ADDRESS)
        pages.append(stranger.post(STATUS, {"reference": each, "pin": pin}))

    known, absent = pages
    assert known.status_code == absent.status_code == 429
    assert known["Retry-After"] == absent["Retry-After"]
    assert _without_csrf(known.content) == _without_csrf(absent.content)
    assert set(known.cookies) == set(absent.cookies) == {"csrftoken"}


def test_a_wrong_reference_and_a_wrong_pin_set_no_cookie() -> None:
    reference, pin = _file(Client(REMOTE_ADDR=RELATIVE_ADDRESS))

    wrong_pin = Client().post(STATUS, {"reference": reference, "pin": _wrong(pin)})
    unknown = Client().post(STATUS, {"reference": "HC-ZZZZ-ZZZZ", "pin": pin})
    right = Client().post(STATUS, {"reference": reference, "pin": pin})

    assert devices.COOKIE not in wrong_pin.cookies
    assert devices.COOKIE not in unknown.cookies
    assert devices.COOKIE in right.cookies


def test_the_device_cookie_is_signed_secure_httponly_and_sent_to_the_status_page_alone() -> None:
    client = Client(REMOTE_ADDR=RELATIVE_ADDRESS)
    reference, _ = _file(client)

    cookie = client.cookies[devices.COOKIE]

    assert reference in cookie.value
    assert cookie["path"] == devices.PATH
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == devices.MAX_AGE


@pytest.mark.slow
def test_one_browser_stays_trusted_for_each_inquiry_it_filed() -> None:
    relative = Client(REMOTE_ADDR=RELATIVE_ADDRESS)
    first, first_pin = _file(relative)
    second, second_pin = _file(relative)

    _strangers_use_up_the_reference(first, first_pin)
    _strangers_use_up_the_reference(second, second_pin)

    assert first != second
    assert _look_up(relative, first, first_pin) == 200
    assert _look_up(relative, second, second_pin) == 200


def test_the_lock_page_says_when_to_try_again_and_where_in_ukrainian_and_in_english() -> None:
    reference, pin = _file(Client(REMOTE_ADDR=RELATIVE_ADDRESS))
    _strangers_use_up_the_reference(reference, pin)

    ukrainian = Client().post(STATUS, {"reference": reference, "pin": pin}).content.decode()
    english = (
        Client(HTTP_ACCEPT_LANGUAGE="en")
        .post(STATUS, {"reference": reference, "pin": pin})
        .content.decode()
    )

    assert "Спробуйте знову щонайпізніше через 24 години." in ukrainian
    assert "на іншому телефоні чи комп'ютері" in ukrainian
    assert "Please try again in 24 hours at the latest." in english
    assert "on another phone or computer, try there" in english
    assert "news of it still reaches you by e-mail or SMS" in english


def test_the_lock_says_why_how_long_and_whom_to_call(settings: Any) -> None:
    settings.TRACING_PHONE = "0 800 000 001"
    reference, pin = _file(Client(REMOTE_ADDR=RELATIVE_ADDRESS))
    _strangers_use_up_the_reference(reference, pin)

    page = html.unescape(
        Client().post(STATUS, {"reference": reference, "pin": pin}).content.decode()
    )

    assert "Причина: для цього номера запиту забагато разів ввели неправильний PIN-код." in page
    assert "Спробуйте знову щонайпізніше через 24 години." in page
    assert "зверніться до служби розшуку" in page
    assert '<a href="tel:0800000001">0 800 000 001</a> або' in page
    assert '<a href="mailto:tracing@homecoming.example">' in page


def test_an_address_that_looked_up_too_much_is_told_so_rather_than_of_wrong_pins() -> None:
    client = Client(REMOTE_ADDR=STRANGER_ADDRESS)
    for n in range(STATUS_PER_IP.limit):
        assert _look_up(client, f"HC-ZZZZ-{n:04d}", "000000") == 200

    locked = client.post(STATUS, {"reference": "HC-ZZZZ-9999", "pin": "000000"})

    page = html.unescape(locked.content.decode())
    assert locked.status_code == 429
    assert "з вашого інтернет-з'єднання забагато разів шукали запити" in page
    assert "неправильний PIN-код" not in page


def _with_cookie(value: str) -> Client:
    client = Client(REMOTE_ADDR="192.0.2.9")
    client.cookies[devices.COOKIE] = value
    return client


def _request_with(cookie: str) -> HttpRequest:
    request = RequestFactory().get(STATUS)
    request.COOKIES[devices.COOKIE] = cookie
    return request


def _signed(value: str, *, key: str) -> str:
    with override_settings(SECRET_KEY=key):
        return signing.get_cookie_signer(salt=devices.COOKIE + devices.SALT).sign(value)


def _without_csrf(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())
