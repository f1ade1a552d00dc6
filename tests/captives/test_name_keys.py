"""Every path that writes a person or a spelling stores the keys the registry's index reads,
equal to keys worked out from scratch; stale or unfitting stored keys are never used."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.roles import Role
from captives.importing import import_registry
from captives.matching import RegistryIndex
from captives.matching.stored import person_keys, spelling_keys
from captives.models import Captive, Spelling
from captives.registry import load_persons
from captives.registry_file import RegistryEntry
from captives.services import record_spelling
from tests.factories import make_captive, make_provenance, make_user
from workflows.merging import merge_captives, undo_merge

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)


def assert_fresh(pk: int) -> None:
    """The person's stored keys, and each of their spellings', are what scratch gives."""
    captive = Captive.objects.get(pk=pk)
    assert captive.name_keys == person_keys(
        captive.family_name,
        captive.given_name,
        captive.patronymic,
        captive.military_unit,
        captive.service_number,
    )
    for spelling in Spelling.objects.filter(captive=captive):
        assert spelling.name_keys == spelling_keys(spelling.full_name)


def entry(external_id: str, family_name: str, **more: object) -> RegistryEntry:
    values: dict[str, object] = {
        "line": 2,
        "external_id": external_id,
        "family_name": family_name,
        "given_name": "Дмитро",
        "patronymic": "Юрійович",
        "date_of_birth": date(1998, 12, 3),
        "sex": "male",
        "citizenship": "UA",
        "category": "serviceman",
        "military_unit": "А0001",
        "service_number": "",
        "status": "missing",
    }
    return RegistryEntry(**(values | more))  # type: ignore[arg-type]


def test_a_person_registered_by_the_service_has_fresh_keys() -> None:
    captive = make_captive(military_unit="в/ч А1234", service_number="АА123456")

    assert_fresh(captive.pk)
    assert "a1234" in captive.name_keys.split("|")


def test_people_imported_and_imported_again_with_a_new_name_have_fresh_keys() -> None:
    import_registry(
        entries=[entry("R1", "Гнатюк"), entry("R2", "Білик")],
        source="test",
        description="first",
        by=None,
        at=NOW,
    )
    import_registry(
        entries=[entry("R1", "Гнатюк-Білик", military_unit="А0002"), entry("R2", "Білик")],
        source="test",
        description="second",
        by=None,
        at=NOW,
    )

    for captive in Captive.objects.filter(source="test"):
        assert_fresh(captive.pk)
    assert Captive.objects.get(external_id="R1").family_name == "Гнатюк-Білик"


def test_a_name_edited_in_the_admin_and_a_spelling_added_there_have_fresh_keys(
    admin_client: Client,
) -> None:
    captive = make_captive(family_name="Гнатюк")
    url = f"/admin/captives/captive/{captive.pk}/change/"
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("photo", None)
    data |= {
        "family_name": "Гнатюк-Білик",
        "spellings-TOTAL_FORMS": "1",
        "spellings-INITIAL_FORMS": "0",
        "spellings-0-full_name": "Gnatiuk Dmytro",
        "spellings-0-provenance": str(make_provenance().pk),
    }

    answer = admin_client.post(url, data)

    assert answer.status_code == 302, answer.context["adminform"].form.errors
    assert Captive.objects.get(pk=captive.pk).family_name == "Гнатюк-Білик"
    assert Spelling.objects.filter(captive=captive).count() == 1
    assert_fresh(captive.pk)


def test_a_spelling_recorded_has_fresh_keys() -> None:
    captive = make_captive()

    recorded = record_spelling(
        captive=captive, full_name="Shevchenko Oleksandr Petrovych", provenance=make_provenance()
    )

    assert recorded is not None
    assert recorded.name_keys["r"][:3] == ["Shevchenko", "Oleksandr", "Petrovych"]
    assert_fresh(captive.pk)


def test_a_merge_and_its_undo_leave_every_keyed_row_fresh() -> None:
    official = make_user(Role.OFFICIAL)
    kept = make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    duplicate = make_captive(family_name="Гнатюк", given_name="Дмитрий", patronymic="Юрьевич")
    record_spelling(captive=duplicate, full_name="Hnatiuk Dmytro", provenance=make_provenance())

    merge = merge_captives(kept=kept, duplicate=duplicate, by=official, at=NOW, reason="Same")

    assert Spelling.objects.filter(captive=kept).count() == 2  # moved, and the duplicate's name
    assert_fresh(kept.pk)
    assert_fresh(duplicate.pk)
    undo_merge(merge=merge, by=official, at=NOW)
    assert_fresh(kept.pk)
    assert_fresh(duplicate.pk)


def test_stale_keys_are_never_used_and_the_command_stores_fresh_ones() -> None:
    captive = make_captive(family_name="Гнатюк", military_unit="А1234")
    spelling = record_spelling(
        captive=captive, full_name="Shevchenko Oleksandr", provenance=make_provenance()
    )
    assert spelling is not None
    version, checksum, *_ = captive.name_keys.split("|")
    # Keys another version made (forged here, so that using them would show).
    forged = "|".join([f"{version}-old", checksum, *["x"] * 8])
    Captive.objects.filter(pk=captive.pk).update(name_keys=forged)
    Spelling.objects.filter(pk=spelling.pk).update(
        name_keys=spelling.name_keys | {"v": f"{version}-old", "r": ["X", "", "", *["x"] * 6]}
    )

    index = RegistryIndex(load_persons())

    assert [family.fine for family, _, _ in index.name_parts(0)] == ["gnatiuk", "SevCenko"]
    assert index.units[index.unit_at[0]] == "a1234"
    call_command("store_name_keys")
    assert_fresh(captive.pk)


def test_stored_keys_that_do_not_fit_the_name_now_are_not_used() -> None:
    captive = make_captive(family_name="Гнатюк", given_name="Дмитро")
    # A write that bypassed the services: the stored keys are still Гнатюк's.
    Captive.objects.filter(pk=captive.pk).update(family_name="Білик")

    index = RegistryIndex(load_persons())

    assert index.name_parts(0)[0][0].fine == "bilik"
