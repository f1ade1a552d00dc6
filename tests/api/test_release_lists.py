"""Release lists through the API: submit (file or JSON rows) → 202 and the job → poll → rows."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from exchanges.models import ReleaseList
from exchanges.reconciliation import reconcile_release_list
from tests.api.conftest import Partner, World, is_problem
from tests.factories import approve_phase, make_captive, make_matched_list, make_user
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db

ROWS = [
    {"full_name": "Шевченко Олександр Петрович", "birth_date": "14.03.1990"},
    {"family_name": "Бондар", "given_name": "Петро", "patronymic": "Іванович"},
]


def submit(partner: Partner, world: World, **overrides: Any) -> Any:
    body = {"received_on": "2025-05-21", "sent_by": "mediator", "rows": ROWS} | overrides
    return partner.post(f"/api/v1/phases/{world.phase.pk}/release-lists/", body)


def test_json_rows_become_a_job_queued_after_commit(
    partner: Partner, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as queued:
        response = submit(partner, world)

    job = ReleaseList.objects.get()
    assert response.status_code == 202
    assert response["Location"].endswith(f"/api/v1/release-lists/{job.pk}/")
    assert response.json()["state"] == "received"
    assert (job.rows_total, job.sent_by, job.uploaded_by) == (2, "mediator", partner.token.partner)
    assert len(queued) == 1  # the reconciliation task, sent once the rows are committed
    assert list(job.rows.values_list("full_name", flat=True)) == [
        "Шевченко Олександр Петрович",
        "Бондар Петро Іванович",
    ]


def test_a_file_is_read_by_the_upload_parser_and_sent_twice_is_one_job(
    partner: Partner, world: World
) -> None:
    data = "ПІБ;Дата народження\nШевченко Олександр Петрович;14.03.1990\n".encode("cp1251")

    def send() -> Any:
        body = {"file": SimpleUploadedFile("список.csv", data), "received_on": "2025-05-21"}
        return partner.post(f"/api/v1/phases/{world.phase.pk}/release-lists/", body)

    first, second = send(), send()  # two keys: two requests, one content

    assert first.status_code == second.status_code == 202
    assert first["Location"] == second["Location"]
    assert ReleaseList.objects.get().original_name == "список.csv"


def test_an_unreadable_file_is_a_domain_problem_naming_the_file(
    partner: Partner, world: World
) -> None:
    body = {
        "file": SimpleUploadedFile("x.csv", b"colour,size\nred,10\n"),
        "received_on": "2025-05-21",
    }

    response = partner.post(f"/api/v1/phases/{world.phase.pk}/release-lists/", body)

    assert is_problem(response, 422)
    assert response.json()["errors"]["file"][0].startswith("Рядок 1: Немає стовпця з іменем")
    assert not ReleaseList.objects.exists()


def test_rows_without_a_name_are_refused_field_by_field(partner: Partner, world: World) -> None:
    response = submit(partner, world, rows=[{"full_name": "Бондар Петро"}, {"birth_date": "1990"}])

    assert is_problem(response, 422)
    assert list(response.json()["errors"]) == ["rows.1.non_field_errors"]


def test_poll_the_job_then_read_rows_with_outcome_and_candidate(
    partner: Partner, world: World
) -> None:
    job_url = submit(partner, world)["Location"]
    before = partner.get(job_url).json()
    job = ReleaseList.objects.get()
    reconcile_release_list(release_list_id=job.pk, now=timezone.now())  # what the worker runs

    after = partner.get(job_url).json()
    rows = partner.get(after["rows"]).json()

    assert (before["state"], before["progress"]) == ("received", 0.0)
    assert (after["state"], after["progress"], after["rows_done"]) == ("reconciled", 1.0, 2)
    first, second = rows["results"]
    assert first["line_number"] == 1
    assert first["outcome"] == "matched"
    assert first["captive"]["public_id"] == str(world.captive.public_id)
    assert first["candidates"][0]["captive"]["public_id"] == str(world.captive.public_id)
    assert second["outcome"] == "unmatched"
    assert second["captive"] is None


def test_rows_show_no_personal_data_without_its_scope(world: World) -> None:
    plain = Partner("icrc", ["lists:submit", "registry:read"])
    submit(plain, world)
    job = ReleaseList.objects.get()
    reconcile_release_list(release_list_id=job.pk, now=timezone.now())

    row = plain.get(f"/api/v1/release-lists/{job.pk}/rows/").json()["results"][0]

    assert row["captive"]["family_name"] == "Шевченко"
    assert "birth_date" not in row["captive"]
    assert "service_number" not in row["candidates"][0]["captive"]


# A row made up to read the registry back: a registry surname in another script, and a date,
# unit and number that differ from the registry's, so that its explanation would quote them.
PROBE = {
    "full_name": "Kovalenko Andrii",
    "birth_date": "01.01.1900",
    "military_unit": "x",
    "service_number": "1",
}
REGISTRY_VALUES = ["02.07.1988", "1988-07-02", "А4321", "ZX-998877", "SECRET-ID-42"]


@pytest.mark.parametrize(
    ("scopes", "sees_people", "sees_values"),
    [
        ([], False, False),
        (["registry:read"], True, False),
        (["registry:read", "registry:personal"], True, True),
    ],
    ids=["lists-only", "registry", "personal"],
)
def test_rows_read_the_registry_only_as_far_as_the_scopes_allow(
    world: World, scopes: list[str], sees_people: bool, sees_values: bool
) -> None:
    make_captive(
        family_name="Коваленко",
        given_name="Андрій",
        patronymic="Миколайович",
        birth_date=date(1988, 7, 2),
        military_unit="А4321",
        service_number="ZX-998877",
        external_id="SECRET-ID-42",
    )
    job_url = submit(Partner("prober", ["lists:submit"]), world, rows=[PROBE])["Location"]
    reader = Partner("prober", ["lists:submit", *scopes])  # the same partner, another token
    pending = reader.get(job_url + "rows/").json()["results"][0]
    reconcile_release_list(release_list_id=ReleaseList.objects.get().pk, now=timezone.now())

    row = reader.get(job_url + "rows/").json()["results"][0]

    text = json.dumps(row, ensure_ascii=False)
    assert pending["explanation"] == ""
    assert (row["outcome"], row["reason"]) == ("unmatched", "contradicted")
    assert isinstance(row["score"], float)
    assert "date of birth differs" in row["explanation"]
    assert ("captive" in row, "candidates" in row) == (sees_people, sees_people)
    assert ("Коваленко" in text) is sees_people  # the registry's spelling: the row's is Latin
    assert ("Коваленко" in row["explanation"]) is sees_values
    quoted = [value for value in REGISTRY_VALUES if value in text]
    assert quoted == (REGISTRY_VALUES if sees_values else [])


def test_another_partners_list_is_not_found(
    partner: Partner, other_partner: Partner, world: World
) -> None:
    job_url = submit(partner, world)["Location"]

    assert is_problem(other_partner.get(job_url), 404)
    assert is_problem(other_partner.get(job_url + "rows/"), 404)
    assert other_partner.get("/api/v1/release-lists/").json()["results"] == []


def test_rows_page_by_cursor(partner: Partner, world: World) -> None:
    submit(partner, world)
    job = ReleaseList.objects.get()

    page = partner.get(f"/api/v1/release-lists/{job.pk}/rows/?page_size=1").json()
    following = partner.client.get(page["next"]).json()

    assert [r["line_number"] for r in page["results"] + following["results"]] == [1, 2]
    assert following["next"] is None


def test_rows_filter_by_reason(partner: Partner, world: World) -> None:
    submit(partner, world)
    job = ReleaseList.objects.get()
    job.rows.filter(line_number=2).update(outcome="review", reason="name_only")

    url = f"/api/v1/release-lists/{job.pk}/rows/"
    named = partner.get(url + "?reason=name_only").json()["results"]
    other = partner.get(url + "?reason=unconfirmed").json()["results"]

    assert [r["line_number"] for r in named] == [2]
    assert other == []


def test_an_empty_file_is_a_domain_problem_naming_the_file(partner: Partner, world: World) -> None:
    body = {"file": SimpleUploadedFile("empty.csv", b""), "received_on": "2025-05-21"}

    response = partner.post(f"/api/v1/phases/{world.phase.pk}/release-lists/", body)

    assert is_problem(response, 422)
    assert list(response.json()["errors"]) == ["file"]
    assert not ReleaseList.objects.exists()


@pytest.mark.parametrize("reason", ["", "bogus"])
def test_rows_filtered_by_a_reason_the_engine_never_gives_are_refused(
    partner: Partner, world: World, reason: str
) -> None:
    submit(partner, world)
    job = ReleaseList.objects.get()

    response = partner.get(f"/api/v1/release-lists/{job.pk}/rows/?reason={reason}")

    assert is_problem(response, 400)
    assert list(response.json()["errors"]) == ["reason"]


def test_a_completed_phase_takes_no_list_a_conflict(partner: Partner, world: World) -> None:
    make_matched_list(world.phase, [world.captive])
    propose_confirmation(phase=world.phase, by=make_user(Role.OFFICIAL), at=timezone.now())
    approve_phase(phase=world.phase, by=make_user(Role.OFFICIAL), at=timezone.now())

    response = submit(partner, world)

    assert is_problem(response, 409)
    assert "завершено" in response.json()["detail"]  # "completed", in Ukrainian
    assert ReleaseList.objects.filter(phase=world.phase).count() == 1
