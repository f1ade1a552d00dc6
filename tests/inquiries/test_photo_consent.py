"""The relative's consent to show the photo to returnees: given on the form, apart from
tracing's, and withdrawn on the status page, at once."""

from __future__ import annotations

import html
import io
import re
import time
from pathlib import Path

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings

from captives.lifecycle import Status
from inquiries.gallery import consent_form_token, gallery_of
from inquiries.models import Inquiry
from tests.factories import make_captive
from tests.inquiries.test_status import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (30, 40), "navy").save(out, format="JPEG")
    return SimpleUploadedFile("son.jpg", out.getvalue())


def test_the_box_is_not_ticked_until_the_relative_ticks_it() -> None:
    page = Client(headers={"Accept-Language": "en"}).get("/inquiries/new/").content.decode()

    [box] = re.findall(r"<input[^>]*show_photo_to_returnees[^>]*>", page)
    assert "checked" not in box
    assert "not your name or contacts" in page


def test_a_photo_sent_with_the_box_ticked_may_be_shown_to_returnees() -> None:
    Client().post("/inquiries/new/", FORM | {"photo": _photo(), "show_photo_to_returnees": "on"})

    inquiry = Inquiry.objects.get()
    assert inquiry.photo
    assert inquiry.photo_shown_to_returnees_at == inquiry.consent_given_at


def test_a_photo_sent_without_the_box_ticked_is_for_caseworkers_only() -> None:
    Client().post("/inquiries/new/", FORM | {"photo": _photo()})

    inquiry = Inquiry.objects.get()
    assert inquiry.photo
    assert inquiry.photo_shown_to_returnees_at is None


def test_the_box_ticked_without_a_photo_is_an_error_beside_it_and_nothing_is_filed() -> None:
    response = Client().post("/inquiries/new/", FORM | {"show_photo_to_returnees": "on"})

    assert response.status_code == 200
    [error] = response.context["form"].errors["show_photo_to_returnees"]
    assert "Додайте фото" in error
    assert not Inquiry.objects.exists()


def test_the_database_refuses_a_consent_without_a_photo() -> None:
    with pytest.raises(IntegrityError, match="inquiry_photo_shown_only_if_sent"):
        Inquiry.objects.create(
            reference="HC-NOPH-0000",
            pin_hash="x",
            relative_name="М",
            relationship="мати",
            email="m@example.org",
            consent_given_at=timezone.now(),
            sought_full_name="Коваль Іван",
            photo_shown_to_returnees_at=timezone.now(),
        )


def _filed_with_photo(client: Client, *, shown: bool = True) -> tuple[Inquiry, str]:
    consent = {"show_photo_to_returnees": "on"} if shown else {}
    response = client.post("/inquiries/new/", FORM | {"photo": _photo()} | consent, follow=True)
    text = response.content.decode()
    pin = re.search(r"<strong>(\d{6})</strong>", text)
    assert pin is not None
    return Inquiry.objects.get(), pin.group(1)


def _status_token(client: Client, inquiry: Inquiry, pin: str) -> tuple[str, str]:
    """The status page opened with the PIN: its text and the token its photo button sends."""
    status = client.post("/inquiries/status/", {"reference": inquiry.reference, "pin": pin})
    page = html.unescape(status.content.decode())
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token is not None
    return page, token.group(1)


def test_the_relative_withdraws_the_photo_on_the_status_page_and_no_gallery_shows_it() -> None:
    client = Client()
    inquiry, pin = _filed_with_photo(client)
    returnee = make_captive(family_name="Лисенко", status=Status.RETURNED)
    assert [t.inquiry_id for t in gallery_of(returnee).others] == [inquiry.pk]

    page, token = _status_token(client, inquiry, pin)
    assert "Не показувати моє фото" in page
    answer = client.post("/inquiries/status/photo/", {"token": token})

    assert answer.status_code == 200
    assert "більше не показують ваше фото" in answer.content.decode()
    assert answer.context["inquiry"] == inquiry  # the status page again, without the PIN
    inquiry.refresh_from_db()
    assert inquiry.photo_shown_to_returnees_at is None
    assert inquiry.photo  # kept for caseworkers
    latest = inquiry.history.order_by("-history_id")[0]
    assert latest.history_change_reason == "The relative withdrew the photo from returnees"
    assert latest.history_user is None
    assert gallery_of(returnee).others == []


def test_a_withdrawal_without_the_status_pages_token_changes_nothing() -> None:
    client = Client()
    inquiry, _pin = _filed_with_photo(client)
    forged = signing.dumps(inquiry.pk, salt="another purpose")
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(time, "time", lambda: 1e9)  # a page opened long ago
        stale = consent_form_token(inquiry)

    answers = [
        client.post("/inquiries/status/photo/", {"token": token})
        for token in (forged, stale, "", str(inquiry.pk))
    ]

    for answer in answers:
        assert answer.status_code == 200
        assert answer.context["expired"]
        assert "inquiry" not in answer.context
        assert "Сторінка була відкрита надто довго" in answer.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.photo_shown_to_returnees_at is not None
    assert Client().get("/inquiries/status/photo/").status_code == 405


def test_a_relative_who_did_not_tick_the_box_lets_returnees_see_the_photo_later() -> None:
    client = Client()
    inquiry, pin = _filed_with_photo(client, shown=False)
    returnee = make_captive(family_name="Лисенко", status=Status.RETURNED)
    assert gallery_of(returnee).others == []

    page, token = _status_token(client, inquiry, pin)
    assert "Показувати моє фото звільненим" in page
    answer = client.post("/inquiries/status/photo/show/", {"token": token})
    again = client.post("/inquiries/status/photo/show/", {"token": token})

    assert answer.status_code == again.status_code == 200
    assert "Відтепер фахівці з розшуку можуть показувати ваше фото" in answer.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.photo_shown_to_returnees_at is not None
    assert [t.inquiry_id for t in gallery_of(returnee).others] == [inquiry.pk]
    reasons = list(inquiry.history.values_list("history_change_reason", flat=True))
    assert reasons.count("The relative let caseworkers show the photo to returnees") == 1
    assert "Не показувати моє фото" in answer.content.decode()  # and may stop it again


def test_the_photo_is_not_shown_on_a_token_that_is_not_the_status_pages() -> None:
    client = Client()
    inquiry, _pin = _filed_with_photo(client, shown=False)
    forged = signing.dumps(inquiry.pk, salt="another purpose")

    answers = [
        client.post("/inquiries/status/photo/show/", {"token": token})
        for token in (forged, "", str(inquiry.pk))
    ]

    for answer in answers:
        assert answer.context["expired"]
        assert "inquiry" not in answer.context
    inquiry.refresh_from_db()
    assert inquiry.photo_shown_to_returnees_at is None
    assert Client().get("/inquiries/status/photo/show/").status_code == 405
