"""Uploaded lists and photos: outside the web root, under random names, readable by the app
alone, never executable, never listed, never served except through a view that checks access."""

from __future__ import annotations

import io
import re
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import User
from accounts.roles import Role
from config.storage import random_name
from exchanges.models import ReleaseList
from exchanges.reconciliation import receive_release_list
from inquiries.models import Inquiry
from inquiries.photos import clean_photo
from tests.factories import make_phase, make_user, sign_in
from tests.inquiries.test_status import FORM

pytestmark = pytest.mark.django_db
LIST = "№;ФИО;Дата рождения\n1;Гнатюк Дмитрий Юрьевич;03.12.1998\n".encode()
RANDOM = re.compile(r"^[0-9a-f]{32}\.(csv|tsv|txt|xlsx|jpg|jpeg|png|bin)$")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return Path(settings.MEDIA_ROOT)


def upload(user: User, name: str, data: bytes = LIST) -> Any:
    client = Client()
    sign_in(client, user)
    phase = make_phase()
    return client.post(
        f"/exchanges/phases/{phase.pk}/lists/new/",
        {
            "file": SimpleUploadedFile(name, data),
            "received_on": "2025-05-21",
            "sent_by": "other_side",
        },
    )


def assert_private(path: Path, media: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode == 0o600, oct(mode)  # the app's user alone; no execute bit for anyone
    for folder in path.relative_to(media).parents:
        if str(folder) != ".":
            assert stat.S_IMODE((media / folder).stat().st_mode) == 0o700


def test_an_uploaded_list_is_stored_under_a_random_name_readable_by_the_app_alone(
    official: User, media: Path
) -> None:
    response = upload(official, "Список 23.05 — ФИО.csv")

    stored = ReleaseList.objects.get().file
    assert response.status_code == 302
    assert stored.name.startswith("release-lists/")
    assert RANDOM.match(Path(stored.name).name)
    assert ReleaseList.objects.get().original_name == "Список 23.05 — ФИО.csv"  # kept as data
    assert_private(media / stored.name, media)


@pytest.mark.parametrize(
    "sent_name",
    ["list.html", "list.svg", "list.csv.php", "../../../etc/cron.d/x.csv", "..\\..\\x.csv", ".."],
)
def test_the_senders_file_name_decides_neither_the_place_nor_the_type(
    official: User, media: Path, sent_name: str
) -> None:
    release_list, _ = receive_release_list(
        phase=make_phase(),
        data=LIST,
        filename=sent_name,
        received_on=date(2025, 5, 21),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=official,
    )

    name = Path(release_list.file.name)
    assert name.parent == Path("release-lists")
    assert RANDOM.match(name.name)
    assert name.suffix not in {".html", ".svg", ".php"}
    assert (media / name).resolve().is_relative_to(media.resolve())


@pytest.mark.parametrize("name", ["x.html", "x.svg", "x.htm", "x.js", "x.exe", "x", "x.JPG"])
def test_only_harmless_extensions_survive(name: str) -> None:
    stored = random_name(f"inquiries/{name}")

    assert stored.startswith("inquiries/")
    assert stored.endswith(".jpg" if name == "x.JPG" else ".bin")


def test_no_address_serves_or_lists_the_uploads(official: User, media: Path) -> None:
    upload(official, "list.csv")
    stored = ReleaseList.objects.get().file.name
    client = Client()
    sign_in(client, make_user(Role.ADMINISTRATOR))

    for address in (
        f"/media/{stored}",
        f"/private-media/{stored}",
        "/media/",
        "/private-media/release-lists/",
        f"/static/../private-media/{stored}",
    ):
        assert client.get(address).status_code == 404, address


def test_uploads_live_outside_the_web_root() -> None:
    media = Path(django_settings.MEDIA_ROOT).resolve()
    public = [Path(django_settings.STATIC_ROOT), *map(Path, django_settings.STATICFILES_DIRS)]

    for folder in public:
        assert not media.is_relative_to(folder.resolve())
        assert not folder.resolve().is_relative_to(media)


def test_a_photo_is_served_to_caseworkers_as_a_jpeg_that_a_browser_will_not_sniff(
    media: Path,
) -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    inquiry = Inquiry.objects.create(
        reference="HC-PHOT-0001",
        pin_hash="x",
        relative_name="M",
        relationship="mother",
        email="m@example.org",
        consent_given_at="2025-01-01T00:00:00Z",
        sought_full_name="Коваль Іван",
    )
    cleaned = clean_photo(SimpleUploadedFile("<script>.svg", out.getvalue()))
    inquiry.photo.save("<script>.svg", cleaned)
    client = Client()
    sign_in(client, make_user(Role.CASEWORKER))

    response = client.get("/inquiries/HC-PHOT-0001/photo/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert RANDOM.match(Path(inquiry.photo.name).name)
    assert_private(media / inquiry.photo.name, media)
    assert default_storage.listdir("inquiries")[1] == [Path(inquiry.photo.name).name]


def test_an_anonymous_body_over_twelve_megabytes_is_refused_before_it_is_read() -> None:
    # Only the declared length counts: Django reads no more than it, so nothing bigger is sent.
    response = Client(headers={"Accept-Language": "en"}).post(
        "/inquiries/new/", FORM, CONTENT_LENGTH=str(13 * 1024 * 1024)
    )

    assert response.status_code == 413
    assert "12 MB" in response.content.decode()
    assert Inquiry.objects.count() == 0


@pytest.mark.slow
def test_a_signed_in_official_may_send_a_larger_list(official: User) -> None:
    padded = LIST + b"#" * (7 * 1024 * 1024)

    response = upload(official, "list.csv", padded)

    assert response.status_code == 200  # the upload page, saying what is wrong with the file
    assert "field larger than field limit" in response.content.decode()


def test_an_api_body_over_sixty_four_megabytes_is_refused_as_a_problem() -> None:
    response = Client().post(
        "/api/v1/phases/1/release-lists/", {}, CONTENT_LENGTH=str(65 * 1024 * 1024)
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:homecoming:problem:too-large"
