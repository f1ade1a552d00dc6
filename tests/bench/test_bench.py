"""The benchmark's own parts: its data is what it claims, its figures are computed right."""

from __future__ import annotations

from datetime import date

import pytest

from bench import renderings as r
from bench.lists import STYLES, ListRow, release_list
from bench.population import Someone, registry
from bench.profiles import DATED, SPARSE, Profile
from bench.score import Outcome, figures, left_to_people
from bench.ties import ties
from captives.matching import Entry
from demo.names import patronymic


@pytest.fixture(scope="module")
def people() -> list[Someone]:
    return registry(2000, seed=3)


def test_generators_are_deterministic(people: list[Someone]) -> None:
    assert registry(2000, seed=3) == people
    assert release_list(people, 200, 4) == release_list(people, 200, 4)


def test_registry_has_namesakes(people: list[Someone]) -> None:
    names = [(p.family_name, p.given_name, p.patronymic) for p in people]
    assert len(set(names)) < len(names) - 40


def test_list_truth_and_styles(people: list[Someone]) -> None:
    rows = release_list(people, 400, 5)
    ids = {p.id for p in people}
    present = [row for row in rows if row.truth is not None]

    assert {row.style for row in rows} == set(STYLES)
    assert all(row.truth in ids for row in present)
    assert 0.85 < len(present) / len(rows) < 0.95
    assert any(row.namesake for row in rows if row.truth is None)


def test_the_dated_profile_leaves_out_less_than_the_sparse_one() -> None:
    def shares(profile: Profile) -> tuple[float, float, float]:
        people = registry(4000, seed=3, profile=profile)
        rows = release_list(people, 1000, 4, profile)
        return (
            sum(p.birth_date is None for p in people) / len(people),
            sum(row.entry.birth_date is None for row in rows) / len(rows),
            sum(len(row.entry.full_name.split()) < 3 for row in rows) / len(rows),
        )

    sparse, dated = shares(SPARSE), shares(DATED)

    unknown, undated, no_patronymic = 0, 1, 2
    assert 0.06 < sparse[unknown] < 0.10
    assert dated[unknown] < 0.04
    assert sparse[undated] > 0.16
    assert dated[undated] < 0.10
    assert sparse[no_patronymic] > 0.30
    assert dated[no_patronymic] < 0.25


@pytest.mark.parametrize(
    ("word", "table", "expected"),
    [
        ("Шевченко", r.NATIONAL_2010, "Shevchenko"),
        ("Згурський", r.NATIONAL_2010, "Zghurskyi"),
        ("Юрій", r.NATIONAL_2010, "Yurii"),
        ("Гнатюк", r.ICAO_RUSSIAN, "Gnatiuk"),
        ("Щербак", r.ISO_9, "Ŝerbak"),
    ],
)
def test_renderings_follow_their_standard(word: str, table: dict[str, str], expected: str) -> None:
    initial = r.NATIONAL_2010_INITIAL if table is r.NATIONAL_2010 else None
    assert r.latin(word, table, initial) == expected


def test_russian_forms() -> None:
    assert r.russian_orthography("Білик") == "Билык"
    assert r.russian_orthography("Ковальський") == "Ковальский"
    assert r.russian_patronymic("Юрій", female=False) == "Юрьевич"
    assert r.russian_patronymic("Микола", female=True) == "Николаевна"
    assert patronymic("Микола", female=False) == "Миколайович"


def test_figures_on_a_hand_made_example() -> None:
    decisions = [
        Outcome("matched", 1, 1),  # right
        Outcome("matched", 7, 7),  # wrong: truth is 2
        Outcome("review", None, 3),  # found in review
        Outcome("unmatched", None, None),  # absent, left unmatched
        Outcome("conflict", None, 9),  # absent, sent to a person
    ]
    f = figures(decisions, [1, 2, 3, None, None])

    assert (f.auto, f.auto_correct, f.false_auto) == (2, 1, 1)
    assert f.precision == 0.5
    assert f.coverage == pytest.approx(1 / 3)
    assert f.recall == pytest.approx(2 / 3)
    assert f.specificity == 0.5
    assert f.review_load == 2


def test_rows_left_to_people_are_counted_by_reason() -> None:
    decisions = [
        Outcome("review", None, 3, "name_only"),
        Outcome("conflict", None, 4, "duplicate"),
        Outcome("review", None, 5, "name_only"),
        Outcome("matched", 1, 1, "matched"),  # not left to anyone
    ]

    assert left_to_people(decisions) == "review + conflict by reason: name_only 2, duplicate 1"


def test_rows_whose_person_namesakes_tie_with_set_the_recall_ceiling() -> None:
    born = date(1990, 3, 14)

    def someone(pk: int, patronymic: str, birth: date | None, unit: str = "") -> Someone:
        return Someone(pk, "Шевченко", "Олександр", patronymic, "", False, birth, unit, "")

    people = [
        someone(1, "Петрович", born),
        someone(2, "Петрович", date(1985, 7, 2)),
        someone(3, "Петрович", born.replace(year=1991), "А1234"),
        someone(4, "Іванович", born),
    ]

    def row(line: int, truth: int, order: str, birth: date | None, unit: str = "") -> ListRow:
        entry = Entry(line, "…", birth_date=birth, military_unit=unit)
        return ListRow(entry, truth, "ukrainian", order=order)

    rows = [
        row(1, 2, "FGP", None),  # 1, 2 and 3 bear the name, and nothing tells them apart
        row(2, 1, "FGP", born),  # the date is 1's alone among the Петровичі
        row(3, 1, "FG", born),  # without the patronymic, 4 was born that day too
        row(4, 3, "FGP", born.replace(year=1991), "А1234"),  # the unit is 3's alone
        ListRow(Entry(5, "…"), None, "ukrainian"),  # someone the registry does not hold
    ]
    first = [2, 1, 4, 3, 1]
    outcomes = [Outcome("review", None, pk) for pk in first]

    tied = ties(people, rows, outcomes)

    assert (tied.present, tied.tied, tied.found) == (4, 2, 1)
    assert tied.expected == pytest.approx(1 / 3 + 1 / 2)
    assert tied.ceiling == pytest.approx((2 + 1 / 3 + 1 / 2) / 4)
