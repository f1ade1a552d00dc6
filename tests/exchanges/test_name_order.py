"""People are listed in Ukrainian alphabetical order (А Б В Г Ґ Д Е Є Ж З И І Ї Й …), not by
code point, where Є, І, Ї and Ґ came before А: on the phase page, the approval page, the
transfers' export and the registry's admin, on PostgreSQL and on the demo's SQLite."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db.utils import ConnectionHandler
from django.test import Client

from accounts.roles import Role
from captives.models import Captive
from config.collation import UKRAINIAN, by_name
from exchanges.confirmation import to_bring_home
from exchanges.models import Phase
from exchanges.services import list_for_phase
from tests.factories import (
    make_captive,
    make_matched_list,
    make_phase,
    make_provenance,
    make_user,
    sign_in,
)
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
DAY = datetime(2025, 5, 30, 9, 0, tzinfo=UTC)  # a week after the phase's date

# In the order a Ukrainian reader expects.
ALPHABETICAL = [
    ("Білик", "Олег"),
    ("Бондаренко", "Андрій"),
    ("Бондаренко", "Ігор"),
    ("Гнатюк", "Петро"),
    ("Ґудзь", "Роман"),
    ("Дмитренко", "Юрій"),
    ("Єременко", "Василь"),
    ("Жук", "Євген"),
    ("Іваненко", "Їжак"),
    ("Іваненко", "Йосип"),
    ("Їжакевич", "Ґедеон"),
    ("Йосипенко", "Степан"),
]


def _names() -> list[str]:
    return [f"{family} {given}" for family, given in ALPHABETICAL]


def _everyone() -> list[Captive]:
    """The people, registered in no order."""
    shuffled = ALPHABETICAL.copy()
    random.Random(20).shuffle(shuffled)
    return [make_captive(family_name=f, given_name=g, patronymic="Іванович") for f, g in shuffled]


def _phase_naming_everyone() -> Phase:
    phase = make_phase()
    source = make_provenance()
    for captive in _everyone():
        list_for_phase(phase=phase, captive=captive, by=None, provenance=source)
    return phase


def _in_page_order(body: str, names: list[str]) -> list[str]:
    return sorted(names, key=body.index)


def _official() -> Client:
    client = Client()
    sign_in(client, make_user(Role.OFFICIAL))
    return client


def test_the_phase_page_lists_people_in_ukrainian_order() -> None:
    phase = _phase_naming_everyone()

    body = _official().get(f"/exchanges/phases/{phase.pk}/").content.decode()

    assert _in_page_order(body, _names()) == _names()


def test_the_approval_page_lists_whom_it_brings_home_in_ukrainian_order() -> None:
    phase = make_phase()
    make_matched_list(phase, _everyone())
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)

    listed = [f"{t.captive.family_name} {t.captive.given_name}" for t in to_bring_home(phase)]
    body = _official().get(f"/exchanges/phases/{phase.pk}/confirmation/approve/")

    assert listed == _names()
    assert _in_page_order(body.content.decode(), _names()) == _names()


def test_the_transfers_export_is_in_ukrainian_order() -> None:
    phase = _phase_naming_everyone()

    response: Any = _official().get(f"/exchanges/phases/{phase.pk}/transfers.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [f"{r['family_name']} {r['given_name']}" for r in rows] == _names()


def test_the_registry_admin_lists_people_in_ukrainian_order(admin_client: Client) -> None:
    _phase_naming_everyone()

    body = admin_client.get("/admin/captives/captive/").content.decode()
    by_column = admin_client.get("/admin/captives/captive/?o=0").content.decode()  # full name

    assert _in_page_order(body, _names()) == _names()
    assert _in_page_order(by_column, _names()) == _names()


def test_the_registry_is_in_ukrainian_order_by_default() -> None:
    _phase_naming_everyone()

    names = [f"{c.family_name} {c.given_name}" for c in Captive.objects.all()]

    assert names == _names()


def test_sqlite_orders_names_as_postgresql_does() -> None:
    """The demo's SQLite gets the collation from PyICU on connecting: the same order."""
    databases = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    sqlite = databases["default"]
    try:
        with sqlite.cursor() as cursor:
            cursor.execute("CREATE TABLE person (family_name text, given_name text)")
            shuffled = ALPHABETICAL.copy()
            random.Random(3).shuffle(shuffled)
            cursor.executemany("INSERT INTO person VALUES (%s, %s)", shuffled)
            cursor.execute(
                'SELECT * FROM person ORDER BY family_name COLLATE "uk-x-icu", given_name'
                ' COLLATE "uk-x-icu"'
            )
            ordered = cursor.fetchall()
        sql, _ = (
            Captive.objects.order_by(*by_name("family_name")).query.get_compiler(connection=sqlite)
        ).as_sql()
    finally:
        sqlite.close()

    assert ordered == ALPHABETICAL
    assert f'COLLATE "{UKRAINIAN}"' in sql
