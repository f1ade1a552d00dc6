from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pytest_django.fixtures import Settings

from accounts.roles import Role
from inquiries.models import Inquiry
from tests.factories import make_user, sign_in
from tests.inquiries.test_status import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _jpeg_with_location() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {2: (50.0, 27.0, 0.0)}  # GPS latitude: where the family lives
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _file(photo: bytes, name: str = "son.jpg") -> object:
    return Client().post("/inquiries/new/", FORM | {"photo": SimpleUploadedFile(name, photo)})


def test_a_photo_is_kept_without_its_metadata_and_shown_only_to_caseworkers() -> None:
    original = _jpeg_with_location()
    assert Image.open(io.BytesIO(original)).getexif()  # the test's photo does carry metadata

    assert _file(original).status_code == 302  # type: ignore[attr-defined]

    inquiry = Inquiry.objects.get()
    stored = Image.open(inquiry.photo.path)
    assert stored.size == (64, 48)
    assert not stored.getexif()
    url = f"/inquiries/{inquiry.reference}/photo/"
    caseworker, official = Client(), Client()
    sign_in(caseworker, make_user(Role.CASEWORKER))
    sign_in(official, make_user(Role.OFFICIAL))
    shown = caseworker.get(url)
    assert shown.status_code == 200
    # Never kept by a browser's or a proxy's cache: a shared computer shows nothing afterwards.
    assert {"private", "no-store"} <= {part.strip() for part in shown["Cache-Control"].split(",")}
    assert official.get(url).status_code == 403
    assert Client().get(url).status_code == 302


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (b"%PDF-1.4 not a photo", "не є фото"),  # the page speaks Ukrainian by default
        (b"\xff\xd8\xff" + bytes(6 * 1024 * 1024), "більше за 5 МБ"),
    ],
    ids=["not-an-image", "oversized"],
)
def test_a_bad_photo_is_refused_beside_its_field_and_nothing_is_saved(
    photo: bytes, message: str
) -> None:
    response = _file(photo)

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert message in str(response.context["form"].errors["photo"])  # type: ignore[attr-defined]
    assert not Inquiry.objects.exists()
