"""Officials record and correct exchange agreements on their own pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from captives.models import Category, Side
from exchanges.models import Exchange, ReconciliationReport
from exchanges.services import confirm_transfer, list_for_phase
from tests.factories import make_captive, make_exchange, make_phase, make_provenance, sign_in

pytestmark = pytest.mark.django_db

VALID = {
    "name": "1000 for 1000",
    "agreed_on": "2025-05-16",
    "venue": "Istanbul",
    "mediators": "Türkiye",
    "returned_total": "1000",
    "agreed_returned_servicemen": "690",
    "agreed_returned_civilians": "310",
    "handed_over_total": "1000",
    "agreed_handed_over_servicemen": "690",
    "agreed_handed_over_civilians": "310",
}
EDITORS = {Role.OFFICIAL, Role.ADMINISTRATOR}


def _client(user: User | None, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        sign_in(client, user)
    return client


def _under_way(official: User) -> Exchange:
    """The agreement as of its first day: phase 1 declares 270 + 120 each way, and one civilian
    we held has been confirmed as handed over (more than the phase declared)."""
    exchange = make_exchange(
        agreed_returned_servicemen=690,
        agreed_returned_civilians=310,
        agreed_handed_over_servicemen=690,
        agreed_handed_over_civilians=310,
    )
    phase = make_phase(
        exchange,
        declared_returned_servicemen=270,
        declared_returned_civilians=120,
        declared_handed_over_servicemen=270,
        declared_handed_over_civilians=0,
    )
    civilian = make_captive(held_by=Side.OURS, category=Category.CIVILIAN)
    transfer = list_for_phase(
        phase=phase, captive=civilian, by=official, provenance=make_provenance()
    )
    confirm_transfer(transfer=transfer, by=official, at=datetime(2025, 5, 23, 14, tzinfo=UTC))
    return exchange


def test_official_records_an_agreement_from_the_list_with_history(official: User) -> None:
    client = _client(official)

    listing = client.get("/exchanges/")
    response = client.post("/exchanges/new/", VALID)

    exchange = Exchange.objects.get()
    assert b'href="/exchanges/new/"' in listing.content
    assert response.status_code == 302
    assert response["Location"] == f"/exchanges/{exchange.pk}/"
    assert (exchange.agreed().returned, exchange.agreed().handed_over) == (1000, 1000)
    assert exchange.mediators == "Türkiye"
    recorded = exchange.history.get()
    assert (recorded.history_user, recorded.history_type) == (official, "+")


def test_official_corrects_an_agreement_from_its_page_with_history(official: User) -> None:
    exchange = make_exchange()
    client = _client(official)

    detail = client.get(f"/exchanges/{exchange.pk}/")
    form = client.get(f"/exchanges/{exchange.pk}/edit/")
    response = client.post(
        f"/exchanges/{exchange.pk}/edit/", VALID | {"venue": "Istanbul, Türkiye"}
    )

    exchange.refresh_from_db()
    assert f'href="/exchanges/{exchange.pk}/edit/"'.encode() in detail.content
    assert form.context["form"]["returned_total"].value() == 1000
    assert response.status_code == 302
    assert exchange.venue == "Istanbul, Türkiye"
    latest = exchange.history.latest()
    assert (latest.history_user, latest.history_type) == (official, "~")
    assert latest.history_change_reason == "Edited on the agreement page"


def test_the_totals_may_be_left_blank_when_only_the_split_is_known(official: User) -> None:
    blank = {"returned_total": "", "handed_over_total": ""}

    response = _client(official).post("/exchanges/new/", VALID | blank)

    assert response.status_code == 302
    assert Exchange.objects.get().agreed().returned == 1000


@pytest.mark.parametrize("role", [*Role, None], ids=lambda role: role or "anonymous")
def test_only_those_who_record_phases_record_or_edit_agreements(
    role: Role | None, users_by_role: dict[Role | None, User | None]
) -> None:
    exchange = make_exchange(venue="Istanbul")
    client = _client(users_by_role[role])
    changed = VALID | {"name": "Changed", "venue": "Geneva"}

    listing = client.get("/exchanges/")
    detail = client.get(f"/exchanges/{exchange.pk}/")
    pages = [client.get("/exchanges/new/"), client.get(f"/exchanges/{exchange.pk}/edit/")]
    posts = [
        client.post("/exchanges/new/", changed),
        client.post(f"/exchanges/{exchange.pk}/edit/", changed),
    ]

    exchange.refresh_from_db()
    if role in EDITORS:
        assert b'href="/exchanges/new/"' in listing.content
        assert f'href="/exchanges/{exchange.pk}/edit/"'.encode() in detail.content
        assert [page.status_code for page in pages] == [200, 200]
        assert [post.status_code for post in posts] == [302, 302]
        assert (Exchange.objects.count(), exchange.venue) == (2, "Geneva")
    else:
        assert b'href="/exchanges/new/"' not in listing.content
        assert b"/edit/" not in detail.content
        denied = 302 if role is None else 403  # strangers are sent to sign in
        assert {response.status_code for response in pages + posts} == {denied}
        assert (Exchange.objects.count(), exchange.venue) == (1, "Istanbul")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": ""}, "name", "required"),
        ({"agreed_returned_civilians": "-1"}, "agreed_returned_civilians", "greater than or"),
        ({"returned_total": "999"}, "returned_total", "add up to 1000, not 999"),
        ({"handed_over_total": "-5"}, "handed_over_total", "greater than or"),
        ({"agreed_on": "2999-01-01"}, "agreed_on", "in the future"),
        ({"agreed_on": "2025-02-30"}, "agreed_on", "valid date"),
    ],
    ids=["no-name", "negative", "total-differs", "negative-total", "future", "not-a-date"],
)
def test_a_refused_new_agreement_names_its_field_and_nothing_is_saved(
    official: User, change: dict[str, str], field: str, words: str
) -> None:
    response = _client(official).post("/exchanges/new/", VALID | change)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert words in errors[field][0]
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"agreed_on": "2025-05-24"}, "agreed_on", "Phase 1 is dated 23.05.2025"),
        (
            {"agreed_returned_servicemen": "269", "returned_total": ""},
            "agreed_returned_servicemen",
            "less than 270: this agreement's phases already declare that many",
        ),
        (
            {"agreed_handed_over_civilians": "0", "handed_over_total": ""},
            "agreed_handed_over_civilians",
            "less than 1: that many transfers have already been confirmed",
        ),
    ],
    ids=["after-its-first-phase", "below-declared", "below-confirmed"],
)
def test_a_refused_edit_names_its_field_and_keeps_nothing(
    official: User, change: dict[str, str], field: str, words: str
) -> None:
    exchange = _under_way(official)
    before = exchange.history.count()
    edit = VALID | {"venue": "Geneva"} | change

    response = _client(official).post(f"/exchanges/{exchange.pk}/edit/", edit)

    exchange.refresh_from_db()
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert words in errors[field][0]
    assert (exchange.venue, exchange.history.count()) == ("Istanbul", before)


def test_refusals_are_shown_in_ukrainian(official: User) -> None:
    exchange = _under_way(official)
    edit = VALID | {"agreed_returned_servicemen": "200", "returned_total": ""}

    response = _client(official, language="uk").post(f"/exchanges/{exchange.pk}/edit/", edit)

    assert "Не може бути менше ніж 270" in response.content.decode()


def test_counts_may_come_down_to_what_the_phases_declare(official: User) -> None:
    exchange = _under_way(official)
    edit = VALID | {"agreed_returned_civilians": "120", "returned_total": "810"}

    response = _client(official).post(f"/exchanges/{exchange.pk}/edit/", edit)

    exchange.refresh_from_db()
    assert response.status_code == 302
    assert exchange.agreed_returned_civilians == 120


def test_every_problem_is_shown_at_once(official: User) -> None:
    exchange = _under_way(official)
    edit = VALID | {"returned_total": "1001", "agreed_on": "2025-06-01"}
    edit |= {"agreed_handed_over_servicemen": "100", "handed_over_total": ""}

    response = _client(official).post(f"/exchanges/{exchange.pk}/edit/", edit)

    assert set(response.context["form"].errors) == {
        "returned_total",
        "agreed_on",
        "agreed_handed_over_servicemen",
    }


def test_the_service_still_refuses_what_changed_after_the_form_looked(
    official: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phase recorded between the form's check and the save: the service checks again under
    its lock, and the page shows its refusal beside the field."""
    exchange = _under_way(official)
    monkeypatch.setattr("exchanges.forms.exchange_refusals", lambda **_: {})
    edit = VALID | {"venue": "Geneva", "agreed_returned_servicemen": "1", "returned_total": ""}

    response = _client(official).post(f"/exchanges/{exchange.pk}/edit/", edit)

    exchange.refresh_from_db()
    assert list(response.context["form"].errors) == ["agreed_returned_servicemen"]
    assert (exchange.venue, exchange.agreed_returned_servicemen) == ("Istanbul", 690)


def test_the_edit_page_in_ukrainian_shows_the_stored_date_to_the_date_picker(
    official: User,
) -> None:
    exchange = make_exchange()

    response = _client(official, language="uk").get(f"/exchanges/{exchange.pk}/edit/")

    assert 'value="2025-05-16"' in response.content.decode()


def test_a_phase_whose_counts_differ_says_so_in_words_not_by_colour_alone(official: User) -> None:
    exchange = make_exchange()
    differs = make_phase(exchange, number=1, declared_returned_servicemen=2)
    agrees = make_phase(exchange, number=2)

    page = _client(official).get(f"/exchanges/{exchange.pk}/").content.decode()

    rows = {
        number: page.split(f'href="/exchanges/phases/{phase.pk}/">Phase {number}</a>')[1].split(
            "</tr>"
        )[0]
        for number, phase in ((1, differs), (2, agrees))
    }
    assert '<span class="differs">Counts differ</span>' in rows[1]
    assert "Counts differ" not in rows[2]
    legend = page.split('<p class="legend">')[1].split("</p>")[0]
    assert "Counts differ" in legend
    assert "The declared counts and the people named in transfers differ." in legend


def test_no_legend_for_differing_counts_where_every_phase_agrees(official: User) -> None:
    exchange = make_exchange()
    make_phase(exchange)

    page = _client(official).get(f"/exchanges/{exchange.pk}/").content.decode()

    assert 'class="legend"' not in page
    assert "Counts differ" not in page


def test_the_daily_report_names_outcomes_in_the_readers_language(official: User) -> None:
    phase = make_phase()
    ReconciliationReport.objects.create(
        phase=phase,
        day=date(2025, 5, 23),
        counts={"review": 1, "matched": 2},
        changes=[{"line": 4, "list": 1, "from": "review", "to": "matched"}],
    )
    client = _client(official)
    client.cookies["django_language"] = "uk"

    page = client.get(f"/exchanges/phases/{phase.pk}/").content.decode()

    assert "На перевірку: 1, Збіг: 2" in page
    assert "рядок 4: На перевірку → Збіг" in page
    assert "review:" not in page
