"""The pages of the phase lifecycle: the approval page shows who will be marked returned, the
relative's and caseworker's pages date the return by the phase and name the exchange, a
completed phase offers no upload form, and officials release the "listed" news."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive
from exchanges.models import Phase
from inquiries.models import Inquiry, Notification
from inquiries.pins import hash_pin
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
PIN = "123456"
DAY = datetime(2025, 5, 30, 9, 0, tzinfo=UTC)  # a week after phase 1's date, 23.05.2025


def _browser(user: User) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(browser, user)
    return browser


def _proposed(people: int = 1, **fields: Any) -> tuple[Phase, list[Captive], Client]:
    """Phase 1 naming ``people``, proposed by one official; a second one's browser."""
    phase = make_phase(**fields)
    named = [make_captive(family_name=f"Коваль{n}") for n in range(people)]
    make_matched_list(phase, named)
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    return phase, named, _browser(make_user(Role.OFFICIAL))


def _inquiry_for(captive: Captive) -> Inquiry:
    return Inquiry.objects.create(
        reference="HC-TEST-0001",
        pin_hash=hash_pin(PIN),
        relative_name="Марія",
        relationship="mother",
        email="maria@example.org",
        consent_given_at=DAY,
        sought_full_name=captive.full_name,
        captive=captive,
        disclosable=True,
        verified_at=DAY,
        verification_method="Passport seen",
    )


def _status_page(inquiry: Inquiry) -> str:
    page = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/inquiries/status/", {"reference": inquiry.reference, "pin": PIN}
    )
    return html.unescape(page.content.decode())


def test_the_approval_page_shows_who_will_be_marked_returned_and_the_handover_day() -> None:
    phase, named, approver = _proposed(people=3, declared_returned_servicemen=3)

    page = html.unescape(
        approver.get(f"/exchanges/phases/{phase.pk}/confirmation/approve/").content.decode()
    )

    assert "3 people will be marked as returned" in page
    assert all(person.full_name in page for person in named)
    assert 'name="handed_over_on" value="2025-05-23"' in page
    assert 'name="acknowledge"' not in page  # nothing to acknowledge: 3 declared, 3 named


@pytest.mark.slow
def test_the_approval_page_of_a_thousand_people_shows_them_a_hundred_at_a_time() -> None:
    phase, named, approver = _proposed(people=101, declared_returned_servicemen=101)
    url = f"/exchanges/phases/{phase.pk}/confirmation/approve/"

    first = approver.get(url).content.decode()
    second = approver.get(url + "?page=2").content.decode()

    assert "101 people will be marked as returned" in first
    assert "Page 1 of 2" in first
    assert sum(person.full_name in first for person in named) == 100
    assert sum(person.full_name in second for person in named) == 1


def test_approving_over_a_gap_takes_the_box_that_names_it() -> None:
    phase, [person], approver = _proposed(declared_returned_servicemen=11)
    url = f"/exchanges/phases/{phase.pk}/confirmation/approve/"
    shown = html.unescape(approver.get(url).content.decode())
    form = {"proposed_at": Phase.objects.get(pk=phase.pk).proposed_at.isoformat(), "gap": "10"}  # type: ignore[union-attr]

    refused = html.unescape(approver.post(url, form).content.decode())
    assert Captive.objects.get(pk=person.pk).status == Status.LISTED
    approved = approver.post(url, form | {"acknowledge": "on"})

    assert "I confirm that 10 declared people are not named on the lists" in shown
    assert "tick “I confirm that 10 declared people are not named on the lists”" in refused
    assert approved.status_code == 302
    assert Captive.objects.get(pk=person.pk).status == Status.RETURNED


def test_approval_before_the_phases_day_is_refused_on_the_page() -> None:
    phase, [person], approver = _proposed(date=date(2099, 12, 12), declared_returned_servicemen=1)
    url = f"/exchanges/phases/{phase.pk}/confirmation/approve/"
    form = {"proposed_at": Phase.objects.get(pk=phase.pk).proposed_at.isoformat()}  # type: ignore[union-attr]

    page = html.unescape(approver.post(url, form).content.decode())  # today, long before

    assert "Phase 1 takes place on 12.12.2099: approve it on that day or later" in page
    assert Captive.objects.get(pk=person.pk).status == Status.LISTED


def test_the_handover_day_entered_on_the_page_is_kept() -> None:
    phase, _, approver = _proposed(declared_returned_servicemen=1)
    url = f"/exchanges/phases/{phase.pk}/confirmation/approve/"
    form = {
        "proposed_at": Phase.objects.get(pk=phase.pk).proposed_at.isoformat(),  # type: ignore[union-attr]
        "handed_over_on": "2025-05-24",
    }

    approver.post(url, form)

    assert Phase.objects.get(pk=phase.pk).handed_over_on == date(2025, 5, 24)


def test_the_mothers_page_dates_the_return_by_the_phase_and_names_the_exchange() -> None:
    phase, [person], _ = _proposed(declared_returned_servicemen=1)
    inquiry = _inquiry_for(person)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)

    page = _status_page(inquiry)

    assert "Came home on 23.05.2025, in phase 1 of “1000 for 1000”." in page
    assert "30.05.2025" not in page  # the day the officials approved it


def test_the_mothers_page_says_nothing_of_a_listing_before_the_return_is_approved() -> None:
    _, [person], _ = _proposed(declared_returned_servicemen=1)
    inquiry = _inquiry_for(person)
    Inquiry.objects.filter(pk=inquiry.pk).update(state=Inquiry.State.BEING_TRACED)

    page = _status_page(inquiry)

    assert "Being traced" in page
    assert "listed" not in page.lower()
    assert not Notification.objects.exists()


def test_the_caseworkers_page_dates_the_return_by_the_phase() -> None:
    phase, [person], _ = _proposed(declared_returned_servicemen=1)
    inquiry = _inquiry_for(person)
    approve_phase(
        phase=phase, by=make_user(Role.OFFICIAL), at=DAY, handed_over_on=date(2025, 5, 24)
    )

    page = html.unescape(
        _browser(make_user(Role.CASEWORKER))
        .get(f"/inquiries/{inquiry.reference}/")
        .content.decode()
    )

    assert "Came home on 24.05.2025, in phase 1 of “1000 for 1000”." in page
    registry = _browser(make_user(Role.OFFICIAL)).get(f"/registry/{person.public_id}/")
    assert "Returned, Confirmed 24.05.2025" in html.unescape(registry.content.decode())


def test_a_completed_phase_offers_no_upload_form() -> None:
    phase, _, approver = _proposed(declared_returned_servicemen=1)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)

    page = approver.get(f"/exchanges/phases/{phase.pk}/lists/new/").content.decode()
    phase_page = approver.get(f"/exchanges/phases/{phase.pk}/").content.decode()

    assert 'type="file"' not in page
    assert "Phase 1 is completed: its release lists can no longer change." in page
    assert "Upload a release list</a>" not in phase_page


def test_officials_release_the_listed_news_on_the_phase_page() -> None:
    phase, [person], official = _proposed(declared_returned_servicemen=1)
    _inquiry_for(person)
    before = official.get(f"/exchanges/phases/{phase.pk}/").content.decode()

    official.post(f"/exchanges/phases/{phase.pk}/listed-news/")

    assert "Tell families who is listed" in before
    assert Phase.objects.get(pk=phase.pk).listed_news_released
    assert list(Notification.objects.values_list("event", flat=True)) == ["listed"]
    after = official.get(f"/exchanges/phases/{phase.pk}/").content.decode()
    assert "Tell families who is listed" not in after
