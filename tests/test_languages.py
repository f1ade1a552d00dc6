"""Ukrainian by default, English on request; every page string goes through translation."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
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


@pytest.mark.parametrize("language", ["uk", "en"])
def test_each_language_is_named_in_itself_whatever_the_pages_language(language: str) -> None:
    body = Client(headers={"Accept-Language": language}).get("/").content.decode()

    assert '<option value="uk" lang="uk"' in body
    assert re.search(r'<option value="uk" lang="uk"[^>]*>Українська</option>', body)
    assert re.search(r'<option value="en" lang="en"[^>]*>English</option>', body)
    assert "Англійська" not in body
    assert "Ukrainian" not in body


def test_every_message_of_the_ukrainian_catalogue_is_translated() -> None:
    """An untranslated or fuzzy message shows English on a Ukrainian page (a plural form too:
    Ukrainian has four)."""
    catalogue = Path(settings.BASE_DIR) / "locale" / "uk" / "LC_MESSAGES" / "django.po"
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(catalogue)],  # noqa: S607 - gettext's checker
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "untranslated" not in done.stderr, done.stderr
    assert "fuzzy" not in done.stderr, done.stderr
    assert "translated messages" in done.stderr
