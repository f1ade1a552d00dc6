"""Rate limits on the public pages, against the real Redis (database 15 in the test command)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from inquiries import limits
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
    for _ in range(limits.INQUIRY_PER_IP.limit):
        assert client.post("/inquiries/new/", FORM).status_code == 201

    refused = client.post("/inquiries/new/", FORM)

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(limits.INQUIRY_PER_IP.window)
    assert Client(REMOTE_ADDR="203.0.113.8").post("/inquiries/new/", FORM).status_code == 201


def test_a_reference_locks_after_repeated_wrong_pins_even_for_the_right_pin() -> None:
    reference, pin = _file(Client())
    wrong = "000000" if pin != "000000" else "111111"
    for n in range(limits.WRONG_PIN_PER_REFERENCE.limit):
        guesser = Client(REMOTE_ADDR=f"198.51.100.{n}")  # from many addresses
        assert (
            guesser.post("/inquiries/status/", {"reference": reference, "pin": wrong}).status_code
            == 200
        )

    locked = Client().post("/inquiries/status/", {"reference": reference, "pin": pin})

    assert locked.status_code == 429
    assert "Retry-After" in locked


def test_if_the_limit_store_is_down_the_public_pages_refuse(settings: Settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port

    assert Client().post("/inquiries/new/", FORM).status_code == 503
    assert (
        Client().post("/inquiries/status/", {"reference": "HC-AAAA-AAAA", "pin": "1"}).status_code
        == 503
    )


def test_the_refusal_page_says_how_long_to_wait_in_ukrainian_and_in_english() -> None:
    for _ in range(limits.INQUIRY_PER_IP.limit):
        Client(REMOTE_ADDR="203.0.113.9").post("/inquiries/new/", FORM)

    ukrainian = Client(REMOTE_ADDR="203.0.113.9").post("/inquiries/new/", FORM)
    english = Client(REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT_LANGUAGE="en").post(
        "/inquiries/new/", FORM
    )

    assert "Спробуйте знову щонайпізніше через 60 хвилин." in ukrainian.content.decode()
    assert "Please try again in 60 minutes at the latest." in english.content.decode()
