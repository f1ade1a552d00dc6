"""Erasing a relative's data: after the retention period, by the daily task, and at their
request once a caseworker confirms it. Nothing of their name, email, phone or photo is left:
not on the inquiry, not in its history, not in the messages sent to them."""

from __future__ import annotations

import html
import importlib
import io
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.models import User
from accounts.roles import Role
from captives.lifecycle import Status
from config.history import attribute_change
from inquiries.erasure import confirm_erasure, erase_expired, request_erasure
from inquiries.models import (
    ERASED_NAME,
    Erasure,
    ErasureRequest,
    Inquiry,
    Notification,
)
from inquiries.notifications import notify_relatives
from inquiries.services import file_inquiry, link_inquiry, mark_returned, unlink_inquiry
from inquiries.tasks import erase_expired_inquiries_task
from tests.factories import make_captive, make_user, sign_in

pytestmark = pytest.mark.django_db

EMAIL, PHONE, NAME = "maria.kovalenko@example.org", "+380671234567", "Марія Коваленко"
FORM = {
    "relative_name": NAME,
    "relationship": "mother",
    "email": EMAIL,
    "phone": PHONE,
    "sought_full_name": "Шевченко Андрій Петрович",
    "sought_birth_date": "1998-02-11",
    "consent": "on",
}


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="JPEG")
    return out.getvalue()


def _told_inquiry(by: User, *, photo: bool = True) -> Inquiry:
    """A verified relative's inquiry with a photo, linked to someone they were told news of."""
    receipt = file_inquiry(
        inquiry=Inquiry(
            relative_name=NAME,
            relationship="mother",
            email=EMAIL,
            phone=PHONE,
            sought_full_name="Шевченко Андрій Петрович",
        ),
        at=timezone.now(),
    )
    inquiry = receipt.inquiry
    if photo:
        inquiry.photo.save("photo.jpg", ContentFile(_jpeg()))
    captive = make_captive()
    link_inquiry(inquiry=inquiry, captive=captive, by=by, at=timezone.now())
    Inquiry.objects.filter(pk=inquiry.pk).update(
        verified_at=timezone.now(), verification_method="Passport seen"
    )
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.SIGHTED, at=timezone.now())
    return Inquiry.objects.get(pk=inquiry.pk)


def _close(inquiry: Inquiry, *, days_ago: int, by: User) -> None:
    """The person came home ``days_ago`` days ago (the service that says so)."""
    mark_returned(
        captive_ids=[inquiry.captive_id or 0],
        by=by,
        at=timezone.now() - timedelta(days=days_ago),
    )


def _history_text(inquiry: Inquiry) -> str:
    """Every column of every history row of the inquiry, as the database holds them."""
    table = Inquiry.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [inquiry.pk])  # noqa: S608
        return repr(cursor.fetchall())


def test_the_retention_task_run_twice_erases_once_and_only_after_the_period(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT, settings.INQUIRY_RETENTION_DAYS = tmp_path, 30
    caseworker = make_user(Role.CASEWORKER)
    old, recent, open_one = (_told_inquiry(caseworker) for _ in range(3))
    _close(old, days_ago=31, by=caseworker)
    _close(recent, days_ago=29, by=caseworker)
    photo = Path(old.photo.path)
    assert photo.exists()

    first = erase_expired_inquiries_task.apply().get()
    second = erase_expired_inquiries_task.apply().get()

    assert (first, second) == (1, 0)
    erased = Inquiry.objects.get(pk=old.pk)
    assert (erased.relative_name, erased.email, erased.phone) == (ERASED_NAME, "", "")
    assert not erased.photo
    assert not photo.exists()
    assert erased.state == Inquiry.State.RETURNED  # what happened stays; who asked goes
    assert erased.erased_at is not None
    notes = list(erased.notifications.values_list("recipient", "body"))
    assert notes
    assert all(note == ("", "") for note in notes)
    [erasure] = Erasure.objects.all()
    assert (erasure.inquiry_id, erasure.reason, erasure.by) == (
        old.pk,
        Erasure.Reason.RETENTION,
        None,
    )
    assert erasure.fields == [
        "relative_name",
        "email",
        "phone",
        "photo",
        "notifications.recipient",
        "notifications.body",
    ]
    assert erasure.messages == len(notes)
    history = _history_text(erased)
    for value in (EMAIL, PHONE, NAME, "Коваленко"):
        assert value not in history
    assert "Relative's data erased: retention period over" in history
    for kept in (recent, open_one):
        untouched = Inquiry.objects.get(pk=kept.pk)
        assert (untouched.email, untouched.erased_at) == (EMAIL, None)
        assert untouched.photo
        assert Path(untouched.photo.path).exists()


def test_the_history_keeps_no_contact_data_at_all() -> None:
    """Not only after erasure: the history's table has no column for them."""
    columns = {field.name for field in Inquiry.history.model._meta.get_fields()}

    assert not columns & {"relative_name", "email", "phone", "photo", "pin_hash"}
    assert {"state", "closed_at", "erased_at", "sought_full_name"} <= columns


def test_an_inquiry_reopened_meanwhile_is_not_erased(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    caseworker = make_user(Role.CASEWORKER)
    inquiry = _told_inquiry(caseworker, photo=False)
    _close(inquiry, days_ago=400, by=caseworker)
    captive = inquiry.captive
    assert captive is not None
    unlink_inquiry(inquiry=inquiry, captive=captive, by=caseworker)

    assert erase_expired(now=timezone.now(), days=365) == 0
    assert Inquiry.objects.get(pk=inquiry.pk).closed_at is None


def test_messages_not_yet_sent_to_an_erased_relative_never_go(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    caseworker = make_user(Role.CASEWORKER)
    inquiry = _told_inquiry(caseworker, photo=False)
    assert inquiry.notifications.filter(state=Notification.State.QUEUED).exists()
    asked = request_erasure(inquiry=inquiry, at=timezone.now())

    confirm_erasure(erasure_request=asked, by=caseworker, at=timezone.now())

    states = set(inquiry.notifications.values_list("state", flat=True))
    assert states == {Notification.State.FAILED}
    assert inquiry.captive_id is not None
    more = notify_relatives(
        captive_ids=[inquiry.captive_id], event=Notification.Event.LISTED, at=timezone.now()
    )
    assert more == 0


def test_closing_starts_the_retention_period_and_reopening_stops_it() -> None:
    caseworker, official = make_user(Role.CASEWORKER), make_user(Role.OFFICIAL)
    inquiry = _told_inquiry(caseworker, photo=False)
    assert inquiry.closed_at is None
    home_at = timezone.now() - timedelta(days=3)

    mark_returned(captive_ids=[inquiry.captive_id or 0], by=official, at=home_at)
    assert Inquiry.objects.get(pk=inquiry.pk).closed_at == home_at

    captive = Inquiry.objects.get(pk=inquiry.pk).captive
    assert captive is not None
    unlink_inquiry(inquiry=inquiry, captive=captive, by=caseworker)
    assert Inquiry.objects.get(pk=inquiry.pk).closed_at is None

    home = make_captive(status=Status.RETURNED)
    linked_at = timezone.now()
    link_inquiry(inquiry=inquiry, captive=home, by=caseworker, at=linked_at)
    relinked = Inquiry.objects.get(pk=inquiry.pk)
    assert (relinked.state, relinked.closed_at) == (Inquiry.State.RETURNED, linked_at)


def test_closing_in_the_admin_starts_the_retention_period(admin_client: Client) -> None:
    inquiry = _told_inquiry(make_user(Role.CASEWORKER), photo=False)
    page = admin_client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/")
    form = page.context["adminform"].form
    data: dict[str, Any] = {"state": "closed", "captive": inquiry.captive_id, "verified_by": ""}
    for name, value in form.initial.items():
        if name not in form.fields or name in data or name == "photo":
            continue
        if isinstance(value, datetime):  # the admin's date and time boxes
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.date(), local.strftime("%H:%M:%S")
        elif value is not None:
            data[name] = value

    response = admin_client.post(f"/admin/inquiries/inquiry/{inquiry.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    closed = Inquiry.objects.get(pk=inquiry.pk)
    assert closed.state == Inquiry.State.CLOSED
    assert closed.closed_at is not None


def test_the_migration_dates_closed_inquiries_from_their_history() -> None:
    migration = importlib.import_module("inquiries.migrations.0017_retention_and_erasure")
    caseworker = make_user(Role.CASEWORKER)
    start = timezone.now() - timedelta(days=100)
    inquiry = Inquiry(
        reference="HC-MIGR-0001",
        pin_hash="x",
        relative_name=NAME,
        relationship="mother",
        email=EMAIL,
        consent_given_at=start,
        sought_full_name="Шевченко Андрій Петрович",
    )
    inquiry._history_date = start  # type: ignore[attr-defined]  # read by simple-history
    inquiry.save()
    for days, state in ((90, "returned"), (80, "being_traced"), (70, "returned"), (60, "closed")):
        inquiry.state = state
        inquiry._history_date = start + timedelta(days=100 - days)  # type: ignore[attr-defined]
        attribute_change(inquiry, by=caseworker, reason="test")
        inquiry.save(update_fields=["state"])
    Inquiry.objects.filter(pk=inquiry.pk).update(closed_at=None)

    migration.fill_closed_at(django_apps, None)

    # Closed since it last came home, 70 days ago: its last run of closing states began then.
    assert Inquiry.objects.get(pk=inquiry.pk).closed_at == start + timedelta(days=30)


# The relative's request, through the pages.


def _file(client: Client) -> tuple[str, str]:
    response = client.post("/inquiries/new/", FORM, follow=True)
    text = response.content.decode()
    reference = re.search(r"HC-[0-9A-Z]{4}-[0-9A-Z]{4}", text)
    pin = re.search(r"<strong>(\d{6})</strong>", text)
    assert reference is not None
    assert pin is not None
    return reference.group(0), pin.group(1)


def test_a_relative_asks_for_erasure_and_a_caseworker_confirms_it() -> None:
    relative = Client()
    reference, pin = _file(relative)
    proof = {"reference": reference, "pin": pin}

    unticked = relative.post("/inquiries/status/erasure/", proof)
    assert "understood" in unticked.context["erase_form"].errors
    assert not ErasureRequest.objects.exists()
    asked = relative.post("/inquiries/status/erasure/", proof | {"understood": "on"})
    again = relative.post("/inquiries/status/erasure/", proof | {"understood": "on"})
    status = html.unescape(relative.post("/inquiries/status/", proof).content.decode())

    assert asked.context["erasure_asked"] is True
    assert again.status_code == 200
    [pending] = ErasureRequest.objects.all()
    assert pending.state == ErasureRequest.State.PENDING
    assert "Прохання очікує на розгляд" in status

    caseworker = Client()
    sign_in(caseworker, make_user(Role.CASEWORKER))
    queue = caseworker.get("/inquiries/erasure-requests/").content.decode()
    detail = caseworker.get(f"/inquiries/{reference}/").content.decode()
    decision = html.unescape(caseworker.get(f"/inquiries/{reference}/erasure/").content.decode())
    assert reference in queue
    assert f"/inquiries/{reference}/erasure/" in detail
    assert "Видалення припиняє розшук" in decision  # an open inquiry: it is closed

    done = caseworker.post(f"/inquiries/{reference}/erasure/", {"action": "confirm"})

    assert done.status_code == 302
    inquiry = Inquiry.objects.get(reference=reference)
    assert (inquiry.state, inquiry.email, inquiry.phone) == (Inquiry.State.CLOSED, "", "")
    assert inquiry.closed_at == inquiry.erased_at
    erasure = Erasure.objects.get(inquiry=inquiry)
    assert (erasure.reason, erasure.request_id) == (Erasure.Reason.REQUEST, pending.pk)
    assert ErasureRequest.objects.get().state == ErasureRequest.State.CONFIRMED
    after = relative.post("/inquiries/status/", proof)
    assert after.context["state"] == Inquiry.State.RECEIVED  # never verified: says no more
    assert "Ваше ім'я, електронну пошту, телефон і фото видалено" in html.unescape(
        after.content.decode()
    )
    assert EMAIL not in after.content.decode()


def test_a_declined_request_tells_the_relative_why_and_may_be_asked_again() -> None:
    relative = Client()
    reference, pin = _file(relative)
    proof = {"reference": reference, "pin": pin}
    relative.post("/inquiries/status/erasure/", proof | {"understood": "on"})
    caseworker = Client()
    sign_in(caseworker, make_user(Role.CASEWORKER))

    empty = caseworker.post(
        f"/inquiries/{reference}/erasure/", {"action": "decline", "because": " "}
    )
    declined = caseworker.post(
        f"/inquiries/{reference}/erasure/",
        {"action": "decline", "because": "A court asked us to keep the file until June."},
    )

    assert empty.status_code == 200
    assert "because" in empty.context["form"].errors
    assert declined.status_code == 302
    inquiry = Inquiry.objects.get(reference=reference)
    assert (inquiry.email, inquiry.erased_at) == (EMAIL, None)
    status = html.unescape(relative.post("/inquiries/status/", proof).content.decode())
    assert "A court asked us to keep the file until June." in status
    relative.post("/inquiries/status/erasure/", proof | {"understood": "on"})
    assert ErasureRequest.objects.filter(state=ErasureRequest.State.PENDING).count() == 1


def test_asking_for_erasure_with_a_wrong_pin_reads_like_a_wrong_reference() -> None:
    reference, pin = _file(Client())
    wrong_pin = "000000" if pin != "000000" else "111111"
    stranger = Client()

    wrong_pin_page = stranger.post(
        "/inquiries/status/erasure/",
        {"reference": reference, "pin": wrong_pin, "understood": "on"},
    )
    unknown_page = stranger.post(
        "/inquiries/status/erasure/",
        {"reference": "HC-ZZZZ-ZZZZ", "pin": pin, "understood": "on"},
    )

    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert wrong_pin_page.status_code == unknown_page.status_code == 200
    assert strip.sub("", wrong_pin_page.content.decode()) == strip.sub(
        "", unknown_page.content.decode().replace("HC-ZZZZ-ZZZZ", reference)
    )
    assert not ErasureRequest.objects.exists()


def test_erasing_a_photo_shown_to_returnees_ends_that_consent_too(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    caseworker = make_user(Role.CASEWORKER)
    inquiry = _told_inquiry(caseworker)
    Inquiry.objects.filter(pk=inquiry.pk).update(photo_shown_to_returnees_at=timezone.now())

    confirm_erasure(
        erasure_request=request_erasure(inquiry=inquiry, at=timezone.now()),
        by=caseworker,
        at=timezone.now(),
    )

    erased = Inquiry.objects.get(pk=inquiry.pk)
    assert erased.erased_at is not None
    assert not erased.photo
    assert erased.photo_shown_to_returnees_at is None
