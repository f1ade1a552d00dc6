"""A family's side in a real browser: the inquiry, the caseworker's link, the return, the news."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accounts.models import User
from captives.lifecycle import Status
from captives.models import Sex
from tests.browser.test_officials_day import ARTIFACTS, PASSWORD, _signed_in
from tests.factories import approve_phase, make_captive, make_matched_list, make_phase
from tests.workers import wait_for
from workflows.confirmation import propose_confirmation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_mother_files_an_inquiry_and_learns_her_son_came_home(
    live_server: Any, browser: Browser, celery_worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    base = live_server.url
    son = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
        sex=Sex.MALE,
        status=Status.CONFIRMED_CAPTIVE,
    )
    for username, role in (("olena", "official"), ("petro", "official"), ("iryna", "caseworker")):
        User.objects.create_user(username=username, password=PASSWORD).groups.add(
            Group.objects.get(name=role)
        )

    mother = browser.new_context(locale="uk-UA").new_page()
    mother.goto(f"{base}/inquiries/new/")
    mother.fill("#id_relative_name", "Марія Гнатюк")
    mother.fill("#id_relationship", "мати")
    mother.fill("#id_email", "maria@example.org")
    mother.fill("#id_sought_full_name", "Гнатюк Дмитро Юрійович")
    mother.fill("#id_sought_birth_date", "1998-12-03")
    mother.check("#id_consent")
    mother.click("main button[type=submit]")
    receipt = mother.locator("main").inner_text()
    reference = re.search(r"HC-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt).group(0)  # type: ignore[union-attr]
    pin = re.search(r"\b\d{6}\b", receipt).group(0)  # type: ignore[union-attr]
    mother.screenshot(path=str(ARTIFACTS / "11-inquiry-filed.png"))

    caseworker = _signed_in(browser, base, "iryna")
    caseworker.goto(f"{base}/inquiries/{reference}/")
    caseworker.click("text=This is the person")
    caseworker.fill("#id_method", "Birth certificate seen at the centre")
    caseworker.click("text=Record the verification")
    caseworker.click("text=Allow telling a return by name")
    expect(caseworker.locator("main")).to_contain_text("A return may be told")

    phase = make_phase()
    first, second = User.objects.get(username="olena"), User.objects.get(username="petro")
    make_matched_list(phase, [son])  # the other side's list names him; proposing lists him
    propose_confirmation(phase=phase, by=first, at=timezone.now())
    approve_phase(phase=phase, by=second, at=timezone.now())

    mother.goto(f"{base}/inquiries/status/")
    mother.fill("#id_reference", reference)
    mother.fill("#id_pin", pin)
    mother.click("main button[type=submit]")
    expect(mother.locator("main")).to_contain_text("Повернувся додому")
    expect(mother.locator("main")).to_contain_text(
        f"на етапі {phase.number} обміну «{phase.exchange.name}»"
    )
    mother.screenshot(path=str(ARTIFACTS / "12-status-returned.png"))
    mailbox = tmp_path / "mail"
    assert wait_for(lambda: mailbox.exists() and any(mailbox.iterdir()))
    letters = "".join(p.read_text() for p in mailbox.iterdir())
    assert "maria@example.org" in letters
    assert "Гнатюк Дмитро Юрійович повернувся додому" in letters  # in her language


def test_a_form_sent_back_opens_on_its_summary_whose_links_lead_to_the_fields(
    live_server: Any, browser: Browser
) -> None:
    relative = browser.new_context(locale="uk-UA").new_page()
    relative.goto(f"{live_server.url}/inquiries/new/")
    relative.fill("#id_email", "maria@")
    relative.click("main button[type=submit]")

    summary = relative.locator(".error-summary h2")
    expect(summary).to_be_focused()  # a screen reader starts at the mistakes
    expect(summary).to_have_text("Виправте, будь ласка:")
    relative.click(".error-summary a[href='#id_email']")
    expect(relative.locator("#id_email")).to_be_focused()
    expect(relative.locator("#id_email")).to_have_attribute("aria-invalid", "true")
