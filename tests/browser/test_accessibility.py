"""Every page each role can reach, in Ukrainian and English, on a desktop (1280 px) and a phone
(390 px), measured by axe-core (node_modules/axe-core, installed by scripts/node-modules.sh).

A page passes with no violation of impact "serious" or "critical". With SCREENSHOTS_DIR set,
each page is also saved whole as ``role-lang-width-page.png``, and every violation found, of
any impact, goes to ``axe-<role>.json`` beside them: how a person looks at every page.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page

from accounts.models import User
from accounts.roles import Role
from captives.models import Captive, Place, PlaceKind, Provenance
from captives.places import record_detention, record_icrc_notification
from config import limits
from exchanges.models import Outcome, Phase, ReleaseList, Resolution
from exchanges.reconciliation import (
    receive_release_list,
    reconcile_release_list,
    rereconcile_open_rows,
)
from exchanges.review import resolve_row
from inquiries.erasure import request_erasure
from inquiries.limits import WRONG_PIN_PER_REFERENCE
from inquiries.matching import match_sightings_to_inquiries, rematch_open_inquiries
from inquiries.models import Inquiry, Sighting
from inquiries.services import file_inquiry, link_inquiry, record_sighting, verify_relative
from tests.browser.debriefing import debriefing
from tests.conftest import grant_roles
from tests.factories import (
    approve_phase,
    code_of,
    confirmed_device,
    make_captive,
    make_exchange,
    make_matched_list,
    make_phase,
    make_user,
    sign_in,
)
from workflows.confirmation import propose_confirmation
from workflows.merging import merge_captives

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> None:
    """The relatives' photos the pages show, kept for the test alone."""
    settings.MEDIA_ROOT = tmp_path


AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("uk", "en")
WIDTHS = (1280, 390)
FAILING = ("serious", "critical")
LIST = (
    "№;ФИО;Дата рождения;в/ч;Место содержания\n"
    # matched: Russian forms, date agrees; at a place the registry does not know
    "1;Гнатюк Дмитрий Юрьевич;03.12.1998;;ИК-99 г. Нигде\n"
    "2;Ярошенко Виктория;;;СИЗО-1 г. Донецк\n"  # review: a unique name, nothing to confirm it
    "3;Вайнштейн Аркадий Львович;01.01.1970;;\n"  # unmatched: nobody we hold
    "4;Коваленко Иван Петрович;;;\n"  # conflict: two namesakes, nothing tells them apart
    "5;Мельник Андрей Олегович;31.02.1985;;\n"  # no such date; unmatched, decided "not ours"
    # conflict: letters the file lost (cp1251's "?"); the name fits a man already home
    "6;Лис?нко П?тро;;;\n"
)


@dataclass(frozen=True)
class Visit:
    """A page: its name in the screenshot's file, its address, and, for a page that only a form
    leads to, the fields to fill before submitting it. ``session`` replaces the role's own."""

    name: str
    path: str
    fill: tuple[tuple[str, str], ...] = ()
    submit: bool = False
    session: str | None = None
    ready: str | None = None  # a page its own script builds: wait until this is shown
    # A page shown once (the backup codes): a new session for every visit, made by this.
    fresh_session: Callable[[], tuple[str, str]] | None = None
    then: str | None = None  # a button on the page the form led to, pressed in turn
    prepare: Callable[[], None] | None = None  # run before each visit: a state to start from


FILING = (
    ("#id_relative_name", "Олена Коваль"),
    ("#id_relationship", "сестра"),
    ("#id_email", "olena@example.org"),
    ("#id_sought_full_name", "Коваль Ігор"),
    ("#id_consent", "check"),
)
# The same with a telephone number no provider could send to: the error by its field.
BAD_PHONE = (*FILING, ("#id_phone", "067 12"))


def _session(user: User, *, verified: bool = True) -> str:
    """A session cookie for ``user``: signed in with the second factor, or with the password
    only (the second factor's pages)."""
    client = Client()
    if verified:
        sign_in(client, user)
    else:
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@dataclass
class World:
    """The data the pages need, made once per test: the staff, and the pages of each role."""

    now: datetime = field(default_factory=timezone.now)
    staff: dict[str, User] = field(default_factory=dict)
    pages: dict[str, list[Visit]] = field(default_factory=dict)

    def session(self, role: str) -> str | None:
        return _session(self.staff[role]) if role in self.staff else None


def _world() -> World:
    grant_roles()  # an earlier flushing test may have emptied the tables
    world = World()
    for name, role in (
        ("official", Role.OFFICIAL),
        ("reviewer", Role.REVIEWER),
        ("caseworker", Role.CASEWORKER),
        ("admin", Role.ADMINISTRATOR),
    ):
        world.staff[name] = make_user(role)
    sought, returnee, held = _registry(world)
    place = _trail(world, sought)
    reading, editing = _exchange_pages(world, returnee)
    registry = [
        Visit("registry", reverse("registry:search")),
        Visit("registry-search", reverse("registry:search") + "?q=Коваленко"),
        Visit("places", reverse("registry:places")),
        Visit("place", reverse("registry:place", args=[place.pk])),
        Visit("captive", _captive(sought)),
        Visit("captive-merged", _captive(held)),
        Visit("captive-home", _captive(returnee)),
    ]
    caseworkers, public = _inquiry_pages(world, sought, returnee)
    caseworkers_more, public_more = _debriefing_pages(world, returnee)
    caseworkers += caseworkers_more
    public += public_more
    world.pages = {
        "official": reading + registry + editing + _place_pages(place),
        "reviewer": reading + registry,
        "caseworker": registry + caseworkers,
        # The administrator's other pages are the official's, with one more link above.
        "admin": [Visit("start", "/"), *_admin_pages(sought, held)],
        "relative": public,
    }
    return world


def _debriefing_pages(world: World, returnee: Captive) -> tuple[list[Visit], list[Visit]]:
    """The debriefing gallery, narrowed and whole, a tile's sighting form, the way in; and the
    relative's status page offering to withdraw the photo and having withdrawn it, offering to
    show it and having shown it."""
    shown = debriefing(returnee=returnee, caseworker=world.staff["caseworker"], at=world.now)
    status = reverse("inquiries:status")
    answer = (("#id_reference", shown.reference), ("#id_pin", shown.pin))
    withdraw = "main form[action$='/status/photo/'] button"
    show = "main form[action$='/status/photo/show/'] button"
    return [
        Visit("gallery", shown.gallery),
        Visit("gallery-everyone", shown.gallery + "?everyone=1"),
        Visit("gallery-tile", shown.tile),
        Visit("gallery-start", reverse("inquiries:gallery-start")),
    ], [
        Visit("status-photo", status, fill=answer, submit=True, prepare=shown.consent_again),
        Visit(
            "status-photo-withdrawn",
            status,
            fill=answer,
            submit=True,
            then=withdraw,
            prepare=shown.consent_again,
        ),
        Visit("status-photo-offered", status, fill=answer, submit=True, prepare=shown.no_consent),
        Visit(
            "status-photo-shown",
            status,
            fill=answer,
            submit=True,
            then=show,
            prepare=shown.no_consent,
        ),
    ]


def _captive(person: Captive) -> str:
    return reverse("registry:captive", args=[person.public_id])


def _registry(world: World) -> tuple[Captive, Captive, Captive]:
    """The people the release list names, someone who came home, and a record another was
    merged into."""
    make_captive(family_name="Ярошенко", given_name="Вікторія", patronymic="Олегівна")
    for _namesake in range(2):
        make_captive(family_name="Коваленко", given_name="Іван", birth_date=None)
    held = make_captive(family_name="Бондар", given_name="Тарас", patronymic="Іванович")
    duplicate = make_captive(family_name="Бондарь", given_name="Тарас", patronymic="Иванович")
    by, at = world.staff["official"], world.now
    merge_captives(kept=held, duplicate=duplicate, by=by, at=at, reason="One person")
    sought = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    returnee = make_captive(family_name="Лисенко", given_name="Петро")
    return sought, returnee, held


def _release_list(phase: Phase, by: User) -> ReleaseList:
    release_list, _ = receive_release_list(
        phase=phase,
        data=LIST.encode(),
        filename="список-84.csv",
        received_on=phase.date,
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=by,
    )
    return reconcile_release_list(release_list_id=release_list.pk, now=timezone.now())


def _phases(world: World, returnee: Captive) -> dict[str, Phase]:
    """A completed phase, a proposed one and one under way, each declaring other counts than
    it names."""
    official, proposer, now = world.staff["official"], make_user(Role.OFFICIAL), world.now
    exchange = make_exchange(name="Обмін 84 на 84", agreed_on=date(2025, 10, 2))
    completed = make_phase(exchange, number=1, date=date(2025, 10, 9), place="Суми")
    make_matched_list(completed, [returnee])
    propose_confirmation(phase=completed, by=proposer, at=now)
    approve_phase(phase=completed, by=official, at=now)
    proposed = make_phase(
        exchange, number=2, date=date(2025, 10, 16), declared_returned_civilians=3
    )
    make_matched_list(proposed, [make_captive(family_name="Кравець", given_name="Олег")])
    propose_confirmation(phase=proposed, by=proposer, at=now)
    soon = timezone.localdate() + timedelta(days=7)
    under_way = make_phase(exchange, number=3, date=soon, declared_returned_servicemen=5)
    return {"completed": completed, "proposed": proposed, "under-way": under_way}


def _exchange_pages(world: World, returnee: Captive) -> tuple[list[Visit], list[Visit]]:
    """The pages every reader of exchanges reaches, and those only their editors reach; the
    phase under way has a reconciled list with rows of every outcome, one of them decided."""
    phases = _phases(world, returnee)
    under_way, exchange = phases["under-way"], phases["under-way"].exchange
    release_list = _release_list(under_way, world.staff["official"])
    rows = {row.line_number: row for row in release_list.rows.all()}
    outcomes = {row.outcome for row in rows.values()}
    assert {Outcome.MATCHED, Outcome.REVIEW, Outcome.UNMATCHED, Outcome.CONFLICT} <= outcomes
    by, at = world.staff["reviewer"], world.now
    resolve_row(row=rows[5], resolution=Resolution.NOT_OURS, by=by, at=at, version=0)
    rereconcile_open_rows(day=timezone.localdate())  # the phase's daily report

    def row(line: int) -> str:
        return reverse("review:row", args=[rows[line].pk])

    reading = [
        Visit("exchanges", reverse("exchanges:list")),
        Visit("exchange", reverse("exchanges:detail", args=[exchange.pk])),
        *(Visit(f"phase-{n}", reverse("exchanges:phase", args=[p.pk])) for n, p in phases.items()),
        Visit("release-list", reverse("exchanges:release-list", args=[release_list.pk])),
        Visit("review-queue", reverse("review:queue")),
        *(Visit(f"review-row-{rows[n].outcome}", row(n)) for n in (2, 3, 4)),
        Visit("review-row-lost-letters", row(6)),
        Visit("review-row-decided", row(5)),
        Visit("review-row-search", row(2) + "?q=Ярошенко"),
        Visit("new-captive", reverse("review:new-captive", args=[rows[3].pk])),
    ]
    approval = "workflows:phase-approval"
    editing = [
        Visit("exchange-new", reverse("exchanges:new")),
        Visit("exchange-edit", reverse("exchanges:edit", args=[exchange.pk])),
        Visit("exchange-new-errors", reverse("exchanges:new"), submit=True),
        Visit("phase-new", reverse("exchanges:phase-new", args=[exchange.pk])),
        Visit("phase-edit", reverse("exchanges:phase-edit", args=[under_way.pk])),
        Visit("upload", reverse("exchanges:release-list-upload", args=[under_way.pk])),
        Visit("approval", reverse(approval, args=[phases["proposed"].pk])),
        Visit("approval-completed", reverse(approval, args=[phases["completed"].pk])),
        Visit("protocol", reverse("exchanges:phase-protocol", args=[phases["completed"].pk])),
        Visit("forbidden", reverse("inquiries:list")),
    ]
    return reading, editing


def _place_pages(place: Place) -> list[Visit]:
    """A place's form, and the same with a lone coordinate: the error beside the other one."""
    return [
        Visit("place-edit", reverse("registry:place-edit", args=[place.pk])),
        Visit(
            "place-new-errors",
            reverse("registry:place-new"),
            fill=(("#id_name", "ІК-3"), ("#id_latitude", "48.3")),
            submit=True,
        ),
    ]


def _trail(world: World, sought: Captive) -> Place:
    """Where the sought person was held: a pre-trial centre seen by a returnee, then a colony
    a release list names, then the ICRC's word; the colony is where they are now."""
    sizo = Place.objects.create(
        name="СІЗО-2 Таганрог",
        name_as_written="СИЗО-2 г. Таганрог",
        kind=PlaceKind.PRETRIAL,
        region="Ростовська область",
    )
    colony = Place.objects.create(
        name="ВК-10 Макіївка",
        name_as_written="ИК-10 г. Макеевка",
        kind=PlaceKind.COLONY,
        region="Донецька область",
        latitude=Decimal("48.04861"),
        longitude=Decimal("37.96722"),
    )
    official = world.staff["official"]
    for place, start, end, kind, said in (
        (
            sizo,
            date(2024, 4, 2),
            date(2024, 4, 2),
            Provenance.Kind.SIGHTING,
            "Seen by Лисенко Петро at СІЗО-2 Таганрог",
        ),
        (
            colony,
            date(2024, 11, 20),
            date(2024, 11, 20),
            Provenance.Kind.RELEASE_LIST,
            "Line 7 of list 3",
        ),
    ):
        record_detention(
            captive=sought,
            place=place,
            held_from=start,
            held_until=end,
            provenance=Provenance(kind=kind, description=said),
            by=official,
        )
    record_icrc_notification(
        captive=sought, place=colony, since=date(2025, 1, 15), note="МКЧХ 2025/118", by=official
    )
    return colony


def _inquiry_pages(
    world: World, sought: Captive, returnee: Captive
) -> tuple[list[Visit], list[Visit]]:
    """The caseworkers' pages (an open inquiry with suggestions, a linked and verified one, a
    sighting), and the public ones: a relative's, and those of staff signing in."""
    caseworker, now = world.staff["caseworker"], world.now
    seen = Sighting(reporter=returnee, seen_full_name="Гнатюк Дмитро", facility="Таганрог")
    sighting = record_sighting(sighting=seen, by=caseworker)
    mother = Inquiry(
        relative_name="Марія Гнатюк",
        relationship="мати",
        email="maria@example.org",
        sought_full_name=sought.full_name,
        sought_birth_date=sought.birth_date,
    )
    wife = Inquiry(
        relative_name="Ганна Лисенко",
        relationship="дружина",
        phone="+380501234567",
        sought_full_name=returnee.full_name,
    )
    open_one, receipt = (
        file_inquiry(inquiry=mother, at=now).inquiry,
        file_inquiry(inquiry=wife, at=now),
    )
    linked = link_inquiry(inquiry=receipt.inquiry, captive=returnee, by=caseworker, at=now)
    verify_relative(inquiry=linked, method="Паспорт", by=caseworker, at=now)
    rematch_open_inquiries(at=now)  # the suggestions
    match_sightings_to_inquiries()
    request_erasure(inquiry=open_one, at=now)  # the relative asks: a request waits
    caseworkers = [
        Visit("inquiries", reverse("inquiries:list")),
        Visit("inquiry-open", reverse("inquiries:detail", args=[open_one.reference])),
        Visit("inquiry-linked", reverse("inquiries:detail", args=[linked.reference])),
        Visit("suggestions", reverse("inquiries:suggestions")),
        Visit("sighting-new", reverse("inquiries:sighting-new")),
        Visit("sighting", reverse("inquiries:sighting", args=[sighting.pk])),
        Visit("erasure-requests", reverse("inquiries:erasure-requests")),
        Visit("erasure-decision", reverse("inquiries:erasure", args=[open_one.reference])),
    ]
    enrolling, second_step = make_user(Role.OFFICIAL), make_user(Role.REVIEWER)
    confirmed_device(second_step)
    new, status, factor = (
        reverse("inquiries:new"),
        reverse("inquiries:status"),
        reverse("second-factor"),
    )
    answer = (("#id_reference", linked.reference), ("#id_pin", receipt.pin))
    # A wrong PIN for the linked inquiry (one of its address's five an hour, per context); the
    # open one locked for everybody by strangers' wrong PINs; a staff name locked by django-axes.
    wrong = (
        ("#id_reference", linked.reference),
        ("#id_pin", f"{(int(receipt.pin) + 1) % 10**6:06d}"),
    )
    for _ in range(WRONG_PIN_PER_REFERENCE.limit + 1):
        limits.count(WRONG_PIN_PER_REFERENCE, open_one.reference)
    held_off = (("#id_reference", open_one.reference), ("#id_pin", "123456"))
    AccessAttempt.objects.create(
        username="locked-out",
        ip_address="127.0.0.1",
        user_agent="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info=reverse("login"),
    )
    locked_sign_in = (("#id_username", "locked-out"), ("#id_password", "not-the-password"))
    public = [
        Visit("home", "/"),
        Visit("login", reverse("login")),
        Visit("inquiry-new", new),
        Visit("inquiry-new-errors", new, submit=True),
        Visit("inquiry-new-bad-phone", new, fill=BAD_PHONE, submit=True),
        Visit("inquiry-filed", new, fill=FILING, submit=True),
        Visit("status", status),
        Visit("status-answer", status, fill=answer, submit=True),
        Visit("status-wrong-pin", status, fill=wrong, submit=True),
        Visit("status-locked", status, fill=held_off, submit=True),
        Visit("login-locked", reverse("login"), fill=locked_sign_in, submit=True),
        Visit("not-found", "/no-such-page/"),
        Visit("enrol", factor, session=_session(enrolling, verified=False)),
        Visit("second-factor", factor, session=_session(second_step, verified=False)),
        Visit("backup-codes", "", fresh_session=_codes_to_show),
    ]
    return caseworkers, public


def _codes_to_show() -> tuple[str, str]:
    """A new member of staff just enrolled, the backup codes waiting in the session: its cookie,
    and the page that shows them (once)."""
    client = Client()
    client.force_login(make_user(Role.CASEWORKER))
    client.get(reverse("second-factor-enrol"))
    device = TOTPDevice.objects.get(user=client.session["_auth_user_id"], confirmed=False)
    code = code_of(device)
    answer = client.post(reverse("second-factor-enrol"), {"otp_token": code, "next": "/"})
    return client.cookies[settings.SESSION_COOKIE_NAME].value, answer["Location"]


def _admin_pages(captive: Captive, held: Captive) -> list[Visit]:
    return [
        Visit("admin", reverse("admin:index")),
        Visit("admin-captives", reverse("admin:captives_captive_changelist")),
        Visit("admin-captive", reverse("admin:captives_captive_change", args=[captive.pk])),
        Visit("admin-captive-history", reverse("admin:captives_captive_history", args=[held.pk])),
        Visit("admin-users", reverse("admin:accounts_user_changelist")),
        Visit("admin-token-new", reverse("admin:accounts_partnertoken_add")),
        Visit("admin-rows", reverse("admin:exchanges_releaselistrow_changelist")),
        Visit("access-log", reverse("access-log")),
        Visit("access-log-filtered", reverse("access-log") + "?kind=inquiry&since=2020-01-01"),
        Visit("admin-access-log", reverse("admin:accounts_accesslogentry_changelist")),
        Visit("api-docs", reverse("api-docs"), ready=".opblock-summary"),
    ]


def _open(page: Page, base: str, visit: Visit) -> None:
    path, session = visit.path, visit.session
    if visit.prepare is not None:
        visit.prepare()
    if visit.fresh_session is not None:
        session, path = visit.fresh_session()
    if session is not None:
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}]
        )
    page.goto(base + path)
    for selector, value in visit.fill:
        if value == "check":
            page.check(selector)
        else:
            page.fill(selector, value)
    if visit.submit:
        with page.expect_navigation():
            page.click("main button[type=submit]")
    if visit.then:
        with page.expect_navigation():
            page.click(visit.then)
    if visit.ready:
        page.wait_for_selector(visit.ready)


def _axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands. The script is evaluated through the
    browser's debugging protocol, which the Content-Security-Policy does not govern: the page
    is measured as a visitor gets it, with the policy on."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .map(v => ({id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.map(n => ({target: n.target.join(" "),
                                                   summary: n.failureSummary}))}))"""
    )
    return violations


def _small_text(page: Page) -> list[str]:
    """Text drawn below 12 px, SVG text at the size its chart is scaled to: "text: size"."""
    small: list[str] = page.evaluate(
        """() => [...document.querySelectorAll("body *")].flatMap(el => {
             const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.data.trim());
             if (!own.length || !el.getClientRects().length) return [];
             let size = parseFloat(getComputedStyle(el).fontSize);
             if (el instanceof SVGElement) size *= el.getScreenCTM().a;
             const text = own[0].data.trim().slice(0, 30);
             return size < 11.95 ? [`${text}: ${size.toFixed(1)} px`] : [];
           })"""
    )
    return small


def _described(found: list[tuple[str, dict[str, Any]]]) -> str:
    lines = []
    for where, violation in found:
        lines.append(f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"    {node['target']}" for node in violation["nodes"][:5])
    return "\n".join(lines)


@pytest.mark.parametrize("role", ["official", "reviewer", "caseworker", "admin", "relative"])
def test_every_page_a_role_reaches_has_no_serious_accessibility_violation(
    live_server: Any, browser: Browser, role: str
) -> None:
    assert AXE.exists(), "axe-core is missing: run scripts/node-modules.sh"
    base = live_server.url
    world = _world()
    shots = Path(os.environ["SCREENSHOTS_DIR"]) if os.environ.get("SCREENSHOTS_DIR") else None
    found: list[tuple[str, dict[str, Any]]] = []
    tiny: list[str] = []
    session = world.session(role)
    for language in LANGUAGES:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
            if session is not None:
                cookies.append(
                    {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}
                )
            context.add_cookies(cookies)  # type: ignore[arg-type]
            page = context.new_page()
            for visit in world.pages[role]:
                _open(page, base, visit)
                where = f"{role}-{language}-{width}-{visit.name}"
                found.extend((where, v) for v in _axe(page))
                if not visit.path.startswith("/admin/"):  # Django's admin sets its own sizes
                    tiny.extend(f"{where}: {text}" for text in _small_text(page))
                if shots is not None:
                    shots.mkdir(parents=True, exist_ok=True)
                    page.screenshot(
                        path=str(shots / f"{where}.png"), full_page=True, timeout=120_000
                    )
                if visit.session or visit.fresh_session:  # back to the role's own session
                    page.context.clear_cookies()
                    page.context.add_cookies(cookies)  # type: ignore[arg-type]
            context.close()
    if shots is not None:
        (shots / f"axe-{role}.json").write_text(
            json.dumps([{"page": w, **v} for w, v in found], ensure_ascii=False, indent=1)
        )
    by_impact = Counter(v["impact"] for _, v in found)
    failing = [(w, v) for w, v in found if v["impact"] in FAILING]
    assert not failing, f"{dict(by_impact)}\n{_described(failing)}"
    assert not tiny, "text below 12 px:\n" + "\n".join(tiny)
