"""A person listed twice: the second line is decided as “same person as line N”, not as
“not ours”, and the person is listed once."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.tokens import issue_token
from captives.models import Captive
from config.errors import DomainError
from exchanges.confirmation import undecided_rows
from exchanges.models import (
    Outcome,
    Phase,
    RejectedCandidate,
    ReleaseList,
    ReleaseListRow,
    Resolution,
    Transfer,
)
from exchanges.reconciliation import reconcile_release_list
from exchanges.review import resolve_row
from tests.factories import make_captive, make_matched_list, make_phase, make_user, sign_in
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 22, 10, 0, tzinfo=UTC)
LINES = [
    ("Гнатюк Дмитрий Юрьевич", date(1998, 12, 3)),  # the person, in Russian forms
    ("Hnatiuk Dmytro", date(1998, 12, 3)),  # the same person again: a conflict
    ("Вайнштейн Аркадій Левович", date(1970, 1, 1)),  # nobody we hold
]


@pytest.fixture
def reviewer() -> User:
    return make_user(Role.REVIEWER)


@pytest.fixture
def person() -> Captive:
    return make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )


def _lines(phase: Phase | None = None) -> dict[int, ReleaseListRow]:
    release_list = ReleaseList.objects.create(
        phase=phase or make_phase(),
        received_on=date(2025, 5, 21),
        sha256="e" * 64,
        rows_total=len(LINES),
    )
    ReleaseListRow.objects.bulk_create(
        ReleaseListRow(release_list=release_list, line_number=n, full_name=name, birth_date=born)
        for n, (name, born) in enumerate(LINES, start=1)
    )
    reconcile_release_list(release_list_id=release_list.pk, now=NOW)
    return {row.line_number: row for row in release_list.rows.all()}


def _same_as(row: ReleaseListRow, other: ReleaseListRow | None, by: User) -> ReleaseListRow:
    return resolve_row(
        row=row,
        resolution=Resolution.DUPLICATE,
        by=by,
        at=NOW,
        version=row.version,
        duplicate_of=other,
    )


def test_the_second_line_of_one_person_is_that_line_again_and_the_person_listed_once(
    reviewer: User, person: Captive
) -> None:
    lines = _lines()
    assert (lines[1].captive, lines[2].outcome) == (person, Outcome.CONFLICT)
    resolve_row(row=lines[3], resolution=Resolution.NOT_OURS, by=reviewer, at=NOW, version=0)

    _same_as(lines[2], lines[1], reviewer)

    row = ReleaseListRow.objects.get(pk=lines[2].pk)
    assert (row.resolution, row.duplicate_of, row.captive, row.resolved_by) == (
        Resolution.DUPLICATE,
        lines[1],
        None,
        reviewer,
    )
    assert row.decision_text() == "Same person as line 1"
    latest = row.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason, latest.duplicate_of_id) == (
        reviewer,
        "Review: same person as line 1",
        lines[1].pk,
    )
    assert not RejectedCandidate.objects.filter(captive=person).exists()  # they were right
    phase = row.release_list.phase
    assert undecided_rows(phase) == 0
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=NOW)
    assert list(Transfer.objects.filter(phase=phase).values_list("captive", flat=True)) == [
        person.pk
    ]


@pytest.mark.usefixtures("person")
def test_a_line_that_cannot_be_repeated_is_refused_naming_it(reviewer: User) -> None:
    lines = _lines()
    elsewhere = _lines(make_phase(number=2))
    cases = {"none": None, "itself": lines[2], "nobody": lines[3], "elsewhere": elsewhere[1]}

    refused = {}
    for case, other in cases.items():
        with pytest.raises(DomainError) as error:
            _same_as(lines[2], other, reviewer)
        refused[case] = str(error.value)

    assert refused == {
        "none": "Say which line this one repeats.",
        "itself": "Line 2 cannot be the same person as itself.",
        "nobody": "Line 3 names nobody yet: decide it first, then line 2.",
        "elsewhere": "Line 1 is on a list of another phase: line 2 cannot repeat it.",
    }
    row = ReleaseListRow.objects.get(pk=lines[2].pk)
    assert (row.resolution, row.duplicate_of, row.version) == ("", None, 0)


@pytest.mark.usefixtures("person")
def test_a_line_repeating_a_repetition_is_told_which_line_names_the_person(
    reviewer: User,
) -> None:
    phase = make_phase()
    first = _lines(phase)
    again = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="9", rows_total=1
    )
    ReleaseListRow.objects.create(release_list=again, line_number=1, full_name="Hnatiuk Dmytro")
    reconcile_release_list(release_list_id=again.pk, now=NOW)
    _same_as(first[2], first[1], reviewer)

    with pytest.raises(DomainError, match="Line 2 is itself the same person as line 1: say"):
        _same_as(again.rows.get(), first[2], reviewer)


def test_a_duplicate_on_another_list_of_the_phase_withdraws_the_proposal_and_lists_once(
    reviewer: User, person: Captive
) -> None:
    phase = make_phase()
    first = make_matched_list(phase, [person], sha256="1" * 64).rows.get()
    second = make_matched_list(phase, [person], sha256="2" * 64).rows.get()
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=NOW)

    decided = _same_as(second, first, reviewer)

    assert decided.decision_text() == f"Same person as line 1 of list {first.release_list_id}"
    phase.refresh_from_db()
    assert phase.proposed_by is None  # the lists changed: it is proposed again
    assert phase.transfers.count() == 1


def test_the_line_others_repeat_cannot_then_be_found_to_name_nobody(
    reviewer: User, person: Captive
) -> None:
    phase = make_phase()
    first = make_matched_list(phase, [person], sha256="1" * 64).rows.get()
    second = make_matched_list(phase, [person], sha256="2" * 64).rows.get()
    _same_as(second, first, reviewer)

    with pytest.raises(DomainError, match=r"it is repeated by the line\(s\) 1\."):
        resolve_row(row=first, resolution=Resolution.NOT_OURS, by=reviewer, at=NOW, version=0)


def test_the_review_page_offers_the_line_and_the_person_and_the_list_page_shows_it(
    reviewer: User, person: Captive
) -> None:
    lines = _lines()
    client = Client()
    sign_in(client, reviewer)
    in_ukrainian = client.get(f"/review/rows/{lines[2].pk}/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    page = client.get(f"/review/rows/{lines[2].pk}/").content.decode()
    unrelated = client.get(f"/review/rows/{lines[3].pk}/").content.decode()
    client.post(
        f"/review/rows/{lines[2].pk}/",
        {"resolution": "duplicate", "duplicate_of": lines[1].pk, "version": 0},
    )
    decided = client.get(f"/review/rows/{lines[2].pk}/").content.decode()
    listed = client.get(f"/exchanges/lists/{lines[2].release_list_id}/").content.decode()

    key = ' <kbd aria-hidden="true">S</kbd></button>'  # the first such line has a key
    assert f"Same person as line 1: {person.full_name}{key}" in page
    assert f"Та сама особа, що й у рядку 1: {person.full_name}{key}" in in_ukrainian
    assert 'value="duplicate"' not in unrelated
    assert "Decided: Same person as line 1, by" in decided
    assert "Conflict → Same person as line 1" in listed


def test_exports_and_the_api_say_which_line_a_duplicate_repeats(
    reviewer: User, person: Captive
) -> None:
    lines = _lines()
    _same_as(lines[2], lines[1], reviewer)
    token, raw = issue_token(partner_name="icrc", scopes=["lists:submit"], now=timezone.now())
    ReleaseList.objects.filter(pk=lines[2].release_list_id).update(
        uploaded_by=token.partner, partner=token.partner
    )
    partner = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    exported = partner.get(f"/api/v1/release-lists/{lines[2].release_list_id}/rows.csv")
    rows = partner.get(f"/api/v1/release-lists/{lines[2].release_list_id}/rows/").json()

    records = list(csv.DictReader(io.StringIO(exported.getvalue().decode("utf-8-sig"))))
    assert [(r["line"], r["resolution"], r["same_as_line"]) for r in records][:2] == [
        ("1", "", ""),
        ("2", "duplicate", "1"),
    ]
    assert records[1]["same_as_list"] == str(lines[1].release_list_id)
    second = next(r for r in rows["results"] if r["line_number"] == 2)
    assert (second["resolution"], second["duplicate_of"]) == ("duplicate", lines[1].pk)
