"""The benchmark's other systems: the cdist baseline keeps the naive rule, and our rules on
Splink's pairs let neither a name alone nor one person twice through."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bench.baseline import Baseline, CdistBaseline
from bench.lists import release_list
from bench.peer import Pair, decide, list_rows, name_keys, read_pair, registry_rows, words
from bench.population import Someone, registry
from bench.score import Outcome, figures
from captives.matching import Entry

BORN = date(1990, 5, 17)
IVAN = Someone(1, "Шевченко", "Іван", "Петрович", "Петро", False, BORN, "А1234", "")
NAMESAKE = replace(IVAN, id=2, birth_date=date(1985, 1, 2))
OLENA = Someone(3, "Коваленко", "Олена", "Андріївна", "Андрій", True, None, "", "")


@pytest.fixture(scope="module")
def cdist() -> CdistBaseline:
    return CdistBaseline([IVAN, NAMESAKE, OLENA])


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (Entry(1, "Kovalenko Olena Andriivna"), ("matched", 3, 3)),
        (Entry(2, "Shevchenko Ivan Petrovych", birth_date=BORN), ("matched", 1, 1)),
        (Entry(3, "Shevchenko Ivan Petrovych"), ("review", None, 1)),
        (Entry(4, "Shevchenko Ivan Petrovych", birth_date=date(2000, 1, 1)), ("review", None, 1)),
        (Entry(5, "Kovalenko Olga"), ("unmatched", None, 3)),
    ],
)
def test_cdist_baseline_keeps_the_naive_rule(
    cdist: CdistBaseline, entry: Entry, expected: tuple[str, int | None, int | None]
) -> None:
    decision = cdist.decide_all([entry])[0]

    assert (decision.outcome, decision.person_id, decision.best_id) == expected


def test_cdist_baseline_decides_as_the_row_by_row_one() -> None:
    people = registry(2000, seed=3)
    rows = release_list(people, 120, 4)
    naive = Baseline(people)

    decided = CdistBaseline(people).decide_all([r.entry for r in rows])

    assert decided == [naive.decide(r.entry) for r in rows]


def _pair(line: int, person: int, probability: float, **levels: float) -> Pair:
    fields = {"name_weight": 12.0, "birth_date": 5, "unit": -1, "service_number": -1}
    fields.update(levels)
    return Pair(
        line,
        person,
        probability,
        fields["name_weight"],
        int(fields["birth_date"]),
        int(fields["unit"]),
        int(fields["service_number"]),
    )


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], Outcome("unmatched", None, None)),
        ([_pair(1, 7, 0.3)], Outcome("unmatched", None, 7)),
        ([_pair(1, 7, 0.995), _pair(1, 8, 0.2)], Outcome("matched", 7, 7, "matched")),
        ([_pair(1, 7, 0.995, unit=1, birth_date=-1)], Outcome("matched", 7, 7, "matched")),
        ([_pair(1, 7, 0.995, birth_date=0)], Outcome("review", None, 7, "unconfirmed")),
        ([_pair(1, 7, 0.995, name_weight=-3.0)], Outcome("review", None, 7, "unconfirmed")),
        ([_pair(1, 7, 0.9)], Outcome("review", None, 7, "review")),
        ([_pair(1, 8, 0.991), _pair(1, 7, 0.999)], Outcome("conflict", None, 7, "namesakes")),
    ],
    ids=[
        "no pair",
        "unlikely",
        "likely, named and dated",
        "likely, named and in the unit",
        "a name alone",
        "a date alone",
        "below the automatic threshold",
        "two likely people",
    ],
)
def test_our_rules_on_splinks_pairs(pairs: list[Pair], expected: Outcome) -> None:
    assert decide([1], pairs) == [expected]


@pytest.mark.parametrize("list_side", ["l", "r"])
def test_a_prediction_row_is_read_whichever_side_the_list_is_on(list_side: str) -> None:
    registry_side = "r" if list_side == "l" else "l"
    record = {
        f"source_dataset_{list_side}": "release_list",
        f"source_dataset_{registry_side}": "registry",
        f"unique_id_{list_side}": 12,
        f"unique_id_{registry_side}": 40321,
        "match_probability": 0.997,
        "bf_family_name": 64.0,
        "bf_given_name": 8.0,
        "bf_patronymic": 0.5,
        "gamma_birth_date": 5,
        "gamma_military_unit": -1,
        "gamma_service_number": 0,
    }

    assert read_pair(record) == Pair(12, 40321, 0.997, 8.0, 5, -1, 0)


def test_one_person_never_gets_two_lines_automatically() -> None:
    pairs = [_pair(1, 7, 0.999), _pair(2, 7, 0.998), _pair(3, 9, 0.999)]

    assert decide([1, 2, 3], pairs) == [
        Outcome("conflict", None, 7, "duplicate"),
        Outcome("conflict", None, 7, "duplicate"),
        Outcome("matched", 9, 9, "matched"),
    ]


def test_the_peer_reads_names_without_our_engine() -> None:
    assert words("ШЕВЧЕНКО Іван-Петро") == ["shevchenko", "ivanpetro"]
    assert words("Sevcenko Ivan") == words("Ševčenko  Ivan")
    assert name_keys(["shevchenko", "ivan", "petrovych"]) == "ivapet ivashe petshe"


def test_the_peer_tables_leave_a_rows_word_order_open() -> None:
    person = registry_rows([IVAN])[0]
    row = list_rows([Entry(4, "Іван Шевченко", military_unit="А1234")])[0]

    assert person.keys() == row.keys()
    assert (person["family_name"], person["word_1"]) == ("shevchenko", None)
    assert (row["family_name"], row["word_1"], row["word_2"], row["word_3"]) == (
        None,
        "ivan",
        "shevchenko",
        None,
    )
    assert row["row_words"] == 2
    assert row["name_keys"] == "ivashe"
    assert (row["birth_date"], row["military_unit"], row["service_number"]) == (
        None,
        IVAN.military_unit,
        None,
    )


@pytest.mark.slow
def test_splink_trained_on_a_small_registry_matches_under_our_rules() -> None:
    from bench.peer import link

    people = registry(300, seed=5)
    rows = release_list(people, 60, 6)

    pairs, _ = link(people, [r.entry for r in rows])
    result = figures(decide([r.entry.line for r in rows], pairs), [r.truth for r in rows])

    assert result.false_auto == 0
    assert result.auto_correct > 20
