"""The registry search in a real browser: a search from the form swaps in its results alone and
keeps the address; a reload of that address shows the same results as a whole page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_officials_day import _person, _signed_in
from tests.conftest import grant_roles
from tests.factories import make_captive

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(("width", "language"), [(1280, "uk"), (390, "en")])
def test_a_search_from_the_form_updates_the_results_without_reloading_the_page(
    live_server: Any, browser: Browser, width: int, language: str
) -> None:
    grant_roles()  # an earlier flushing test may have emptied the tables
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    make_captive(family_name="Ярошенко", given_name="Вікторія", patronymic="Олегівна")
    _person("olena", "official")
    page = _signed_in(browser, live_server.url, "olena", width=width)
    page.goto(f"{live_server.url}/registry/")
    page.select_option("#language", language)
    with page.expect_navigation():
        page.click("form[action$='/i18n/setlang/'] button")
    assert page.locator("html").get_attribute("lang") == language
    page.evaluate("window.loadedOnce = true")

    page.fill("#q", "Hnatiuk Dmytro")
    page.press("#q", "Enter")

    expect(page.locator("#results tbody")).to_contain_text("Гнатюк Дмитро Юрійович")
    expect(page.locator("#results [role=status]")).to_be_visible()
    assert page.evaluate("window.loadedOnce") is True  # the page was not loaded again
    assert "q=Hnatiuk" in page.url
    if os.environ.get("SCREENSHOTS_DIR"):
        shots = Path(os.environ["SCREENSHOTS_DIR"])
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"registry-search-{language}-{width}.png"), full_page=True)

    page.reload()
    expect(page.locator("#results tbody")).to_contain_text("Гнатюк Дмитро Юрійович")
    assert page.evaluate("window.loadedOnce") is None  # a whole page this time
