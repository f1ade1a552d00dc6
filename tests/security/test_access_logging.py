"""Every opening of a record about a person writes one line of the access log, in the same
request: an inquiry, its photo, a captive's page, an export (pages and API). A refusal writes
none."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.models import AccessLogEntry, User
from accounts.roles import Role
from accounts.tokens import issue_token
from exchanges.models import ReleaseList
from inquiries.models import ErasureRequest, Inquiry
from tests.factories import make_captive, make_phase, make_user, sign_in

pytestmark = pytest.mark.django_db


def _lines() -> list[tuple[str | None, str, str]]:
    return [
        (entry.user.username if entry.user else None, entry.kind, entry.object_ref)
        for entry in AccessLogEntry.objects.select_related("user").order_by("pk")
    ]


def _signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def inquiry(settings: Any, tmp_path: Path) -> Inquiry:
    settings.MEDIA_ROOT = tmp_path
    found = Inquiry.objects.create(
        reference="HC-LOGS-0001",
        pin_hash="x",
        relative_name="Марія Коваль",
        relationship="mother",
        email="m@example.org",
        consent_given_at=timezone.now(),
        sought_full_name="Коваль Іван",
    )
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="JPEG")
    found.photo.save("photo.jpg", ContentFile(out.getvalue()))
    return found


def test_a_caseworker_opening_an_inquiry_and_its_photo_writes_a_line_each(
    inquiry: Inquiry,
) -> None:
    caseworker = make_user(Role.CASEWORKER)
    client = _signed_in(caseworker)

    page = client.get("/inquiries/HC-LOGS-0001/")
    photo = client.get("/inquiries/HC-LOGS-0001/photo/")
    client.post("/inquiries/HC-LOGS-0001/", {"action": "disclose"})  # an action, not an opening

    assert (page.status_code, photo.status_code) == (200, 200)
    assert _lines() == [
        (caseworker.username, "inquiry", "inquiry:HC-LOGS-0001"),
        (caseworker.username, "photo", "inquiry:HC-LOGS-0001:photo"),
    ]


def test_a_captives_page_writes_a_line() -> None:
    reviewer = make_user(Role.REVIEWER)
    captive = make_captive()

    response = _signed_in(reviewer).get(f"/registry/{captive.public_id}/")

    assert response.status_code == 200
    assert _lines() == [(reviewer.username, "captive", f"captive:{captive.public_id}")]


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.REVIEWER, Role.RELATIVE])
def test_a_refused_opening_writes_no_line(role: Role, inquiry: Inquiry) -> None:
    client = _signed_in(make_user(role))

    answers = {
        client.get("/inquiries/HC-LOGS-0001/").status_code,
        client.get("/inquiries/HC-LOGS-0001/photo/").status_code,
    }

    assert answers == {403}
    assert _lines() == []


def test_every_export_writes_a_line_naming_the_file_and_who_took_it() -> None:
    official = make_user(Role.OFFICIAL)
    phase = make_phase()
    release_list = ReleaseList.objects.create(phase=phase, received_on=phase.date, sha256="e" * 64)
    client = _signed_in(official)
    token, raw = issue_token(partner_name="icrc", scopes=["registry:read"], now=timezone.now())
    partner = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    answers = [
        client.get(f"/exchanges/phases/{phase.pk}/transfers.csv"),
        client.get(f"/exchanges/lists/{release_list.pk}/rows.xlsx"),
        partner.get(f"/api/v1/phases/{phase.pk}/transfers.xlsx"),
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 200]

    assert _lines() == [
        (official.username, "export", f"phase-{phase.pk}-transfers.csv"),
        (official.username, "export", f"list-{release_list.pk}-reconciliation.xlsx"),
        (token.partner.username, "export", f"phase-{phase.pk}-transfers.xlsx"),
    ]


def test_the_erasure_decision_page_writes_a_line_as_it_names_the_relative(
    inquiry: Inquiry,
) -> None:
    ErasureRequest.objects.create(inquiry=inquiry, requested_at=timezone.now())
    caseworker = make_user(Role.CASEWORKER)

    response = _signed_in(caseworker).get("/inquiries/HC-LOGS-0001/erasure/")

    assert response.status_code == 200
    assert _lines() == [(caseworker.username, "inquiry", "inquiry:HC-LOGS-0001")]
