"""Ukrainian by default, English on request; every page string goes through translation."""

from __future__ import annotations

import gettext
import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.roles import Role
from tests.factories import make_phase, make_user, sign_in

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


def _catalogue() -> dict[str, str]:
    """Our Ukrainian catalogue, msgid to msgstr (plurals by their first form)."""
    catalogue = Path(settings.BASE_DIR) / "locale" / "uk" / "LC_MESSAGES" / "django.po"
    compiled = subprocess.run(
        ["msgfmt", "-o", "-", str(catalogue)],  # noqa: S607 - gettext's compiler
        capture_output=True,
        check=True,
    ).stdout
    messages = gettext.GNUTranslations(io.BytesIO(compiled))._catalog  # type: ignore[attr-defined]
    return {
        (key[0] if isinstance(key, tuple) else key): text
        for key, text in messages.items()
        if key and (not isinstance(key, tuple) or key[1] == 0)
    }


def test_uploading_and_downloading_are_told_apart_in_ukrainian() -> None:
    """An upload is "Завантажити"; a download is an export ("Експортувати"), never the same
    word on one page (the phase page offered both)."""
    catalogue = _catalogue()
    downloads = {m: t for m, t in catalogue.items() if re.search(r"\b(export|download)", m, re.I)}
    uploads = {m: t for m, t in catalogue.items() if re.search(r"\bupload", m, re.I)}

    assert downloads
    assert uploads
    assert [m for m, t in downloads.items() if "авантаж" in t] == []
    assert [m for m, t in uploads.items() if re.search("експорт|вивантаж", t, re.I)] == []


def test_the_phase_page_says_export_for_its_downloads() -> None:
    phase = make_phase()
    client = Client()
    sign_in(client, make_user(Role.OFFICIAL))

    body = client.get(f"/exchanges/phases/{phase.pk}/").content.decode()

    assert "Завантажити список на звільнення" in body
    assert "Експортувати передачі" in body
    assert body.count("Завантажити") == 1
