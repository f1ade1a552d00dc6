from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from captives.matching import Entry, fingerprint
from captives.models import Captive
from config.errors import DomainError
from exchanges.confirmation import undecided_rows
from exchanges.models import Outcome, RejectedCandidate, ReleaseList, ReleaseListRow, Resolution
from exchanges.reconciliation import reconcile_release_list
from exchanges.review import StaleRowError, resolve_row
from tests.factories import (
    approve_phase,
    make_captive,
    make_matched_list,
    make_phase,
    make_user,
    sign_in,
)
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 22, 10, 0, tzinfo=UTC)


@pytest.fixture
def reviewer() -> User:
    return make_user(Role.REVIEWER)


def _row_for(name: str, born: date | None = None) -> ReleaseListRow:
    release_list = ReleaseList.objects.create(
        phase=make_phase(), received_on=date(2025, 5, 21), sha256="c" * 64, rows_total=1
    )
    ReleaseListRow.objects.create(
        release_list=release_list, line_number=1, full_name=name, birth_date=born
    )
    reconcile_release_list(release_list_id=release_list.pk, now=NOW)
    return release_list.rows.get()


def test_confirming_a_candidate_teaches_the_spelling(reviewer: User) -> None:
    captive = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    row = _row_for("Gnatyuk Dmitriy")
    assert row.candidates[0]["captive_id"] == captive.pk

    resolve_row(row=row, resolution=Resolution.CONFIRMED, by=reviewer, at=NOW, version=0)

    row.refresh_from_db()
    assert (row.resolution, row.captive, row.resolved_by, row.version) == (
        Resolution.CONFIRMED,
        captive,
        reviewer,
        1,
    )
    assert list(captive.spellings.values_list("full_name", flat=True)) == ["Gnatyuk Dmitriy"]


def test_not_ours_remembers_the_rejected_candidates(reviewer: User) -> None:
    captive = make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    row = _row_for("Gnatyuk Dmitriy")

    resolve_row(row=row, resolution=Resolution.NOT_OURS, by=reviewer, at=NOW, version=0)

    mark = fingerprint(Entry(1, "Gnatyuk Dmitriy"))
    assert RejectedCandidate.objects.filter(fingerprint=mark, captive=captive).exists()
    again = _row_for("Gnatyuk Dmitriy")
    assert all(c["captive_id"] != captive.pk for c in again.candidates)


def test_a_decided_row_shows_its_decision_and_no_buttons_to_decide_again(
    reviewer: User,
) -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    row = _row_for("Gnatyuk Dmitriy")
    client = Client()
    sign_in(client, reviewer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    before = client.get(f"/review/rows/{row.pk}/").content.decode()
    resolve_row(row=row, resolution=Resolution.CONFIRMED, by=reviewer, at=NOW, version=0)

    after = client.get(f"/review/rows/{row.pk}/").content.decode()

    assert 'value="not_ours"' in before
    assert f"Decided: Candidate confirmed, by {reviewer}" in after
    assert 'name="resolution"' not in after


def test_a_second_reviewer_on_a_decided_row_is_told_not_obeyed(reviewer: User) -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    row = _row_for("Gnatyuk Dmitriy")
    other = make_user(Role.REVIEWER)
    resolve_row(row=row, resolution=Resolution.CONFIRMED, by=reviewer, at=NOW, version=0)

    with pytest.raises(StaleRowError, match="already decided: “Candidate confirmed”"):
        resolve_row(row=row, resolution=Resolution.NOT_OURS, by=other, at=NOW, version=0)

    row.refresh_from_db()
    assert (row.resolution, row.resolved_by) == (Resolution.CONFIRMED, reviewer)
    assert not RejectedCandidate.objects.exists()


def test_recording_a_new_captive_decides_the_row_or_saves_nothing(reviewer: User) -> None:
    row = _row_for("Вайнштейн Аркадий Львович", date(1970, 1, 1))
    client = Client()
    sign_in(client, reviewer)
    form = {
        "family_name": "Вайнштейн",
        "given_name": "Аркадій",
        "patronymic": "Львович",
        "birth_date": "1970-01-01",
        "category": "civilian",
        "held_by": "theirs",
        "version": "0",
    }

    stale = client.post(f"/review/rows/{row.pk}/new-captive/", form | {"version": "7"})
    assert stale.status_code == 200
    assert not Captive.objects.filter(family_name="Вайнштейн").exists()

    client.post(f"/review/rows/{row.pk}/new-captive/", form)

    captive = Captive.objects.get(family_name="Вайнштейн")
    row.refresh_from_db()
    assert (row.resolution, row.captive) == (Resolution.NEW_CAPTIVE, captive)
    assert captive.status == "confirmed_captive"
    assert list(captive.spellings.values_list("full_name", flat=True)) == [
        "Вайнштейн Аркадий Львович"
    ]


def test_choosing_someone_found_by_search(reviewer: User) -> None:
    wanted = make_captive(family_name="Гнатюк", given_name="Тарас", patronymic="Іванович")
    row = _row_for("Hnatiuk T.")
    client = Client()
    sign_in(client, reviewer)

    page = client.get(f"/review/rows/{row.pk}/", {"q": "Гнатюк Тарас"})
    assert str(wanted.public_id) in page.content.decode()
    client.post(
        f"/review/rows/{row.pk}/",
        {
            "resolution": "other_chosen",
            "version": "0",
            "captive": str(wanted.public_id),
        },
    )

    row.refresh_from_db()
    assert (row.resolution, row.captive) == (Resolution.OTHER_CHOSEN, wanted)


def test_the_review_page_says_in_ukrainian_why_a_name_alone_went_to_review(
    reviewer: User,
) -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    row = _row_for("Gnatyuk Dmitriy Yurievich")
    client = Client()
    sign_in(client, reviewer)

    page = client.get(f"/review/rows/{row.pk}/").content.decode()

    assert row.reason == "name_only"
    assert "Порівняти можна лише ім&#x27;я" in page


def test_the_queue_says_why_each_row_waits(reviewer: User) -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    _row_for("Gnatyuk Dmitriy Yurievich")
    client = Client()
    sign_in(client, reviewer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    queue = client.get("/review/").content.decode()

    assert "<small>Only the name can be compared" in queue


def test_the_review_page_says_a_written_date_that_is_no_date_was_left_out(
    reviewer: User,
) -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    row = _row_for("Gnatyuk Dmitriy Yurievich")
    ReleaseListRow.objects.filter(pk=row.pk).update(birth_date_text="31.02.1997")
    client = Client()
    sign_in(client, reviewer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    page = client.get(f"/review/rows/{row.pk}/").content.decode()

    assert "31.02.1997 <strong" in page
    assert "no such date: left out of the comparison" in page


def _matched_rows(*people: Captive) -> list[ReleaseListRow]:
    return list(make_matched_list(make_phase(), list(people)).rows.order_by("line_number"))


def test_not_ours_on_a_matched_row_undoes_the_match_and_remembers_it(reviewer: User) -> None:
    captive = make_captive()
    [row] = _matched_rows(captive)

    resolve_row(row=row, resolution=Resolution.NOT_OURS, by=reviewer, at=NOW, version=0)

    row.refresh_from_db()
    assert (row.outcome, row.captive, row.resolution) == (
        Outcome.UNMATCHED,
        None,
        Resolution.NOT_OURS,
    )
    assert RejectedCandidate.objects.filter(captive=captive).exists()


def test_a_matched_row_put_off_keeps_its_match_and_waits(reviewer: User) -> None:
    captive = make_captive()
    [row] = _matched_rows(captive)

    resolve_row(row=row, resolution=Resolution.DEFERRED, by=reviewer, at=NOW, version=0)

    row.refresh_from_db()
    assert (row.outcome, row.captive, row.resolution) == (
        Outcome.MATCHED,
        captive,
        Resolution.DEFERRED,
    )
    assert undecided_rows(row.release_list.phase) == 1


def test_a_person_already_on_another_line_of_the_list_is_refused_naming_the_line(
    reviewer: User,
) -> None:
    first, second = make_captive(), make_captive(family_name="Мельник")
    _, two = _matched_rows(first, second)

    with pytest.raises(DomainError, match="already named on line 1"):
        resolve_row(
            row=two,
            resolution=Resolution.OTHER_CHOSEN,
            by=reviewer,
            at=NOW,
            version=0,
            captive=first,
        )

    two.refresh_from_db()
    assert (two.captive, two.resolution, two.version) == (second, "", 0)


def test_the_review_page_explains_what_the_database_would_have_refused(reviewer: User) -> None:
    first, second = make_captive(), make_captive(family_name="Мельник")
    one, two = _matched_rows(first, second)
    client = Client()
    sign_in(client, reviewer)

    twice = client.post(
        f"/review/rows/{two.pk}/",
        {"resolution": "other_chosen", "version": "0", "captive": str(first.public_id)},
        follow=True,
    )
    not_ours = client.post(f"/review/rows/{one.pk}/", {"resolution": "not_ours", "version": "0"})

    assert twice.status_code == 200
    assert "вже названо в рядку 1" in twice.content.decode()  # in Ukrainian
    assert not_ours.status_code == 302
    assert ReleaseListRow.objects.get(pk=two.pk).captive == second
    assert ReleaseListRow.objects.get(pk=one.pk).resolution == Resolution.NOT_OURS


def test_the_review_page_says_a_pending_confirmation_was_withdrawn(reviewer: User) -> None:
    first, second = make_captive(), make_captive(family_name="Мельник")
    one, _ = _matched_rows(first, second)
    propose_confirmation(phase=one.release_list.phase, by=make_user(Role.OFFICIAL), at=NOW)
    client = Client()
    sign_in(client, reviewer)

    response = client.post(
        f"/review/rows/{one.pk}/", {"resolution": "not_ours", "version": "0"}, follow=True
    )

    assert "треба запропонувати знову" in response.content.decode()  # "proposed again"
    assert one.release_list.phase.history.latest("history_id").proposed_by is None


def test_a_completed_phases_row_is_refused_on_the_review_page(reviewer: User) -> None:
    [row] = _matched_rows(make_captive())
    phase = row.release_list.phase
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=NOW)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=NOW + timedelta(days=1))
    client = Client()
    sign_in(client, reviewer)

    response = client.post(
        f"/review/rows/{row.pk}/", {"resolution": "not_ours", "version": "0"}, follow=True
    )

    assert "Етап 1 завершено" in response.content.decode()
    assert ReleaseListRow.objects.get(pk=row.pk).resolution == ""


def test_recording_a_new_captive_says_a_pending_confirmation_was_withdrawn(
    reviewer: User,
) -> None:
    [row] = _matched_rows(make_captive())
    propose_confirmation(phase=row.release_list.phase, by=make_user(Role.OFFICIAL), at=NOW)
    client = Client()
    sign_in(client, reviewer)

    response = client.post(
        f"/review/rows/{row.pk}/new-captive/",
        {
            "family_name": "Вайнштейн",
            "given_name": "Аркадій",
            "category": "civilian",
            "held_by": "theirs",
            "version": "0",
        },
        follow=True,
    )

    assert "треба запропонувати знову" in response.content.decode()  # "proposed again"
    assert ReleaseListRow.objects.get(pk=row.pk).resolution == Resolution.NEW_CAPTIVE


def test_a_new_captive_born_in_the_future_is_refused_beside_the_date(reviewer: User) -> None:
    row = _row_for("Вайнштейн Аркадий Львович")
    client = Client()
    sign_in(client, reviewer)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        f"/review/rows/{row.pk}/new-captive/",
        {
            "family_name": "Вайнштейн",
            "given_name": "Аркадій",
            "birth_date": tomorrow.isoformat(),
            "category": "civilian",
            "held_by": "theirs",
            "version": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == ["Ця дата ще не настала."]
    assert not Captive.objects.filter(family_name="Вайнштейн").exists()
