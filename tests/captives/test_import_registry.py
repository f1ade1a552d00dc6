from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from captives.lifecycle import Status
from captives.models import Captive

pytestmark = pytest.mark.django_db
HEADER = (
    "external_id,family_name,given_name,patronymic,date_of_birth,sex,citizenship,category,"
    "military_unit,service_number,status\n"
)
ROWS = (
    "R1,Гнатюк,Дмитро,Юрійович,1998-12-03,m,UA,serviceman,А0501,АА1,captive\n"
    "R2,Білик,Оксана,Іванівна,,f,UA,civilian,,,missing\n"
)


def _file(tmp_path: Path, body: str, name: str = "registry.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_import_adds_people_with_history_and_says_how_many(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_registry", str(_file(tmp_path, ROWS)))

    gnatyuk = Captive.objects.get(external_id="R1")
    assert (gnatyuk.birth_date, gnatyuk.status) == (date(1998, 12, 3), Status.CONFIRMED_CAPTIVE)
    assert gnatyuk.history.count() == 1
    assert "2 added, 0 updated, 0 unchanged" in capsys.readouterr().out


def test_import_is_an_idempotent_upsert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_registry", str(_file(tmp_path, ROWS)))
    changed = ROWS.replace("А0501", "А0777")

    call_command("import_registry", str(_file(tmp_path, changed)))
    call_command("import_registry", str(_file(tmp_path, changed)))

    assert Captive.objects.count() == 2
    assert Captive.objects.get(external_id="R1").military_unit == "А0777"
    assert Captive.objects.get(external_id="R1").history.count() == 2
    assert "0 added, 0 updated, 2 unchanged" in capsys.readouterr().out.splitlines()[-1]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("R1,Гнатюк,Дмитро,,,m,UA,soldier,,,captive\n", "Line 3, column “category”"),
        ("R1,Гнатюк,Дмитро,,31.02.1990,m,UA,serviceman,,,captive\n", "column “date_of_birth”"),
        ("R1,Гнатюк,Дмитро,,,m,UA,serviceman,,,alive\n", "column “status”"),
        (ROWS + "R1,Інший,Іван,,,m,UA,serviceman,,,captive\n", "also on line 3"),
        ("R1,,Дмитро,,,m,UA,serviceman,,,captive\n", "column “family_name”: is empty"),
    ],
    ids=["bad-category", "impossible-date", "bad-status", "duplicate-id", "no-surname"],
)
def test_a_bad_file_names_line_and_column_and_saves_nothing(
    tmp_path: Path, body: str, message: str
) -> None:
    good_then_bad = "R9,Коваль,Іван,,,m,UA,serviceman,,,captive\n" + body
    with pytest.raises(CommandError, match=message):
        call_command("import_registry", str(_file(tmp_path, good_then_bad)))
    assert not Captive.objects.exists()


def test_missing_columns_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    path.write_text("external_id,family_name\nR1,Коваль\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Missing columns: given_name, category"):
        call_command("import_registry", str(path))


def test_a_status_the_lifecycle_refuses_stops_the_import(tmp_path: Path) -> None:
    call_command("import_registry", str(_file(tmp_path, ROWS.replace("captive\n", "returned\n"))))
    with pytest.raises(CommandError, match="R1: the file moves"):
        call_command("import_registry", str(_file(tmp_path, ROWS)))
    assert Captive.objects.get(external_id="R1").status == Status.RETURNED


def test_a_missing_file_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_registry", str(tmp_path / "nope.csv"))


def test_an_update_by_import_moves_updated_at_and_the_registry_version(tmp_path: Path) -> None:
    """Partners sync on ``updated_since`` and workers rebuild their index on the version: an
    import that only changes a name must move both."""
    from captives.registry import registry_version

    call_command("import_registry", str(_file(tmp_path, ROWS)))
    before = Captive.objects.get(external_id="R1").updated_at
    version = registry_version()

    call_command("import_registry", str(_file(tmp_path, ROWS.replace("Гнатюк", "Гнатюкк"))))

    assert Captive.objects.get(external_id="R1").updated_at > before
    assert registry_version() != version


def test_a_person_listed_for_an_exchange_keeps_that_status_whatever_the_file_says(
    tmp_path: Path,
) -> None:
    call_command("import_registry", str(_file(tmp_path, ROWS)))
    Captive.objects.filter(external_id="R1").update(status=Status.LISTED)

    call_command("import_registry", str(_file(tmp_path, ROWS.replace("А0501", "А0777"))))

    listed = Captive.objects.get(external_id="R1")
    assert (listed.status, listed.military_unit) == (Status.LISTED, "А0777")
