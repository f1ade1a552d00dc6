"""History keeps reasons and sources in English; pages say them in the reader's language."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import User
from captives import wording
from captives.lifecycle import Status
from captives.services import change_status
from tests.factories import make_captive, make_provenance, sign_in


@pytest.mark.parametrize("written", wording.WORDINGS, ids=lambda w: w.message)
def test_every_wording_reads_back_the_values_it_was_written_with(
    written: wording.Wording,
) -> None:
    names = [
        name
        for name in (
            "number",
            "day",
            "source",
            "reporter",
            "facility",
            "reason",
            "name",
            "line",
            "list",
            "place",
        )
        if f"%({name})s" in written.message
    ]
    values = {name: f"{name}-7" for name in names}

    text = written(**values)

    assert next(w for w in wording.WORDINGS if w.read(text) is not None) == written
    assert written.read(text) == values


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("Came home in phase 1", "Повернення додому на етапі 1"),
        ("No longer named by the lists of phase 2", "Більше немає в списках етапу 2"),
        ("Line 3 of list 12, by review", "Рядок 3 списку 12, після перевірки"),
        ("Registered from Line 3 of list 12", "Внесено до реєстру: Рядок 3 списку 12"),
        ("Registry import, demo", "Імпорт реєстру, демо"),
        ("Birth certificate seen", "Birth certificate seen"),  # as an official typed it
    ],
)
def test_a_stored_text_is_shown_in_the_active_language(stored: str, said: str) -> None:
    with translation.override("uk"):
        assert wording.shown(stored) == said
    assert wording.shown(stored) == stored  # English stays as written


@pytest.mark.django_db
def test_the_history_on_a_ukrainian_page_says_why_and_whence_in_ukrainian(
    official: User,
) -> None:
    captive = make_captive(status=Status.LISTED)
    change_status(
        captive=captive,
        to=Status.RETURNED,
        by=official,
        reason=wording.CAME_HOME(number=1),
        provenance=make_provenance(description=wording.LINE_OF_LIST(line=3, list=12)),
    )
    client = Client()  # Ukrainian by default
    sign_in(client, official)

    page = html.unescape(client.get(f"/registry/{captive.public_id}/").content.decode())

    assert "Повернення додому на етапі 1" in page
    assert "Рядок 3 списку 12" in page
    assert "Came home" not in page
    assert "Line 3" not in page
