from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from captives.services import record_spelling
from config.celery import app as celery_app
from exchanges.models import ReleaseList, ReleaseListRow
from exchanges.reconciliation import reconcile_release_list
from inquiries.matching import match_changes, rematch_open_inquiries
from inquiries.models import Inquiry, Sighting, SightingLead, Suggestion
from inquiries.services import file_inquiry, record_sighting
from inquiries.tasks import match_changes_task, rematch_open_inquiries_task
from tests.factories import make_captive, make_phase, make_provenance, make_user, sign_in

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 3, 1, tzinfo=UTC)


def _inquiry() -> Inquiry:
    return Inquiry.objects.create(
        reference="HC-REMA-TCH1",
        pin_hash="x",
        relative_name="Марія",
        relationship="mother",
        email="m@example.org",
        consent_given_at=NOW,
        sought_full_name="Gnatyuk Dmitriy Yurievich",
        sought_birth_date=date(1998, 12, 3),
    )


def test_a_newly_registered_person_is_offered_to_the_family_once() -> None:
    inquiry = _inquiry()
    assert rematch_open_inquiries_task.apply().get() == 0

    person = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    first = rematch_open_inquiries_task.apply().get()
    second = rematch_open_inquiries_task.apply().get()

    assert (first, second) == (1, 0)  # run twice: one suggestion
    suggestion = inquiry.suggestions.get()
    assert suggestion.captive_id == person.pk
    assert "Russian form" in suggestion.explanation


def test_a_rejected_person_is_never_offered_again_and_a_confirmed_one_links() -> None:
    inquiry = _inquiry()
    wrong = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    rematch_open_inquiries_task.apply()
    client = Client()
    sign_in(client, make_user(Role.CASEWORKER))

    client.post(
        "/inquiries/suggestions/", {"suggestion": inquiry.suggestions.get().pk, "answer": "reject"}
    )
    rematch_open_inquiries_task.apply()
    assert list(inquiry.suggestions.values_list("captive_id", "state")) == [(wrong.pk, "rejected")]

    right = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрієвич",
        birth_date=date(1998, 12, 3),
    )
    rematch_open_inquiries_task.apply()
    offered = inquiry.suggestions.get(captive=right)
    client.post("/inquiries/suggestions/", {"suggestion": offered.pk, "answer": "confirm"})

    inquiry.refresh_from_db()
    assert inquiry.captive == right
    assert Suggestion.objects.get(pk=offered.pk).state == Suggestion.State.CONFIRMED


def test_a_returnees_sighting_is_matched_to_an_inquiry_across_scripts_once() -> None:
    inquiry = Inquiry.objects.create(
        reference="HC-SEEN-0001",
        pin_hash="x",
        relative_name="Марія",
        relationship="mother",
        email="m@example.org",
        consent_given_at=NOW,
        sought_full_name="Гнатюк Дмитро Юрійович",
    )
    reporter = make_captive(family_name="Коваль", given_name="Іван")
    Sighting.objects.create(
        reporter=reporter,
        seen_full_name="Gnatyuk Dmitriy Yurievich",
        facility="СІЗО-2",
        recorded_by=make_user(Role.CASEWORKER),
    )

    rematch_open_inquiries_task.apply()
    rematch_open_inquiries_task.apply()

    lead = inquiry.sighting_leads.get()
    assert lead.sighting.seen_full_name == "Gnatyuk Dmitriy Yurievich"
    assert lead.probability > 0.5


@pytest.fixture
def tasks_in_process() -> Iterator[None]:
    """Tasks queued after commit run at once, in this process (wiring only: the logic is
    tested through the services)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = before


def _seeking(name: str, born: date | None = None, reference: str = "") -> Inquiry:
    return Inquiry.objects.create(
        reference=reference or f"HC-T{Inquiry.objects.count():03d}-0000",
        pin_hash="x",
        relative_name="Марія",
        relationship="mother",
        email="m@example.org",
        consent_given_at=NOW,
        sought_full_name=name,
        sought_birth_date=born,
    )


def _suggested() -> set[tuple[int, int]]:
    return set(Suggestion.objects.values_list("inquiry_id", "captive_id"))


def test_a_filed_inquiry_is_matched_and_other_open_inquiries_are_left_to_the_hourly_pass(
    django_capture_on_commit_callbacks: Any, tasks_in_process: None
) -> None:
    koval = make_captive(family_name="Коваль", given_name="Іван", birth_date=date(1990, 1, 2))
    gnatyuk = make_captive(family_name="Гнатюк", given_name="Дмитро", birth_date=date(1998, 12, 3))
    older = _seeking("Коваль Іван Петрович", date(1990, 1, 2))
    seen_older = Sighting.objects.create(
        reporter=koval, seen_full_name="Гнатюк Дмитро", recorded_by=make_user(Role.CASEWORKER)
    )

    with django_capture_on_commit_callbacks(execute=True):
        new = file_inquiry(
            inquiry=Inquiry(
                relative_name="Оксана",
                relationship="wife",
                email="o@example.org",
                sought_full_name="Hnatiuk Dmytro",
                sought_birth_date=date(1998, 12, 3),
            ),
            at=NOW,
        ).inquiry

    assert _suggested() == {(new.pk, gnatyuk.pk)}  # the older inquiry waits for the full pass
    assert list(SightingLead.objects.values_list("inquiry_id", "sighting_id")) == [
        (new.pk, seen_older.pk)
    ]
    rematch_open_inquiries(at=NOW)
    assert _suggested() == {(new.pk, gnatyuk.pk), (older.pk, koval.pk)}


def test_a_registered_person_is_offered_to_the_inquiries_that_may_seek_them_only(
    django_capture_on_commit_callbacks: Any, tasks_in_process: None
) -> None:
    koval = make_captive(family_name="Коваль", given_name="Іван", birth_date=date(1990, 1, 2))
    waiting = _seeking("Коваль Іван Петрович", date(1990, 1, 2))
    seeking = _seeking("Gnatyuk Dmitriy Yurievich", date(1998, 12, 3))

    with django_capture_on_commit_callbacks(execute=True):
        person = make_captive(
            family_name="Гнатюк",
            given_name="Дмитро",
            patronymic="Юрійович",
            birth_date=date(1998, 12, 3),
        )

    assert _suggested() == {(seeking.pk, person.pk)}
    rematch_open_inquiries(at=NOW)
    assert _suggested() == {(seeking.pk, person.pk), (waiting.pk, koval.pk)}


def test_a_recorded_sighting_is_matched_and_older_ones_are_left_to_the_hourly_pass(
    django_capture_on_commit_callbacks: Any, tasks_in_process: None
) -> None:
    caseworker = make_user(Role.CASEWORKER)
    reporter = make_captive(family_name="Коваль", given_name="Іван")
    koval = _seeking("Бондар Петро Іванович")
    gnatyuk = _seeking("Гнатюк Дмитро Юрійович")
    older = Sighting.objects.create(
        reporter=reporter, seen_full_name="Бондар Петро", recorded_by=caseworker
    )

    with django_capture_on_commit_callbacks(execute=True):
        new = record_sighting(
            sighting=Sighting(reporter=reporter, seen_full_name="Gnatyuk Dmitriy"),
            by=caseworker,
        )

    leads = set(SightingLead.objects.values_list("inquiry_id", "sighting_id"))
    assert leads == {(gnatyuk.pk, new.pk)}
    rematch_open_inquiries_task.apply()
    leads = set(SightingLead.objects.values_list("inquiry_id", "sighting_id"))
    assert leads == {(gnatyuk.pk, new.pk), (koval.pk, older.pk)}


def test_a_new_spelling_of_a_person_is_offered_to_the_family_that_wrote_it(
    django_capture_on_commit_callbacks: Any, tasks_in_process: None
) -> None:
    person = make_captive(family_name="Коваль", given_name="Іван", birth_date=date(1990, 1, 2))
    alias = _seeking("Смирнов Олег")
    rematch_open_inquiries(at=NOW)
    assert _suggested() == set()

    with django_capture_on_commit_callbacks(execute=True):
        record_spelling(captive=person, full_name="Смирнов Олег", provenance=make_provenance())

    assert _suggested() == {(alias.pk, person.pk)}


def test_matching_a_change_run_twice_offers_once() -> None:
    inquiry = _inquiry()
    person = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )

    first = match_changes_task.apply(args=([inquiry.pk], [], [person.pk])).get()
    second = match_changes_task.apply(args=([inquiry.pk], [], [person.pk])).get()

    assert (first, second) == (1, 0)
    assert _suggested() == {(inquiry.pk, person.pk)}


def test_matching_a_change_finds_for_it_what_the_full_pass_finds() -> None:
    """Whatever names a registry person may be written under, the targeted pass offers them
    to exactly the inquiries the full pass offers them to."""
    for name in ("Гнатюк Дмитро", "Gnatyuk Dmitriy Yurievich", "Hnatiuk D.", "Дмитро Гнатюк"):
        _seeking(name, date(1998, 12, 3))
    for name in ("Гнатюк Тарас", "Гнатюк", "Коваль Дмитро Юрійович", "Гнатюк Дмитро Іванович"):
        _seeking(name)
    make_captive(family_name="Гнатюк", given_name="Тарас", birth_date=None)
    person = make_captive(
        family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович", birth_date=None
    )

    match_changes(captive_ids={person.pk}, at=NOW)
    targeted = {pair for pair in _suggested() if pair[1] == person.pk}
    rematch_open_inquiries(at=NOW)
    full = {pair for pair in _suggested() if pair[1] == person.pk}

    assert len(full) >= 4
    assert targeted == full


def test_matching_a_new_inquiry_costs_the_same_however_many_inquiries_are_open() -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро", birth_date=date(1998, 12, 3))
    reporter = make_captive(family_name="Коваль", given_name="Іван")
    caseworker = make_user(Role.CASEWORKER)

    def queries_to_match_one_more() -> int:
        new = _seeking("Гнатюк Дмитро", date(1998, 12, 3))
        with CaptureQueriesContext(connection) as queries:
            match_changes(inquiry_ids={new.pk}, at=NOW)
        return len(queries)

    queries_to_match_one_more()  # the registry's index is built once per process
    few = queries_to_match_one_more()
    for n in range(15):
        _seeking(f"Бондар{n} Петро", date(1980, 1, n + 1))
        Sighting.objects.create(
            reporter=reporter, seen_full_name=f"Бондар{n} Петро", recorded_by=caseworker
        )
    many = queries_to_match_one_more()

    assert many == few


def test_reconciling_a_list_queues_no_matching(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A list changes neither the registry nor the inquiries: nothing to match again."""
    release_list = ReleaseList.objects.create(
        phase=make_phase(), received_on=date(2025, 5, 21), sha256="d", rows_total=1
    )
    ReleaseListRow.objects.create(release_list=release_list, line_number=1, full_name="Коваль Іван")

    with django_capture_on_commit_callbacks() as queued:
        reconcile_release_list(release_list_id=release_list.pk, now=NOW)

    assert queued == []


def test_each_suggestions_buttons_name_the_person_and_the_inquiry_to_a_screen_reader() -> None:
    inquiry = _inquiry()
    person = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    rematch_open_inquiries_task.apply()
    client = Client()
    sign_in(client, make_user(Role.CASEWORKER))

    page = client.get("/inquiries/suggestions/").content.decode()

    named = f": {person.full_name}, 03.12.1998 — {inquiry.reference}</span></button>"
    assert f'Це та людина<span class="visually-hidden">{named}' in page
    assert f'Не ця людина<span class="visually-hidden">{named}' in page
