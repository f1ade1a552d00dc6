"""A phase of 300 people's protocol, printed to A4 by Chromium as an official would ("Save as
PDF"): several pages, each with its table's header, a page number, no navigation, no row cut
in two; in Ukrainian and English.

With SCREENSHOTS_DIR set, the PDFs are saved there as ``protocol-<lang>.pdf`` (``pdftoppm -png``
turns their pages into images to look at).
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser

from accounts.roles import Role
from captives.models import Category, Side
from exchanges.models import Phase
from tests.conftest import grant_roles
from tests.factories import (
    approve_phase,
    make_captive,
    make_matched_list,
    make_phase,
    make_user,
    sign_in,
)
from workflows.confirmation import propose_confirmation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DAY = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)
HEADERS = {"uk": "Категорія", "en": "Category"}


def _phase_of_300() -> Phase:
    """200 servicemen and 40 civilians came home; 60 servicemen were handed over."""
    phase = make_phase(
        date=date(2025, 5, 23),
        declared_returned_servicemen=200,
        declared_returned_civilians=40,
        declared_handed_over_servicemen=60,
    )
    people = [
        *(
            make_captive(
                family_name=f"Коваленко-{n:03d}",
                military_unit=f"А{1000 + n}",
                service_number=f"АА{n:06d}",
            )
            for n in range(200)
        ),
        *(
            make_captive(family_name=f"Бондаренко-{n:03d}", category=Category.CIVILIAN)
            for n in range(40)
        ),
        *(make_captive(family_name=f"Іванов-{n:03d}", held_by=Side.OURS) for n in range(60)),
    ]
    make_matched_list(phase, people)
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    return phase


def _pages_of(pdf: Path) -> list[str]:
    """The PDF's text, page by page, as poppler's pdftotext reads it."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607 - poppler-utils, a system package
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_a_protocol_of_300_people_prints_on_numbered_a4_pages_each_with_its_header(
    live_server: Any, browser: Browser, tmp_path: Path
) -> None:
    grant_roles()  # an earlier flushing test may have emptied the tables
    phase = _phase_of_300()
    client = Client()
    sign_in(client, make_user(Role.OFFICIAL))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    shots = Path(os.environ["SCREENSHOTS_DIR"]) if os.environ.get("SCREENSHOTS_DIR") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    base, path = live_server.url, reverse("exchanges:phase-protocol", args=[phase.pk])

    for language in ("uk", "en"):
        context = browser.new_context()
        context.add_cookies(
            [
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base},
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base},
            ]
        )
        page = context.new_page()
        page.goto(base + path)
        page.emulate_media(media="print")
        # No row may be cut between pages, and nothing of the screen's frame is printed.
        assert page.evaluate(
            """() => [...document.querySelectorAll("table.people tbody tr")]
                 .every(tr => getComputedStyle(tr).breakInside === "avoid")"""
        )
        assert not page.locator("header.top").is_visible()
        assert not page.locator(".print-hint").is_visible()
        pdf = shots / f"protocol-{language}.pdf"
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
        context.close()

        pages = _pages_of(pdf)
        assert len(pages) >= 5, len(pages)
        for number, text in enumerate(pages, start=1):
            # The page number at its foot ("3 / 8"), and the column headers wherever a table
            # of people goes on (the last page may hold only the signatures).
            assert re.search(rf"\b{number} / {len(pages)}\b", text), (language, number)
            if number < len(pages):
                assert HEADERS[language] in text, (language, number)
        everything = "\n".join(pages)
        for name in ("Коваленко-000", "Коваленко-199", "Бондаренко-039", "Іванов-059"):
            assert everything.count(name) == 1, name
        assert "— · А1199 · АА000199" in everything
