"""The officials' day in a real browser: Debian's Chromium, a live server, a real Celery worker.

Screenshots of each step go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import subprocess
import time
from base64 import b32decode
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from captives.models import Captive
from exchanges.models import Phase
from tests.factories import make_captive, make_exchange

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "browser-test-password"
LIST = (
    "№;ФИО;Дата рождения;в/ч\n"
    "1;Гнатюк Дмитрий Юрьевич;03.12.1998;\n"  # matched: Russian forms, date agrees
    "2;Ярошенко Виктория;;\n"  # review: a unique name, nothing to confirm it with
    "3;Вайнштейн Аркадий Львович;01.01.1970;\n"  # unmatched: nobody we hold
    "4;12345;;\n"  # no name: kept, and named on the list's page
)


def _person(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    return user


# What the browser refused under the Content-Security-Policy: must stay empty (no inline script
# or style anywhere; htmx's injected styles are switched off).
REFUSED_BY_POLICY: list[str] = []


def _watch_policy(message: Any) -> None:
    if "Content Security Policy" in message.text:
        REFUSED_BY_POLICY.append(message.text)


def _signed_in(browser: Browser, base: str, username: str, width: int = 1280) -> Page:
    """Signs in through the forms: the password, then the second factor, enrolling the
    authenticator app on a first sign-in, with codes computed as the app computes them."""
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.on("console", _watch_policy)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/second-factor/enrol/" in page.url:
        # What a person types into the app: the key shown beside the QR code.
        key = b32decode(page.inner_text("#otp-secret").replace(" ", ""))
    else:
        key = TOTPDevice.objects.get(user__username=username, confirmed=True).bin_key
    for _attempt in range(3):
        if "/accounts/second-factor/" not in page.url:
            break
        if _attempt:  # a code is good once: the same user signing in again waits for the next
            time.sleep(30 - time.time() % 30 + 1)
        page.fill("#id_otp_token", f"{totp(key):06d}")
        with page.expect_navigation():
            page.click("main button[type=submit]")
    assert "/accounts/second-factor/" not in page.url
    return page


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_exchange_day_from_phase_to_homecoming(
    live_server: Any, browser: Browser, celery_worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    base = live_server.url
    exchange = make_exchange(name="Обмін 84 на 84", agreed_on=date(2025, 10, 2))
    gnatyuk = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    yaroshenko = make_captive(family_name="Ярошенко", given_name="Вікторія", patronymic="Олегівна")
    for username, role in (("olena", "official"), ("petro", "official"), ("ivan", "reviewer")):
        _person(username, role)

    official = _signed_in(browser, base, "olena")
    official.goto(f"{base}/exchanges/{exchange.pk}/")
    official.click("text=Record a phase")
    official.fill("#id_date", "2025-10-09")
    official.fill("#id_place", "Sumy region border")
    for field, value in (
        ("returned_total", "2"),
        ("declared_returned_servicemen", "1"),
        ("declared_returned_civilians", "1"),
        ("handed_over_total", "0"),
    ):
        official.fill(f"#id_{field}", value)
    official.click("main button[type=submit]")
    expect(official.locator("h1")).to_contain_text("Phase 1")
    phase = Phase.objects.get(exchange=exchange)
    _shot(official, "01-phase-recorded")

    official.click("text=Upload a release list")
    upload = tmp_path / "список.csv"
    upload.write_bytes(LIST.encode("cp1251"))
    official.set_input_files("#id_file", str(upload))
    official.fill("#id_received_on", "2025-10-06")
    official.click("main button[type=submit]")
    expect(official.locator("#progress")).to_contain_text("3 of 3 rows reconciled", timeout=60_000)
    expect(official.locator(".filters")).to_contain_text("Matched: 1")
    expect(official.locator(".unreadable")).to_contain_text("Line 4: “12345” is not a name")
    _shot(official, "02-list-reconciled")

    reviewer = _signed_in(browser, base, "ivan")
    reviewer.goto(f"{base}/review/")
    expect(reviewer.locator("tbody")).to_contain_text("Only the name can be compared")  # why
    _shot(reviewer, "03-review-queue")
    reviewer.get_by_role("link", name="2", exact=True).click()
    expect(reviewer.locator("h1")).to_contain_text("Ярошенко Виктория")
    _shot(reviewer, "04-review-row")
    reviewer.keyboard.press("c")  # the shortcut for "Confirm this person"
    expect(reviewer.locator(".messages")).to_contain_text("Line 2 decided")
    expect(reviewer.locator("h1")).to_contain_text("Вайнштейн")  # the next row in the queue
    reviewer.keyboard.press("x")  # "Not ours": nobody we hold (N would record them anew)
    expect(reviewer.locator(".messages")).to_contain_text("Line 3 decided")
    reviewer.goto(f"{base}/review/rows/{phase.release_lists.get().rows.get(line_number=2).pk}/")
    expect(reviewer.locator(".decided")).to_contain_text("Decided: Candidate confirmed, by ivan")
    expect(reviewer.locator("button", has_text="Not ours")).to_have_count(0)
    _shot(reviewer, "04b-review-row-decided")

    reviewer.goto(f"{base}/exchanges/{exchange.pk}/phases/new/")
    expect(reviewer.locator("h1")).to_contain_text("not for your role")
    _shot(reviewer, "05-reviewer-denied")

    official.goto(f"{base}/exchanges/phases/{phase.pk}/")
    official.click("text=Propose confirmation")
    expect(official.locator(".messages")).to_contain_text("Confirmation proposed")
    second = _signed_in(browser, base, "petro")
    second.goto(f"{base}/exchanges/phases/{phase.pk}/")
    second.click("text=See who comes home, and approve")
    expect(second.locator("main")).to_contain_text("2 people will be marked as returned")
    gap = second.locator("input[name=acknowledge]")  # declared and named differ: said so
    if gap.count():
        gap.check()
    second.click("text=Approve: they came home")
    expect(second.locator(".messages")).to_contain_text("Phase confirmed")

    second.goto(f"{base}/exchanges/{exchange.pk}/")
    expect(second.locator("table.tally")).to_contain_text("2")
    _shot(second, "06-exchange-after-confirmation")
    assert {c.status for c in Captive.objects.filter(pk__in=[gnatyuk.pk, yaroshenko.pk])} == {
        "returned"
    }
    assert REFUSED_BY_POLICY == []
