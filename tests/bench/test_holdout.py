"""The hold-out benchmark's pure parts: the scorer, the generator, the files it writes."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from bench.holdout.__main__ import floor_by_rule, left_to_people
from bench.holdout.clerks import STYLES, Rendering, typo
from bench.holdout.files import ENCODINGS, HEADERS, FileShape, file_shape, write_list
from bench.holdout.names import daughters_patronymic_ru, daughters_patronymic_ua
from bench.holdout.people import feminine, registry
from bench.holdout.release import ListRow, release_list
from bench.holdout.scoring import Expected, Figures, Floor, Outcome, figures, read_results, table
from bench.holdout.scripts import (
    bgn_pcgn_russian,
    icao_russian,
    national_2010,
    plain_ascii,
    russian_spelling,
)
from captives.sheets import read_table
from exchanges.listfile import parse_birth_date, parse_release_list


@pytest.fixture(scope="module")
def rows() -> list[ListRow]:
    return release_list(registry(1000, 3), 600, 3)


def test_scorer_counts_each_figure_on_a_tiny_list():
    expected = [
        Expected(1, "A"),  # matched rightly
        Expected(2, "B"),  # matched to the wrong person
        Expected(3, "C"),  # review, right best candidate
        Expected(4, "D", identifying=False),  # conflict, wrong best candidate
        Expected(5, "E"),  # missing from the output
        Expected(6, ""),  # absent, left unmatched
        Expected(7, ""),  # absent, matched: a false automatic match
        Expected(8, ""),  # absent, sent to review
    ]
    results = {
        1: Outcome("matched", "A"),
        2: Outcome("matched", "X"),
        3: Outcome("review", "C"),
        4: Outcome("conflict", "Y"),
        6: Outcome("unmatched", ""),
        7: Outcome("matched", "Z"),
        8: Outcome("review", "A"),
    }
    f = figures(expected, results)
    assert (f.rows, f.present, f.absent, f.missing) == (8, 5, 3, 1)
    assert (f.auto, f.auto_right, f.false_auto) == (3, 1, 2)
    assert f.precision == pytest.approx(1 / 3)
    assert f.coverage == pytest.approx(1 / 5)
    assert f.recall == pytest.approx(2 / 5)
    assert f.specificity == pytest.approx(1 / 3)
    assert f.review_conflict == 3
    assert f.per_1000(f.review_conflict) == pytest.approx(375)
    assert f.ceiling == pytest.approx(4 / 5)


def test_results_are_read_from_the_commands_csv(tmp_path: Path):
    out = tmp_path / "out.csv"
    out.write_text(
        "line,outcome,captive_external_id,score,explanation\n"
        '1,matched,H1-000001,0.97,"name, date"\n2,unmatched,,,no candidate\n',
        encoding="utf-8",
    )
    assert read_results(out) == {
        1: Outcome("matched", "H1-000001", "name, date"),
        2: Outcome("unmatched", "", "no candidate"),
    }


def test_the_generator_is_the_same_for_the_same_seed(rows: list[ListRow]):
    assert release_list(registry(1000, 3), 600, 3) == rows
    assert registry(50, 3) != registry(50, 4)
    assert file_shape(5) == file_shape(5)


def test_the_list_has_absent_people_repeats_and_few_rows_without_identifiers(
    rows: list[ListRow],
):
    absent = [r for r in rows if not r.truth]
    assert 0.06 < len(absent) / len(rows) < 0.14
    assert sum(r.repeat for r in rows) >= 2
    bare = sum(not r.rendering.identifying for r in rows)
    assert 0 < bare < 0.1 * len(rows)


def test_every_style_order_and_file_encoding_is_produced(rows: list[ListRow]):
    assert {r.rendering.style for r in rows} == {s for s, _ in STYLES}
    assert {r.rendering.name_order for r in rows} == {"F G P", "G P F", "F G", "G F"}
    shapes = [file_shape(seed) for seed in range(80)]
    assert {s.encoding for s in shapes} == {e for e, _ in ENCODINGS}
    assert {s.language for s in shapes} == set(HEADERS)
    assert {s.separate_names for s in shapes} == {True, False}
    assert {s.delimiter for s in shapes} == {",", ";", "\t"}


@pytest.mark.parametrize(
    ("ukrainian", "russian", "latin"),
    [
        ("Олійник", "Олийнык", "Oliinyk"),
        ("Лук'яненко", "Лукяненко", "Lukianenko"),
        ("Євтушенко", "Евтушенко", "Yevtushenko"),
        ("Згурський", "Згурский", "Zghurskyi"),
        ("Їжакевич", "Ижакевыч", "Yizhakevych"),
    ],
)
def test_russian_spelling_and_the_passport_system(ukrainian: str, russian: str, latin: str):
    assert russian_spelling(ukrainian) == russian
    assert national_2010(ukrainian) == latin


def test_russian_latin_systems_and_plain_ascii():
    assert bgn_pcgn_russian("Сергеевич") == "Sergeyevich"
    assert bgn_pcgn_russian("Юрьевич") == "Yur’yevich"
    assert icao_russian("Юрьевич") == "Iurevich"
    assert plain_ascii("Ковальчук") == "Kovalchuk"


def test_womens_forms():
    assert feminine("Лозинський") == "Лозинська"
    assert feminine("Шевченко") == "Шевченко"
    assert daughters_patronymic_ua("Сергійович") == "Сергіївна"
    assert daughters_patronymic_ua("Петрович") == "Петрівна"
    assert daughters_patronymic_ru("Юрьевич") == "Юрьевна"


def test_a_typo_changes_one_letter_at_most_by_one_place():
    rng = random.Random(1)
    for _ in range(50):
        changed = typo("Бондаренко", rng)
        assert abs(len(changed) - len("Бондаренко")) <= 1


SHAPES = [
    FileShape(encoding, delimiter, language, separate, True, True, {})
    for encoding, delimiter, language, separate in (
        ("utf-8", ",", "uk", False),
        ("utf-8-sig", ";", "ru", True),
        ("cp1251", ";", "uk", False),
        ("utf-16", "\t", "en", False),
        ("xlsx", ",", "ru", False),
        ("xlsx", ",", "en", True),
    )
]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s.encoding}-{s.language}")
def test_the_written_file_reads_back_through_the_projects_parser(
    shape: FileShape, rows: list[ListRow], tmp_path: Path
):
    table = HEADERS[shape.language]
    names = ["family_name", "given_name", "patronymic"] if shape.separate_names else ["full_name"]
    fields = ["number", *names, "birth_date", "military_unit", "service_number", "rank"]
    shape = replace(shape, headers={f: table[f][0][0] for f in fields})
    path = tmp_path / f"list{shape.suffix}"
    write_list(rows[:120], shape, path, seed=1)
    parsed = parse_release_list(read_table(path.read_bytes(), path.name))
    assert not parsed.problems
    assert len(parsed.entries) == 120

    def kept(text: str) -> str:
        if shape.encoding != "cp1251":
            return text
        return text.encode("cp1251", errors="replace").decode("cp1251")

    for row, entry in zip(rows, parsed.entries, strict=False):
        r = row.rendering
        assert entry.line == row.line
        if shape.separate_names:
            got = (entry.family_name, entry.given_name, entry.patronymic)
            assert got == (r.family_name, r.given_name, r.patronymic)
        else:
            assert entry.full_name == kept(r.full_name)
        assert entry.birth_date == parse_birth_date(r.birth_date_text)
        assert (entry.military_unit, entry.service_number) == (
            kept(r.military_unit),
            kept(r.service_number),
        )


def test_rows_left_to_people_are_counted_by_the_cause_their_explanation_gives() -> None:
    results = {
        1: Outcome("review", "A", "Review: only the name can be compared: the row gives no…"),
        2: Outcome(
            "conflict", "B", "Conflict: line 2 and line(s) 9 of this list claim the same person (B)"
        ),
        3: Outcome("review", "C", "Review: only the name can be compared: …"),
        4: Outcome("matched", "D", "Matched with D: 30.1 bits"),
        5: Outcome("conflict", "E", "Conflict: 3 registry people fit about equally. E: …"),
    }

    assert left_to_people(results) == (
        "  review + conflict by cause: name alone 2, two lines, one person 1, several fit equally 1"
    )


def test_the_floor_counts_rows_the_rules_leave_to_a_person() -> None:
    people = registry(50, 1)
    dated = next(p for p in people if p.birth_date is not None)
    bare = Rendering("Ukrainian Cyrillic", "Коваль", "Іван", "", "F G", "", "", "")
    with_date = replace(bare, birth_date_text="01.01.1990")
    rows = [
        ListRow(1, dated.external_id, dated.full_name, bare),  # nothing comparable
        ListRow(2, dated.external_id, dated.full_name, with_date),  # the date compares
        ListRow(3, dated.external_id, dated.full_name, with_date, repeat=True),  # a repeat
        ListRow(4, "", dated.full_name, bare),  # absent, bears the name, nothing to tell apart
        ListRow(5, "", dated.full_name, with_date),  # absent namesake, the date tells
        ListRow(6, "", "Нікого Такого Немає", bare),  # absent, nobody bears the name
        # absent, another father's name, written without it: a namesake as written
        ListRow(7, "", f"{dated.family_name} {dated.given.ukrainian} Іншович", bare),
        ListRow(8, "", f"{dated.family_name} {dated.given.ukrainian} Іншович", with_date),
    ]

    assert floor_by_rule(people, rows).describe() == (
        "  left to a person by the rules alone: 3 (1 present rows with nothing comparable, "
        "1 repeated lines, 1 absent namesakes with nothing to tell them apart); so at most "
        "0.333 auto coverage and 0.800 absent left unmatched\n"
        "  absent rows without the patronymic, namesakes as written of someone with nothing to "
        "compare: 1 more; 0.600 absent left unmatched counting them"
    )


def test_the_targets_are_judged_against_the_lists_floor() -> None:
    """Issue "5 of 6": coverage >= ceiling - 0.005, review + conflict <= floor + 3, absent left
    unmatched >= ceiling - 0.01, recall >= 0.985; the fixed targets only without a floor."""
    floor = Floor(present=50, repeats=6, namesakes=2, as_written=1, listed=900, absent=100)
    engine = Figures(
        rows=1000,
        auto=840,
        auto_right=840,
        false_auto=0,
        present=900,
        found=890,
        absent=100,
        absent_unmatched=97,
        review_conflict=61,
        identifying=850,
        missing=0,
    )

    judged = {
        line.split("  ")[1].strip(): line.split()[-1] for line in table(engine, 1.0, None, floor)
    }
    fixed = {line.split("  ")[1].strip(): line.split()[-1] for line in table(engine, 1.0)}

    assert floor.coverage == pytest.approx(844 / 900)  # 0.9378: the engine's 0.9333 is within
    assert judged["auto coverage"] == "ok"
    assert judged["review + conflict"] == "ok"  # 61 <= 58 + 3
    assert judged["absent left unmatched"] == "ok"  # 0.97 >= 0.98 - 0.01
    assert judged["found recall"] == "ok"  # 0.9889 >= 0.985
    assert fixed["review + conflict"] == "MISSED"  # 61 > 60
    assert table(replace(engine, review_conflict=62), 1.0, None, floor)[5].endswith("MISSED")
