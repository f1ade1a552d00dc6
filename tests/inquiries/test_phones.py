"""Phone numbers as the SMS provider takes them: read as relatives write them, kept in E.164,
refused by their field in the page's language, and the numbers kept before made E.164."""

from __future__ import annotations

import html
import importlib
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.forms import modelform_factory
from django.test import Client

from inquiries.models import Inquiry
from inquiries.phones import e164, takes_texts

NOW = datetime(2025, 5, 23, 16, 0, tzinfo=UTC)
FORM = {
    "relative_name": "Марія Шевченко",
    "relationship": "mother",
    "email": "",
    "sought_full_name": "Шевченко Андрій Петрович",
    "consent": "on",
}
REFUSED_UK = (
    "Вкажіть номер телефону повністю: український — так, як ви його набираєте "
    "(067 123 45 67), інший — з кодом країни (+48 512 345 678)."
)
REFUSED_EN = (
    "Enter the phone number in full: a Ukrainian one as you dial it (067 123 45 67), "
    "any other with its country code (+48 512 345 678)."
)


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("067 123 45 67", "+380671234567"),
        ("0671234567", "+380671234567"),
        ("(067) 123-45-67", "+380671234567"),
        ("067-123-45-67", "+380671234567"),
        ("+380671234567", "+380671234567"),
        ("+380 67 123 45 67", "+380671234567"),
        ("+38 (067) 123-45-67", "+380671234567"),
        ("380671234567", "+380671234567"),
        ("044 123 4567", "+380441234567"),  # a Kyiv landline: a caseworker may call it
        ("+48 22 123 45 67", "+48221234567"),
        ("0048 22 123 45 67", "+48221234567"),  # dialled from Ukraine
        ("+1 (212) 555-0100", "+12125550100"),
        ("+49 30 123456", "+4930123456"),
    ],
)
def test_numbers_are_read_as_written_and_kept_in_e164(written: str, kept: str) -> None:
    assert e164(written) == kept


@pytest.mark.parametrize(
    "written",
    [
        "12345",
        "067 123 45 6",  # a digit short
        "067 123 45 678",  # a digit too many
        "+48",
        "+999 123 456 789",  # no such country
        "067 FLOWERS",  # keypad letters
        "067 123 45 67 ext. 5",  # an extension no SMS reaches
        "ask at the village council",
        "",
    ],
)
def test_what_is_no_valid_number_is_refused(written: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (any reason will do: the form says one thing)
        e164(written)


@pytest.mark.django_db
def test_the_relatives_form_keeps_a_number_written_the_ukrainian_way_in_e164() -> None:
    response = Client().post("/inquiries/new/", FORM | {"phone": "(067) 123-45-67"})

    assert response.status_code == 302
    assert Inquiry.objects.get().phone == "+380671234567"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label", "refusal"), [("uk", "Телефон", REFUSED_UK), ("en", "Phone", REFUSED_EN)]
)
def test_a_number_that_is_none_is_refused_by_its_field_in_the_pages_language(
    language: str, label: str, refusal: str
) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).post(
        "/inquiries/new/", FORM | {"email": "maria@example.org", "phone": "067 123 45"}
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert response.context["form"].errors == {"phone": [refusal]}
    assert f'<a href="#id_phone">{label}: {refusal}</a>' in page  # the summary names the field
    assert f'<p class="error">{refusal}</p>' in page  # and the field says it
    assert not Inquiry.objects.exists()


def test_every_form_of_the_model_reads_numbers_as_written_the_admins_too() -> None:
    edit = modelform_factory(Inquiry, fields=["phone"])

    written = edit({"phone": "067 123 45 67"})
    wrong = edit({"phone": "0671"})

    assert written.is_valid(), written.errors
    assert written.cleaned_data["phone"] == "+380671234567"
    assert list(wrong.errors) == ["phone"]


NO_TEXTS_UK = (
    "На цей номер не можна надіслати SMS: вкажіть номер мобільного телефону або електронну пошту."
)
NO_TEXTS_EN = "This number cannot receive text messages: give a mobile number, or an email address."


@pytest.mark.parametrize(
    ("number", "takes"),
    [
        ("+380671234567", True),  # Kyivstar
        ("+380911234567", True),  # a mobile
        ("+48512345678", True),  # a Polish mobile
        ("+12125550100", True),  # the US: a fixed line or a mobile, the number does not say
        ("+380891234567", True),  # a Ukrainian VoIP number
        ("+380441234567", False),  # a Kyiv landline
        ("+48221234567", False),  # a Warsaw landline
        ("+380800123456", False),  # toll-free
        ("+380900212345", False),  # premium-rate
        ("+447640123456", False),  # a British pager
        ("+447012345678", True),  # a British personal number, forwarded
    ],
)
def test_only_numbers_a_text_message_reaches_take_texts(number: str, takes: bool) -> None:
    assert takes_texts(number) is takes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "refusal"), [("uk", NO_TEXTS_UK), ("en", NO_TEXTS_EN)], ids=["uk", "en"]
)
def test_the_relatives_form_refuses_a_landline_in_the_pages_language(
    language: str, refusal: str
) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).post(
        "/inquiries/new/", FORM | {"email": "maria@example.org", "phone": "044 123 45 67"}
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert response.context["form"].errors == {"phone": [refusal]}
    assert f'<p class="error">{refusal}</p>' in page
    assert not Inquiry.objects.exists()


def test_the_admins_form_takes_a_landline_a_caseworker_may_call() -> None:
    edit = modelform_factory(Inquiry, fields=["phone"])

    landline = edit({"phone": "044 123 45 67"})

    assert landline.is_valid(), landline.errors
    assert landline.cleaned_data["phone"] == "+380441234567"


# The data migration, on rows in PostgreSQL.
MIGRATION = "0014_phones_in_e164"
BEFORE = {
    "067 123 45 67": "+380671234567",
    "+380 (50) 111-22-33": "+380501112233",
    "+48 22 123 45 67": "+48221234567",
    "+380671234568": "+380671234568",  # E.164 already: left alone, no history row
    "": "",
}
UNREADABLE = ["ask at the village council", "12345"]


def _inquiry(n: int, phone: str) -> Inquiry:
    return Inquiry.objects.create(
        reference=f"HC-TEST-{n:04d}",
        pin_hash="x",
        relative_name="Марія Шевченко",
        relationship="mother",
        email="maria@example.org",
        phone=phone,
        consent_given_at=NOW,
        sought_full_name="Шевченко Андрій",
    )


@pytest.mark.django_db
def test_the_migration_writes_numbers_in_e164_and_lists_those_it_cannot_read_by_reference(
    capsys: pytest.CaptureFixture[str],
) -> None:
    migration = importlib.import_module(f"inquiries.migrations.{MIGRATION}")
    rows = {phone: _inquiry(n, phone) for n, phone in enumerate([*BEFORE, *UNREADABLE])}
    # The schema it ran on: the history kept phone numbers then (inquiries 0017 dropped them).
    # Undone with the test's transaction.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ALTER TABLE refuses
    executor = MigrationExecutor(connection)
    executor.migrate([("inquiries", MIGRATION)])
    apps = executor.loader.project_state(("inquiries", MIGRATION)).apps

    migration.write_phones_in_e164(apps, None)
    printed = capsys.readouterr().out
    migration.write_phones_in_e164(apps, None)  # again: nothing left to change
    again = capsys.readouterr().out

    kept = dict(Inquiry.objects.values_list("reference", "phone"))
    assert {phone: kept[row.reference] for phone, row in rows.items()} == BEFORE | {
        phone: phone for phone in UNREADABLE
    }
    history = apps.get_model("inquiries", "HistoricalInquiry")
    told = history.objects.filter(history_change_reason=migration.REASON)
    assert sorted(told.values_list("phone", flat=True)) == sorted(
        ["+380671234567", "+380501112233", "+48221234567"]
    )
    for phone in UNREADABLE:
        assert f"{rows[phone].pk} ({rows[phone].reference})" in printed
        assert phone not in printed
    assert "Марія" not in printed
    assert "Шевченко" not in printed
    assert again == printed
