"""A relative's own copy: with their reference and PIN again, a file of what Homecoming holds
about them, and nothing about anyone else; logged."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AccessLogEntry
from accounts.roles import Role
from captives.lifecycle import Status
from inquiries.models import Inquiry, Notification
from inquiries.services import link_inquiry, verify_relative
from tests.factories import make_captive, make_user

pytestmark = pytest.mark.django_db

MINE = {
    "relative_name": "Марія Шевченко",
    "relationship": "mother",
    "email": "maria@example.org",
    "phone": "067 123 45 67",
    "sought_full_name": "Шевченко Андрій Петрович",
    "sought_birth_date": "1998-02-11",
    "distinguishing_details": "A scar above the left eyebrow",
    "consent": "on",
}
THEIRS = MINE | {
    "relative_name": "Оксана Шевченко",
    "relationship": "wife",
    "email": "oksana@example.org",
    "phone": "",
}


def _file(client: Client, form: dict[str, str]) -> tuple[str, str]:
    text = client.post("/inquiries/new/", form, follow=True).content.decode()
    reference = re.search(r"HC-[0-9A-Z]{4}-[0-9A-Z]{4}", text)
    pin = re.search(r"<strong>(\d{6})</strong>", text)
    assert reference is not None
    assert pin is not None
    return reference.group(0), pin.group(1)


def _copy(client: Client, reference: str, pin: str) -> Any:
    return client.post("/inquiries/status/copy/", {"reference": reference, "pin": pin})


def test_the_copy_holds_the_relatives_data_and_nothing_about_anyone_else() -> None:
    relative = Client()
    reference, pin = _file(relative, MINE)
    other_reference, _ = _file(Client(), THEIRS)  # the same person sought, by his wife
    caseworker = make_user(Role.CASEWORKER)
    person = make_captive(
        family_name="Шевченко",
        given_name="Андрій",
        birth_date=None,
        military_unit="А0001",
        service_number="SN-778899",
        status=Status.RETURNED,
    )
    mine = Inquiry.objects.get(reference=reference)
    link_inquiry(inquiry=mine, captive=person, by=caseworker, at=timezone.now())
    verify_relative(inquiry=mine, method="Passport seen", by=caseworker, at=timezone.now())
    Notification.objects.filter(inquiry=mine).update(
        state=Notification.State.SENT, sent_at=timezone.now()
    )

    response = _copy(relative, reference, pin)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="homecoming-{reference}.json"'
    assert "no-store" in response["Cache-Control"]
    copy = json.loads(response.content)
    assert copy["reference"] == reference
    assert copy["you"] | {"relationship_verified_at": None} == {
        "name": "Марія Шевченко",
        "relationship": "mother",
        "email": "maria@example.org",
        "phone": "+380671234567",
        "relationship_verified_at": None,
        "how_verified": "Passport seen",
    }
    assert copy["person_sought"]["distinguishing_details"] == "A scar above the left eyebrow"
    # A return not yet allowed to be told reads as the status page says it: news.
    assert copy["status"]["now"]["state"] == "news"
    assert [s["state"] for s in copy["status"]["shown_since"]] == ["received", "news"]
    assert {m["channel"] for m in copy["messages_sent_to_you"]} == {"email", "sms"}
    text = response.content.decode()
    for foreign in (
        other_reference,
        "oksana@example.org",
        "Оксана",
        "SN-778899",
        "А0001",
        str(person.public_id),
        "returned",
        "being_traced",
    ):
        assert foreign not in text


def test_each_copy_is_a_line_of_the_access_log() -> None:
    relative = Client()
    reference, pin = _file(relative, MINE)

    _copy(relative, reference, pin)
    _copy(relative, reference, pin)

    lines = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.RELATIVE_COPY)
    assert [(line.user_id, line.object_ref) for line in lines] == [
        (None, f"inquiry:{reference}")
    ] * 2


def test_the_copy_is_never_reached_by_a_link() -> None:
    relative = Client()
    reference, pin = _file(relative, MINE)

    response = relative.get(f"/inquiries/status/copy/?reference={reference}&pin={pin}")

    assert response.status_code == 302
    assert response["Location"] == "/inquiries/status/"
    assert not AccessLogEntry.objects.exists()


def test_a_copy_asked_with_a_wrong_pin_reads_like_one_with_a_wrong_reference() -> None:
    reference, pin = _file(Client(), MINE)
    wrong_pin = "000000" if pin != "000000" else "111111"
    stranger = Client()

    wrong_pin_page = _copy(stranger, reference, wrong_pin)
    unknown_page = _copy(stranger, "HC-ZZZZ-ZZZZ", pin)
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")  # as many tries left as the stranger had
    status_page = elsewhere.post("/inquiries/status/", {"reference": reference, "pin": wrong_pin})

    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    pages = [
        strip.sub("", page.content.decode().replace("HC-ZZZZ-ZZZZ", reference))
        # The language menu returns to the address asked: the only difference from the status
        # page's own answer.
        .replace('value="/inquiries/status/copy/"', 'value="/inquiries/status/"')
        for page in (wrong_pin_page, unknown_page, status_page)
    ]
    assert wrong_pin_page.status_code == unknown_page.status_code == 200
    assert pages[0] == pages[1] == pages[2]
    assert "Не вдалося знайти запит" in pages[0]
    assert not AccessLogEntry.objects.exists()


def test_wrong_pins_for_a_copy_count_with_the_status_pages() -> None:
    reference, pin = _file(Client(), MINE)
    wrong_pin = "000000" if pin != "000000" else "111111"
    stranger = Client()

    answers = [_copy(stranger, reference, wrong_pin).status_code for _ in range(5)]
    locked = stranger.post("/inquiries/status/", {"reference": reference, "pin": pin})

    assert answers == [200] * 5
    assert locked.status_code == 429
