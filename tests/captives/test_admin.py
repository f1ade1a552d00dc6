"""The captive admin edits a record's facts, never its status: not by the change form, nor by
reverting to an earlier version on the history page (the lifecycle service alone moves it)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import Client

from captives.lifecycle import Status
from captives.models import Captive
from captives.services import change_status
from tests.factories import make_captive, make_provenance

pytestmark = pytest.mark.django_db


def _as_posted(page: Any) -> dict[str, Any]:
    """What a browser posts back from an admin change or revert page, unchanged."""
    form = page.context["adminform"].form
    data = {
        name: form[name].value()
        for name, field in form.fields.items()
        if not isinstance(field, forms.FileField)  # a browser sends no file it was not given
    }
    for inline in page.context.get("inline_admin_formsets", []):
        management = inline.formset.management_form
        data |= {management[name].html_name: management[name].value() for name in management.fields}
    return {name: value for name, value in data.items() if value is not None}


def test_reverting_a_captive_in_the_admin_history_keeps_its_status(admin_client: Client) -> None:
    captive = make_captive(status=Status.CONFIRMED_CAPTIVE)
    change_status(
        captive=captive,
        to=Status.LISTED,
        by=None,
        reason="Listed for exchange in phase 1",
        provenance=make_provenance(),
    )
    earliest = captive.history.earliest("history_id")
    url = f"/admin/captives/captive/{captive.pk}/history/{earliest.history_id}/"

    reverted = admin_client.post(url, _as_posted(admin_client.get(url)))

    stored = Captive.objects.get(pk=captive.pk)
    assert reverted.status_code == 302
    assert stored.status == Status.LISTED
    assert stored.history.latest("history_id").history_change_reason == "Changed in the admin"
