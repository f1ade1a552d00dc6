"""Names with markup, from a release list, the registry or a relative, render escaped on every
page that shows them: the list, the review queue and row, the registry search and the captive,
the inquiries list and the inquiry."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from captives.models import Captive
from exchanges.models import ReleaseList
from exchanges.reconciliation import receive_release_list
from inquiries.models import Inquiry
from tests.factories import make_phase, make_user, sign_in
from tests.hostile.make_corpus import MARKUP_NAMES

HERE = Path(__file__).resolve().parent
pytestmark = pytest.mark.django_db
LIVE_MARKUP = ("<script>alert", "<img src=x", "<svg/onload", "<h1>Ткач</h1>", "</td></tr><h1>")


def page_of(role: Role, address: str) -> str:
    client = Client()
    sign_in(client, make_user(role))
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def assert_escaped(page: str) -> None:
    for markup in LIVE_MARKUP:
        assert markup not in page, markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page or "&lt;svg/onload" in page


@pytest.fixture
def markup_list(settings: Any, tmp_path: Path) -> ReleaseList:
    settings.MEDIA_ROOT = tmp_path
    release_list, _ = receive_release_list(
        phase=make_phase(),
        data=(HERE / "lists" / "markup-names.csv").read_bytes(),
        filename="markup-names.csv",
        received_on=date(2025, 5, 21),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=None,
    )
    release_list.rows.update(outcome="review")  # as reconciliation leaves unknown names
    return release_list


def test_markup_in_a_release_list_renders_escaped_on_the_list_page(
    markup_list: ReleaseList,
) -> None:
    assert_escaped(page_of(Role.OFFICIAL, f"/exchanges/lists/{markup_list.pk}/"))


def test_markup_in_a_release_list_renders_escaped_in_the_review_queue_and_rows(
    markup_list: ReleaseList,
) -> None:
    assert_escaped(page_of(Role.REVIEWER, "/review/"))
    for row in markup_list.rows.all():
        page = page_of(Role.REVIEWER, f"/review/rows/{row.pk}/")
        for markup in LIVE_MARKUP:
            assert markup not in page


def test_markup_from_the_registry_renders_escaped_in_search_and_on_the_captive_page() -> None:
    call_command("import_registry", str(HERE / "registry" / "markup-names.csv"))

    found = page_of(Role.CASEWORKER, "/registry/?q=<svg/onload=alert(1)> Бондар")
    assert "&lt;svg/onload=alert(1)&gt; Бондар" in found  # found, and shown as text
    assert_escaped(found)
    for captive in Captive.objects.filter(external_id__startswith="M"):
        page = page_of(Role.OFFICIAL, f"/registry/{captive.public_id}/")
        for markup in LIVE_MARKUP:
            assert markup not in page


@pytest.mark.parametrize("name", MARKUP_NAMES)
def test_markup_from_a_relative_renders_escaped_in_the_inquiries_list_and_the_inquiry(
    name: str,
) -> None:
    Inquiry.objects.create(
        reference="HC-MARK-0001",
        pin_hash="x",
        relative_name=name,
        relationship=name,
        email="m@example.org",
        consent_given_at=timezone.now(),
        sought_full_name=name,
        distinguishing_details=name,
        last_known_place=name,
    )
    caseworker: User = make_user(Role.CASEWORKER)
    client = Client()
    sign_in(client, caseworker)

    for address in ("/inquiries/", "/inquiries/HC-MARK-0001/"):
        page = client.get(address).content.decode()
        for markup in LIVE_MARKUP:
            assert markup not in page, (address, markup)
        assert "7*7 }}" in page or "{{" not in name  # template syntax is shown, not run
