from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from exchanges.models import Phase, ReleaseList, ReleaseListRow
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
DAY = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)
GOOD = "№;ФИО;Дата рождения\n1;Гнатюк Дмитрий Юрьевич;03.12.1998\n2;Коваль Иван;\n".encode("cp1251")


def _upload(user: User, phase_pk: int, data: bytes, name: str = "list.csv") -> object:
    client = Client()
    sign_in(client, user)
    return client.post(
        f"/exchanges/phases/{phase_pk}/lists/new/",
        {
            "file": SimpleUploadedFile(name, data),
            "received_on": "2025-05-21",
            "sent_by": "other_side",
        },
    )


def test_upload_stores_the_list_and_its_rows_then_shows_progress(
    official: User, django_capture_on_commit_callbacks: object
) -> None:
    phase = make_phase()

    with django_capture_on_commit_callbacks() as queued:  # type: ignore[operator]
        response = _upload(official, phase.pk, GOOD)

    release_list = ReleaseList.objects.get(phase=phase)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == f"/exchanges/lists/{release_list.pk}/"  # type: ignore[index]
    assert list(release_list.rows.values_list("line_number", "full_name", "birth_date")) == [
        (1, "Гнатюк Дмитрий Юрьевич", date(1998, 12, 3)),
        (2, "Коваль Иван", None),
    ]
    assert release_list.received_on == date(2025, 5, 21)
    assert len(queued) == 1  # reconciliation queued after commit, not before


def test_the_same_file_twice_is_one_list(official: User) -> None:
    phase = make_phase()
    _upload(official, phase.pk, GOOD)
    _upload(official, phase.pk, GOOD)

    assert ReleaseList.objects.filter(phase=phase).count() == 1
    assert ReleaseListRow.objects.filter(release_list__phase=phase).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "порожній"),  # Django's own message, in the default Ukrainian
        (bytes(range(256)) * 4, "Файл не текстовий"),
        ("Дата;в/ч\n1.1.1990;А1\n".encode(), "Рядок 1: Немає стовпця з іменем"),
        ("ПІБ\n".encode(), "Рядок 1: У файлі є заголовок, але немає рядків із даними."),
        (b"PK\x03\x04 not really", "Файл не вдається прочитати як книгу XLSX."),
    ],
    ids=["empty", "binary", "no-name-column", "header-only", "broken-xlsx"],
)
def test_a_bad_file_is_explained_beside_the_field_and_nothing_is_saved(
    official: User, data: bytes, message: str
) -> None:
    phase = make_phase()

    response = _upload(official, phase.pk, data)

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert message in str(response.context["form"].errors["file"])  # type: ignore[attr-defined]
    assert not ReleaseList.objects.exists()


def test_progress_fragment_reports_rows_done(official: User) -> None:
    phase = make_phase()
    _upload(official, phase.pk, GOOD)
    release_list = ReleaseList.objects.get()
    client = Client()
    sign_in(client, official)

    response = client.get(f"/exchanges/lists/{release_list.pk}/progress/")

    assert response.status_code == 200
    assert "Звірено 0 з 2 рядків" in response.content.decode()  # Ukrainian by default
    assert 'hx-trigger="every 1s"' in response.content.decode()


def _proposed_phase() -> Phase:
    phase = make_phase()
    make_matched_list(phase, [make_captive()])
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    return phase


def test_a_completed_phase_takes_no_list_and_the_page_says_why(official: User) -> None:
    phase = _proposed_phase()
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    client = Client()
    sign_in(client, official)

    response = _upload(official, phase.pk, GOOD)
    page = client.get(f"/exchanges/phases/{phase.pk}/").content.decode()

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Етап 1 завершено" in response.content.decode()  # type: ignore[attr-defined]
    assert ReleaseList.objects.filter(phase=phase).count() == 1  # the one it was confirmed by
    assert f"/exchanges/phases/{phase.pk}/lists/new/" not in page


def test_a_list_received_after_the_proposal_withdraws_it_and_says_so(official: User) -> None:
    phase = _proposed_phase()
    client = Client()
    sign_in(client, official)

    response = client.post(
        f"/exchanges/phases/{phase.pk}/lists/new/",
        {
            "file": SimpleUploadedFile("mediator.csv", GOOD),
            "received_on": "2025-05-22",
            "sent_by": "mediator",
        },
        follow=True,
    )

    assert "треба запропонувати знову" in response.content.decode()  # "proposed again"
    assert Phase.objects.get(pk=phase.pk).proposed_by is None


def test_lines_that_cannot_be_read_are_kept_and_named_on_the_lists_page(official: User) -> None:
    phase = make_phase()
    data = (
        "№;ФИО;Дата рождения\n"
        "1;Гнатюк Дмитрий Юрьевич;03.12.1998\n"
        "2;;01.01.1990\n"
        "3;Коваль Иван;\n"
        "4;12345;\n"
        "5;Мельник Петр;\n"
    ).encode()

    response = _upload(official, phase.pk, data)
    client = Client()
    sign_in(client, official)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(response["Location"]).content.decode()  # type: ignore[index]

    release_list = ReleaseList.objects.get(phase=phase)
    assert release_list.rows_total == 3
    assert release_list.unreadable == [  # numbered as the list numbers its rows
        {"line": 2, "code": "no_name", "value": ""},
        {"line": 4, "code": "not_a_name", "value": "12345"},
    ]
    assert "2 lines of the file could not be read" in page
    assert "Line 4: “12345” is not a name" in page
