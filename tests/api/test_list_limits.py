"""One row limit for a list, as a file or as JSON, said in the answer; a JSON body at the limit
fits, a bigger one is a problem document naming its limit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from exchanges.listfile import MAX_JSON_BYTES, MAX_ROWS
from exchanges.models import ReleaseList
from tests.api.conftest import Partner, World, is_problem

pytestmark = pytest.mark.django_db
# A row with every field filled, its Cyrillic escaped as json.dumps does by default.
FULL_ROW = {
    "full_name": "Шевченко-Кравченко Олександр-Василь Петрович",
    "family_name": "Шевченко-Кравченко",
    "given_name": "Олександр-Василь",
    "patronymic": "Петрович",
    "birth_date": "14.03.1990",
    "military_unit": "в/ч А1234",
    "service_number": "АА123456",
}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def url(world: World) -> str:
    return f"/api/v1/phases/{world.phase.pk}/release-lists/"


def rows_body(count: int) -> dict[str, Any]:
    rows = [FULL_ROW | {"line": n} for n in range(1, count + 1)]
    return {"received_on": "2025-05-21", "rows": rows}


@pytest.mark.slow
def test_a_json_list_at_the_row_limit_fits_though_bigger_than_a_forms_body(
    partner: Partner, world: World
) -> None:
    body = rows_body(MAX_ROWS)
    assert len(json.dumps(body)) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = partner.post(url(world), body)

    assert response.status_code == 202
    assert ReleaseList.objects.get().rows_total == MAX_ROWS


def test_a_json_list_past_the_row_limit_is_refused_naming_it(
    partner: Partner, world: World
) -> None:
    response = partner.post(url(world), rows_body(MAX_ROWS + 1))

    assert is_problem(response, 400)
    assert response.json()["errors"] == {
        "rows": [f"Список на звільнення має не більше ніж {MAX_ROWS} рядків."]
    }
    assert not ReleaseList.objects.exists()


def test_nesting_no_list_has_is_refused_before_it_is_parsed(partner: Partner, world: World) -> None:
    """A few MB of ``[]`` would be millions of Python lists: refused by its brackets."""
    body = b'{"received_on": "2025-05-21", "rows": [' + b"[]," * 1_000_000 + b"[]]}"
    response = partner.client.post(
        url(world), body, content_type="application/json", headers={"Idempotency-Key": "nest"}
    )

    assert is_problem(response, 400)
    assert list(response.json()["errors"]) == ["rows"]


def test_a_json_body_over_its_limit_is_a_problem_naming_the_limit(
    partner: Partner, world: World
) -> None:
    body = {"received_on": "2025-05-21", "rows": [{"full_name": "Ш" * (MAX_JSON_BYTES // 2)}]}

    response = partner.post(url(world), body, Accept_Language="en")

    assert is_problem(response, 413)
    assert response.json()["type"] == "urn:homecoming:problem:too-large"
    assert response.json()["detail"] == "A list sent as JSON is at most 4 MB; as a file, 20 MB."
    assert not ReleaseList.objects.exists()


def test_a_file_past_the_row_limit_is_a_problem_naming_it_and_leaves_nothing(
    partner: Partner, world: World, media: Path
) -> None:
    data = ("ПІБ\n" + "Коваль Іван\n" * (MAX_ROWS + 1)).encode()
    body = {"file": SimpleUploadedFile("list.csv", data), "received_on": "2025-05-21"}

    response = partner.post(url(world), body, Accept_Language="en")

    assert is_problem(response, 422)  # the schema cannot count a file's rows: a rule refuses it
    assert response.json()["errors"]["file"] == [
        f"Line {MAX_ROWS + 2}: The file has more than {MAX_ROWS} rows; the limit is {MAX_ROWS}."
    ]
    assert not ReleaseList.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
