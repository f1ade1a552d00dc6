"""The main forms as assistive technology reads them: every aria-describedby names an element
of the page (the help text, the errors), so does every link of an error summary, and no id is
used twice."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from django.test import Client

from accounts.roles import Role
from exchanges.models import ReleaseList, ReleaseListRow
from inquiries.models import Inquiry
from tests.factories import make_captive, make_phase, make_user, sign_in

pytestmark = pytest.mark.django_db


@dataclass
class Markup(HTMLParser):
    ids: Counter[str] = field(default_factory=Counter)
    described_by: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids[str(found["id"])] += 1
        self.described_by += (found.get("aria-describedby") or "").split()
        if tag == "a" and (found.get("href") or "").startswith("#"):
            self.links.append(str(found["href"])[1:])


def _pages() -> list[tuple[Role | None, str, str, dict[str, str] | None]]:
    phase = make_phase()
    release_list = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="f" * 64, rows_total=1
    )
    row = ReleaseListRow.objects.create(
        release_list=release_list, line_number=1, full_name="Бондар Петро", outcome="unmatched"
    )
    inquiry = Inquiry.objects.create(
        reference="HC-TEST-0001",
        relative_name="Марія",
        relationship="mother",
        email="m@example.org",
        sought_full_name="Бондар Петро",
        consent_given_at=datetime(2025, 5, 22, 10, tzinfo=UTC),
    )
    captive = make_captive()
    return [
        (None, "GET", "/inquiries/new/", None),
        (None, "POST", "/inquiries/new/", {"email": "maria@"}),
        (None, "POST", "/inquiries/status/", {}),
        (Role.OFFICIAL, "GET", f"/exchanges/{phase.exchange_id}/phases/new/", None),
        (Role.OFFICIAL, "POST", f"/exchanges/{phase.exchange_id}/phases/new/", {"number": "0"}),
        (Role.OFFICIAL, "GET", f"/exchanges/phases/{phase.pk}/edit/", None),
        (Role.OFFICIAL, "POST", f"/exchanges/phases/{phase.pk}/lists/new/", {}),
        (Role.OFFICIAL, "GET", f"/registry/{captive.public_id}/", None),
        (Role.REVIEWER, "POST", f"/review/rows/{row.pk}/new-captive/", {}),
        (Role.REVIEWER, "GET", f"/review/rows/{row.pk}/", None),  # the form on the row's page
        (Role.REVIEWER, "GET", "/review/?phase=x", None),  # the queue's filters, one refused
        (Role.CASEWORKER, "GET", f"/inquiries/{inquiry.reference}/", None),
        (Role.CASEWORKER, "POST", "/inquiries/sightings/new/", {}),
    ]


def test_every_aria_describedby_on_the_main_forms_names_an_element_of_the_page() -> None:
    checked = linked = 0
    for role, method, url, data in _pages():
        client = Client()
        if role is not None:
            sign_in(client, make_user(role))
        response = client.post(url, data) if method == "POST" else client.get(url)
        markup = Markup()
        markup.feed(response.content.decode())

        missing = [ref for ref in markup.described_by + markup.links if ref not in markup.ids]
        twice = [name for name, n in markup.ids.items() if n > 1]
        assert (missing, twice) == ([], []), f"{method} {url}"
        checked += len(markup.described_by)
        linked += len(markup.links) - 1  # the skip link is on every page

    assert checked >= 10  # the help texts and errors above were all looked at
    assert linked >= 10  # so were the error summaries' links


def test_every_form_sent_back_with_mistakes_opens_on_its_summary() -> None:
    for role, method, url, data in _pages():
        if method != "POST":
            continue
        client = Client()
        if role is not None:
            sign_in(client, make_user(role))
        # A browser's empty form still sends its token: an empty body leaves the form unbound.
        page = client.post(url, data or {"csrfmiddlewaretoken": "x"}).content.decode()

        summary = re.search(r'<div class="error-summary" role="alert">\s*<h2 [^>]*>', page)
        assert summary is not None, url
        assert 'tabindex="-1" autofocus' in summary[0], url
        assert page.index("error-summary") < page.index('class="field'), url
