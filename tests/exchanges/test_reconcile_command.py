from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from captives.matching.engine import SPAN_ROWS
from tests.factories import make_captive
from tests.formulas import formula_cells

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_reconcile_writes_one_line_per_row(tmp_path: Path) -> None:
    wanted = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    wanted.external_id = "R77"
    wanted.save(update_fields=["external_id"])
    source = tmp_path / "list.csv"
    source.write_text(
        "№;ФИО;Дата рождения\n7;Гнатюк Дмитрий Юрьевич;03.12.1998\n"
        "8;Вайнштейн Аркадий;01.01.1970\n",
        encoding="cp1251",
    )
    out = tmp_path / "result.csv"

    call_command("reconcile", str(source), out=str(out))

    with out.open(encoding="utf-8") as result:
        rows = list(csv.DictReader(result))
    assert [(r["line"], r["outcome"], r["captive_external_id"]) for r in rows] == [
        ("7", "matched", "R77"),
        ("8", "unmatched", ""),
    ]
    assert "Russian form" in rows[0]["explanation"]
    assert float(rows[0]["score"]) > 0


def test_reconcile_writes_no_formula_for_any_reader_to_find(tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text(
        "№;ПІБ;Дата народження\n9;Коваль Іван;\"14.03;+cmd|' /C calc'!A0\"\n", encoding="utf-8"
    )
    out = tmp_path / "result.csv"

    call_command("reconcile", str(source), out=str(out))

    written = out.read_text(encoding="utf-8")
    assert "14.03;'+cmd|' /C calc'!A0" in written  # quoted in the explanation, made inert
    assert formula_cells(written) == []


def test_reconcile_decides_alike_on_every_core_or_one(tmp_path: Path) -> None:
    people = [
        make_captive(family_name=surname, given_name="Дмитро", birth_date=date(1990, 1, day))
        for day, surname in enumerate(("Гнатюк", "Білик", "Цибуля", "Щербак", "Дячук"), start=1)
    ]
    rows = [
        f"{n};{p.family_name} {p.given_name};0{n % 5 + 1}.01.1990" for n, p in enumerate(people)
    ]
    rows += [f"{n};Невідомий{n} Петро;" for n in range(len(rows), SPAN_ROWS + 20)]
    rows.append(f"99;{people[0].family_name} Дмитро;01.01.1990")  # listed twice, another span
    source = tmp_path / "list.csv"
    source.write_text("№;ПІБ;Дата народження\n" + "\n".join(rows) + "\n", encoding="utf-8")

    call_command("reconcile", str(source), out=str(tmp_path / "one.csv"), processes=1)
    call_command("reconcile", str(source), out=str(tmp_path / "two.csv"), processes=2)

    one = (tmp_path / "one.csv").read_text(encoding="utf-8")
    assert (tmp_path / "two.csv").read_text(encoding="utf-8") == one
    outcomes = [row["outcome"] for row in csv.DictReader(one.splitlines())]
    assert outcomes[:5] == ["matched"] * 5
    assert outcomes[-1] == "conflict"


def test_reconcile_asks_for_at_least_one_process(tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("№;ПІБ\n1;Коваль Іван\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--processes"):
        call_command("reconcile", str(source), out=str(tmp_path / "out.csv"), processes=0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02" * 100, "not text"),
        ("Дата\n1.1.1990\n".encode(), "No name column"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "list.csv"
    source.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("reconcile", str(source), out=str(tmp_path / "out.csv"))


@pytest.mark.slow  # a manage.py process of its own
def test_bad_input_from_the_shell_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "reconcile", str(tmp_path / "missing.csv"), "--out", "x.csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "missing.csv" in result.stderr
