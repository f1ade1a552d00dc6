"""Ukrainian by default, English on request; every page string goes through translation."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_public_page_speaks_ukrainian_by_default() -> None:
    body = Client().get("/").content.decode()
    assert "Подати запит на розшук" in body
    assert '<html lang="uk">' in body


def test_english_is_one_choice_away() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    body = client.get("/").content.decode()

    assert "File a tracing inquiry" in body
    assert '<html lang="en">' in body
