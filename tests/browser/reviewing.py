"""A release list reviewed with the keyboard alone in a real browser, each decision measured.

Shared by the browser test (``test_review_keyboard.py``: what each decision costs in requests
and page loads) and the benchmark (``python -m bench.review``: how long it takes).

Steps: ``seed_review_list`` makes a phase's list whose rows all wait for a person: two in three
name a registry person by name only (review: the key C confirms them), the others nobody we hold
(unmatched: N records them as new captives from the prefilled form, X says "not ours"); every
tenth is put off (D). ``review_by_keyboard`` opens the first row and presses each row's key as
the Ukrainian layout sends it (``event.code`` KeyC with the letter "с"), recording the requests
the page sent, the pages it loaded, and the time from the key to the next row ready: its panel in
place and its heading focused (with htmx), or its page loaded (without script), by the page's
clock (``performance.timeOrigin``, which a page load does not reset) and by the driver's.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from playwright.sync_api import Page, Request

from captives.models import Captive
from exchanges.models import Outcome, Phase, ReleaseList, ReleaseListRow, Resolution
from exchanges.reconciliation import reconcile_release_list
from tests.factories import make_captive

# Surnames far apart from one another, so that no row has a namesake: people we hold...
KNOWN = (
    "Бондаренко",
    "Коваленко",
    "Ткаченко",
    "Кравченко",
    "Олійник",
    "Шевчук",
    "Поліщук",
    "Бойко",
    "Ткачук",
    "Марченко",
    "Руденко",
    "Савченко",
    "Мельник",
    "Клименко",
    "Лисенко",
    "Гончаренко",
    "Кузьменко",
    "Романенко",
    "Мороз",
    "Павленко",
    "Петренко",
    "Левченко",
    "Харченко",
    "Карпенко",
    "Панченко",
    "Литвиненко",
    "Сидоренко",
    "Остапенко",
    "Кравчук",
    "Вакуленко",
    "Гребенюк",
    "Дорошенко",
    "Захарченко",
    "Іваненко",
    "Яковенко",
    "Нестеренко",
    "Федоренко",
    "Тимошенко",
    "Герасименко",
    "Приходько",
)
# ...and people we do not, as the other side writes them.
STRANGERS = (
    "Вайнштейн",
    "Абдуллаев",
    "Гогоберидзе",
    "Цховребов",
    "Мамедов",
    "Алиев",
    "Кипиани",
    "Рустамов",
    "Беридзе",
    "Ахмедов",
    "Юсупов",
    "Ибрагимов",
    "Нуриев",
    "Гасанов",
    "Джапаридзе",
    "Чантурия",
    "Хачатурян",
    "Саркисян",
    "Оганесян",
    "Акопян",
)
# Given names as the registry writes them and as the list does.
GIVEN = (
    ("Олександр", "Александр"),
    ("Андрій", "Андрей"),
    ("Дмитро", "Дмитрий"),
    ("Віктор", "Виктор"),
    ("Василь", "Василий"),
    ("Олексій", "Алексей"),
    ("Михайло", "Михаил"),
    ("Павло", "Павел"),
    ("Микола", "Николай"),
    ("Іван", "Иван"),
    ("Ігор", "Игорь"),
)
# Where each key is, and what it types on the Ukrainian layout.
UKRAINIAN = {"KeyC": "с", "KeyN": "т", "KeyX": "ч", "KeyD": "в", "Slash": "."}
VIRTUAL_KEY = {"KeyC": 67, "KeyN": 78, "KeyX": 88, "KeyD": 68, "Slash": 191}
# The row the page shows, if it shows one.
SHOWN_ROW = "document.getElementById('review-panel')?.dataset.row ?? null"
FIRST_ROW_READY = 30_000  # ms: a first page may wait for a cold server


def seed_review_list(phase: Phase, *, now: datetime, lines: int = 60) -> ReleaseList:
    """A list of ``lines`` rows on ``phase``, reconciled: two in three name a registry person by
    name alone, the others a stranger. The registry people are made once per surname."""
    release_list = ReleaseList.objects.create(
        phase=phase,
        received_on=now.date(),
        sha256=f"{phase.pk:064d}",
        rows_total=lines,
        original_name=f"keyboard-{phase.pk}.csv",
    )
    known, strangers = iter(KNOWN), iter(STRANGERS)
    rows = []
    for line in range(1, lines + 1):
        ukrainian, russian = GIVEN[line % len(GIVEN)]
        if line % 3:
            surname = next(known)
            if not Captive.objects.filter(family_name=surname).exists():
                make_captive(family_name=surname, given_name=ukrainian, patronymic="")
        else:
            surname = next(strangers)
        rows.append(
            ReleaseListRow(
                release_list=release_list, line_number=line, full_name=f"{surname} {russian}"
            )
        )
    ReleaseListRow.objects.bulk_create(rows)
    return reconcile_release_list(release_list_id=release_list.pk, now=now)


def key_for(row: ReleaseListRow) -> tuple[str, Resolution]:
    """The key a reviewer presses on this row, and the decision it records."""
    if row.line_number % 10 == 0:
        return "KeyD", Resolution.DEFERRED
    if row.outcome == Outcome.UNMATCHED:
        if row.line_number % 4 == 0:
            return "KeyX", Resolution.NOT_OURS
        return "KeyN", Resolution.NEW_CAPTIVE
    return "KeyC", Resolution.CONFIRMED


@dataclass(frozen=True)
class Decision:
    line: int
    key: str
    requests: tuple[str, ...]  # "POST /review/rows/12/", as the page sent them
    page_loads: int
    ms: float  # from the key to the next row ready, by the page's clock
    driver_ms: float  # the same as the test's driver sees it, its own round trips included


class UkrainianKeyboard:
    """Presses keys as the Ukrainian layout sends them: event.code "KeyC", event.key "с".
    Playwright's own keyboard knows only the US layout; Chromium's DevTools protocol sends
    what any layout would."""

    def __init__(self, page: Page) -> None:
        self.session = page.context.new_cdp_session(page)

    def press(self, code: str) -> None:
        typed = UKRAINIAN[code]
        event: dict[str, Any] = {
            "code": code,
            "key": typed,
            "windowsVirtualKeyCode": VIRTUAL_KEY[code],
        }
        self.session.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": typed, **event})
        self.session.send("Input.dispatchKeyEvent", {"type": "keyUp", **event})


# Every page of the tab notes when a key went down, on a clock that survives a page load.
PRESSED_AT = """addEventListener("keydown", () => sessionStorage.setItem(
    "pressedAt", String(performance.timeOrigin + performance.now())), true);"""


def review_by_keyboard(
    page: Page, first_url: str, rows: dict[int, ReleaseListRow], *, htmx: bool = True
) -> list[Decision]:
    """Decide every row from ``first_url`` on by keys alone, until no row is left."""
    sent: list[str] = []
    loads: list[str] = []
    page.add_init_script(PRESSED_AT)
    page.on("request", lambda request: _count(sent, request))
    page.on("load", lambda loaded: loads.append(loaded.url))
    page.goto(first_url, wait_until="networkidle", timeout=FIRST_ROW_READY)
    page.wait_for_selector("#review-panel[data-row]")
    keyboard = UkrainianKeyboard(page)
    decisions = []
    while (pk := page.evaluate(SHOWN_ROW)) is not None:
        row = rows[int(pk)]
        code, _ = key_for(row)
        before_sent, before_loads = len(sent), len(loads)
        started = time.perf_counter()
        if htmx:
            keyboard.press(code)
        else:
            with page.expect_navigation(wait_until="load"):
                keyboard.press(code)
        ms = _wait_for_next_row(page, pk, focused=htmx)
        decisions.append(
            Decision(
                line=row.line_number,
                key=code,
                requests=tuple(_path(r) for r in sent[before_sent:]),
                page_loads=len(loads) - before_loads,
                ms=ms,
                driver_ms=(time.perf_counter() - started) * 1000,
            )
        )
    settled = len(sent)
    page.wait_for_timeout(300)  # anything sent late counts against the last decision
    if decisions and len(sent) > settled:
        late = tuple(_path(r) for r in sent[settled:])
        decisions[-1] = replace(decisions[-1], requests=decisions[-1].requests + late)
    return decisions


def _count(sent: list[str], request: Request) -> None:
    """A request the page sent. Not the icon, which the browser fetches again now and then on
    its own (when the address changes, as the history's does), whatever the page does."""
    if "/static/img/favicon." not in request.url:  # favicon.svg, or its hashed name
        sent.append(f"{request.method} {request.url}")


def _wait_for_next_row(page: Page, pk: str, *, focused: bool) -> float:
    """Wait, frame by frame, for the next row (with htmx: live and its heading focused); the ms
    since the key went down."""
    waited = page.wait_for_function(
        """([pk, focused]) => {
            const panel = document.getElementById("review-panel");
            if (document.readyState !== "complete" || panel?.dataset.row === pk) return false;
            const ready = !panel  // the queue's page: without script, after the last row
                || (!panel.matches(".htmx-added, .htmx-settling")  // htmx made it live
                    && (!focused || document.activeElement?.id === "row-heading"));
            const now = performance.timeOrigin + performance.now();
            return ready && now - Number(sessionStorage.getItem("pressedAt"));
        }""",
        arg=[pk, focused],
    )
    return float(waited.json_value())


def _path(request: str) -> str:
    return re.sub(r"^(\w+) https?://[^/]+", r"\1 ", request)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the value ``share`` of the values are at or below."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
