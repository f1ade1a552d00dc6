"""Date pickers keep their date on a Ukrainian page: the value is ISO, never 05.11.2026."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import partial

import pytest
from django import forms
from django.test import Client
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from exchanges.forms import NewCaptiveForm, PhaseForm, ReleaseListUploadForm
from exchanges.models import ReleaseList, ReleaseListRow
from inquiries.forms import InquiryForm, SightingForm
from tests.factories import make_phase, make_user, sign_in

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 5)


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (PhaseForm, "date"),
        (ReleaseListUploadForm, "received_on"),
        (partial(NewCaptiveForm, today=DAY), "birth_date"),
        (partial(InquiryForm, today=DAY), "sought_birth_date"),
        (partial(InquiryForm, today=DAY), "last_known_date"),
        (partial(SightingForm, today=DAY), "seen_on"),
    ],
)
def test_a_prefilled_date_renders_as_iso_under_the_ukrainian_locale(
    form_class: Callable[..., forms.BaseForm], field: str
) -> None:
    form = form_class(initial={field: DAY})

    with translation.override("uk"):
        html = str(form[field])

    assert 'type="date"' in html
    assert 'value="2026-11-05"' in html


def test_the_phase_edit_page_in_ukrainian_keeps_the_date_and_saves_it_back(
    official: User,
) -> None:
    phase = make_phase(date=DAY)
    client = Client()  # no Accept-Language: the Ukrainian default
    sign_in(client, official)

    page = client.get(f"/exchanges/phases/{phase.pk}/edit/").content.decode()
    shown = re.search(r'<input type="date" name="date" value="([^"]*)"', page)
    assert shown is not None
    assert shown[1] == "2026-11-05"
    fields = {
        "number": "1",
        "date": shown[1],  # what the browser submits back
        "place": phase.place,
        "state": phase.state,
        "returned_total": "0",
        "declared_returned_servicemen": "0",
        "declared_returned_civilians": "0",
        "handed_over_total": "0",
        "declared_handed_over_servicemen": "0",
        "declared_handed_over_civilians": "0",
    }
    response = client.post(f"/exchanges/phases/{phase.pk}/edit/", fields)

    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.date == DAY


def test_the_new_captive_page_in_ukrainian_prefills_the_lists_date_of_birth() -> None:
    release_list = ReleaseList.objects.create(
        phase=make_phase(), received_on=date(2025, 5, 21), sha256="d" * 64, rows_total=1
    )
    row = ReleaseListRow.objects.create(
        release_list=release_list,
        line_number=1,
        full_name="Бондаренко Сергій Іванович",
        birth_date=date(1990, 3, 14),
    )
    client = Client()
    sign_in(client, make_user(Role.REVIEWER))

    page = client.get(f"/review/rows/{row.pk}/new-captive/").content.decode()

    assert 'name="birth_date" value="1990-03-14"' in page
