"""Hostile and broken requests to the public inquiry form: each is refused with the field it is
about, or answered 400, or filed as harmless text; never a 500, nothing half-saved."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from inquiries.models import Inquiry

pytestmark = pytest.mark.django_db

FORM = {
    "relative_name": "Марія Шевченко",
    "relationship": "mother",
    "email": "maria@example.org",
    "phone": "",
    "sought_full_name": "Шевченко Андрій Петрович",
    "sought_birth_date": "1998-02-11",
    "consent": "on",
}


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims these dimensions, with almost no pixel data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, format="JPEG")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
# (case, fields to change, expectation: "filed", a field name the error is on, or a status)
REQUESTS: list[tuple[str, dict[str, Any], str | int]] = [
    (
        "markup-in-names",
        {
            "relative_name": "<script>alert(1)</script>",
            "sought_full_name": '"><img src=x onerror=alert(1)> Шевченко',
        },
        "filed",
    ),
    ("template-syntax-in-names", {"sought_full_name": "{{ 7*7 }} {% debug %} Коваль"}, "filed"),
    ("sql-in-names", {"sought_full_name": "'; DROP TABLE inquiries_inquiry; -- Коваль"}, "filed"),
    ("nul-in-name", {"sought_full_name": "Шев\x00ченко"}, "sought_full_name"),
    ("nul-in-relative", {"relative_name": "\x00"}, "relative_name"),
    ("overlong-name", {"sought_full_name": "Ш" * 301}, "sought_full_name"),
    ("overlong-relative", {"relative_name": "М" * 201}, "relative_name"),
    ("overlong-phone", {"phone": "1" * 33}, "phone"),
    ("date-31-02", {"sought_birth_date": "31.02.1990"}, "sought_birth_date"),
    ("date-iso-impossible", {"sought_birth_date": "1990-02-31"}, "sought_birth_date"),
    ("date-giant-year", {"sought_birth_date": "99999999999-01-01"}, "sought_birth_date"),
    ("date-words", {"last_known_date": "yesterday"}, "last_known_date"),
    ("email-with-markup", {"email": "<script>@example.org"}, "email"),
    ("email-header-injection", {"email": "m@example.org\nBcc: all@example.org"}, "email"),
    ("no-consent", {"consent": ""}, "consent"),
    ("no-contact", {"email": "", "phone": ""}, "__all__"),
    ("empty-name", {"sought_full_name": "   "}, "sought_full_name"),
    ("bidi-override", {"sought_full_name": "Коваль \u202eІван"}, "filed"),
    ("photo-svg-with-script", {"photo": ("x.svg", SVG)}, "photo"),
    ("photo-html-named-jpg", {"photo": ("x.jpg", b"<html><script>1</script></html>")}, "photo"),
    ("photo-empty", {"photo": ("x.jpg", b"")}, "photo"),
    ("photo-truncated-jpeg", {"photo": ("x.jpg", jpeg()[:120])}, "photo"),
    ("photo-pixel-bomb", {"photo": ("x.png", png_claiming(8000, 8000))}, "photo"),
    ("photo-huge-bomb", {"photo": ("x.png", png_claiming(60000, 60000))}, "photo"),
    ("photo-good", {"photo": ("x.jpg", jpeg())}, "filed"),
    ("too-many-fields", {f"f{i}": "x" for i in range(1200)}, 400),
    ("body-too-big", {"distinguishing_details": "x" * (3 * 1024 * 1024)}, 400),
]


def post(client: Client, changes: dict[str, Any]) -> Any:
    data: dict[str, Any] = FORM | changes
    if "photo" in changes:
        name, content = changes["photo"]
        data["photo"] = SimpleUploadedFile(name, content)
    return client.post("/inquiries/new/", data)


@pytest.mark.parametrize(
    ("changes", "expected"), [r[1:] for r in REQUESTS], ids=[r[0] for r in REQUESTS]
)
def test_each_hostile_inquiry_request(changes: dict[str, Any], expected: str | int) -> None:
    before = Inquiry.objects.count()

    response = post(Client(HTTP_ACCEPT_LANGUAGE="en"), changes)

    if expected == "filed":
        assert response.status_code == 302
        assert Inquiry.objects.count() == before + 1
        return
    assert Inquiry.objects.count() == before
    if isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert expected in errors
        assert set(errors) <= {expected, "__all__"}  # an unusable email also leaves no contact


def test_a_broken_multipart_body_is_a_400() -> None:
    response = Client().generic(
        "POST",
        "/inquiries/new/",
        b'--xyz\r\nContent-Disposition: form-data; name="relative_name"\r\n\r\nM',
        content_type="multipart/form-data; boundary=xyz",
    )

    assert response.status_code in (200, 400)
    assert Inquiry.objects.count() == 0


def test_a_body_in_a_wrong_encoding_is_answered_not_crashed() -> None:
    body = "relative_name=Марія&consent=on&email=m@example.org".encode("cp1251")

    response = Client().generic(
        "POST", "/inquiries/new/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code in (200, 201)
