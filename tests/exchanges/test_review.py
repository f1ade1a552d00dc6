from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from captives.matching import Entry, fingerprint
from captives.models import Captive
from exchanges.models import RejectedCandidate, ReleaseList, ReleaseListRow, Resolution
from exchanges.reconciliation import reconcile_release_list
from exchanges.review import StaleRowError, resolve_row
from tests.factories import make_captive, make_phase, make_user, sign_in

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


def test_a_second_reviewer_on_a_decided_row_is_told_not_obeyed(reviewer: User) -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    row = _row_for("Gnatyuk Dmitriy")
    other = make_user(Role.REVIEWER)
    resolve_row(row=row, resolution=Resolution.CONFIRMED, by=reviewer, at=NOW, version=0)

    with pytest.raises(StaleRowError, match="decided by someone else"):
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
