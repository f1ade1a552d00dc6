"""Every hostile registry file through the import command: a clear error naming the line and
column (or the file), or a clean import; all or nothing, so a refusal leaves no person and no
history row behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from captives.models import Captive

HERE = Path(__file__).resolve().parent / "registry"
pytestmark = pytest.mark.django_db

EXPECTED: dict[str, str | int] = {
    "empty.csv": "empty.csv: The file is empty.",
    "bom-only.csv": "The file has no rows",
    "binary-junk.csv": "not text",
    "missing-columns.csv": "Line 1: Missing columns: given_name, category.",
    "header-only.csv": "Line 1: The file has a header and no data rows",
    "empty-required-cell.csv": "Line 4, column “family_name”: is empty.",
    "impossible-date.csv": "Line 4, column “date_of_birth”: “31.02.1990” is not a date.",
    "giant-year.csv": "Line 4, column “date_of_birth”",
    "date-words.csv": "Line 4, column “date_of_birth”: “yesterday” is not a date.",
    "bad-category.csv": "Line 4, column “category”: “<b>spy</b>” is not one of",
    "bad-status.csv": "Line 4, column “status”: “escaped” is not one of",
    "duplicate-external-id.csv": "Line 4, column “external_id”: external_id R1 is also on line 2",
    "overlong-external-id.csv": "Line 4, column “external_id”: is 500 characters long",
    "overlong-family-name.csv": "Line 4, column “family_name”: is 500 characters long",
    "nul-in-name.csv": "not text",
    "bad-last-row.csv": "Line 5, column “sex”",
    "markup-names.csv": 5,
    "formula-cells.csv": 5,
    "cp1251.csv": 2,
}


def test_every_registry_file_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in HERE.iterdir())


def footprint() -> tuple[int, int]:
    return Captive.objects.count(), Captive.history.count()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_registry_file_through_the_import_command(name: str) -> None:
    expected = EXPECTED[name]
    before = footprint()

    if isinstance(expected, str):
        with pytest.raises(CommandError) as refused:
            call_command("import_registry", str(HERE / name))
        assert expected in str(refused.value)
        assert footprint() == before
    else:
        call_command("import_registry", str(HERE / name))
        assert Captive.objects.count() == before[0] + expected


def test_formulas_are_kept_as_text_never_evaluated() -> None:
    call_command("import_registry", str(HERE / "formula-cells.csv"))

    assert Captive.objects.filter(family_name__startswith="=HYPERLINK(").exists()
    assert Captive.objects.filter(family_name="=1+2 Шевченко").exists()
