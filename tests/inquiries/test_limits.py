"""Rate limits on the public pages, against the real Redis (database 15 in the test command)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client
from pytest_django.fixtures import Settings

from config import limits
from inquiries.limits import INQUIRY_PER_IP, WRONG_PIN_PER_ADDRESS, WRONG_PIN_PER_REFERENCE
from tests.inquiries.test_status import FORM, _file

pytestmark = pytest.mark.django_db


def test_parallel_hits_never_slip_past_the_counter() -> None:
    rule = limits.Rule("test-parallel", limit=25, window=60)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: limits.exceeded(rule, "k"), range(100)))

    assert results.count(False) == 25
    assert limits.peek(rule, "k") == 100


def test_the_inquiry_form_answers_429_with_retry_after_past_its_limit() -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(INQUIRY_PER_IP.limit):
        assert client.post("/inquiries/new/", FORM).status_code == 302

    refused = client.post("/inquiries/new/", FORM)

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(INQUIRY_PER_IP.window)
    assert Client(REMOTE_ADDR="203.0.113.8").post("/inquiries/new/", FORM).status_code == 302


def test_a_reference_locks_after_repeated_wrong_pins_even_for_the_right_pin() -> None:
    """For clients it does not trust: the relative's own browser is counted apart
    (tests/inquiries/test_devices.py)."""
    reference, pin = _file(Client())
    wrong = "000000" if pin != "000000" else "111111"
    for n in range(WRONG_PIN_PER_REFERENCE.limit):
        guesser = Client(REMOTE_ADDR=f"198.51.100.{n}")  # from many addresses
        assert (
            guesser.post("/inquiries/status/", {"reference": reference, "pin": wrong}).status_code
            == 200
        )

    locked = Client().post("/inquiries/status/", {"reference": reference, "pin": pin})

    assert locked.status_code == 429
    assert locked["Retry-After"] == str(WRONG_PIN_PER_REFERENCE.window)


def test_guesses_sent_at_once_get_no_more_tries_than_guesses_sent_one_by_one() -> None:
    """Guesses in flight together must not all pass the lock before the first of them is
    counted."""
    sent = WRONG_PIN_PER_REFERENCE.limit + 7

    def guess(n: int) -> int:
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{n}")
            return client.post(
                "/inquiries/status/", {"reference": "HC-AAAA-AAAA", "pin": f"{n:06d}"}
            ).status_code
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(guess, range(sent)))

    assert answers.count(200) == WRONG_PIN_PER_REFERENCE.limit
    assert answers.count(429) == sent - WRONG_PIN_PER_REFERENCE.limit


def test_a_right_pin_does_not_use_up_the_wrong_pin_allowance() -> None:
    reference, pin = _file(Client())
    wrong = "000000" if pin != "000000" else "111111"

    def check(code: str) -> int:
        return (
            Client().post("/inquiries/status/", {"reference": reference, "pin": code}).status_code
        )

    assert [check(wrong) for _ in range(WRONG_PIN_PER_ADDRESS.limit - 1)] == [200] * 4
    assert [check(pin) for _ in range(3)] == [200] * 3
    assert check(wrong) == 200  # the fifth wrong one from this address
    assert check(pin) == 429  # locked now, the right PIN too


def test_if_the_limit_store_is_down_the_public_pages_refuse(settings: Settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port

    assert Client().post("/inquiries/new/", FORM).status_code == 503
    assert (
        Client().post("/inquiries/status/", {"reference": "HC-AAAA-AAAA", "pin": "1"}).status_code
        == 503
    )


def test_the_refusal_page_says_how_long_to_wait_in_ukrainian_and_in_english() -> None:
    for _ in range(INQUIRY_PER_IP.limit):
        Client(REMOTE_ADDR="203.0.113.9").post("/inquiries/new/", FORM)

    ukrainian = Client(REMOTE_ADDR="203.0.113.9").post("/inquiries/new/", FORM)
    english = Client(REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT_LANGUAGE="en").post(
        "/inquiries/new/", FORM
    )

    assert "Спробуйте знову щонайпізніше через 60 хвилин." in ukrainian.content.decode()
    assert "Please try again in 60 minutes at the latest." in english.content.decode()
