"""A list decided by several processes is decided as by one, its duplicate claims settled
across all of them."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

from captives.matching import Decision, Entry, Outcome, Person, RegistryIndex, engine, reconcile
from captives.matching.engine import SPAN_ROWS
from tests.matching.conftest import PEOPLE


def crowd_rows(indexed: list[Person], count: int, first_line: int) -> list[Entry]:
    """Rows for people of the crowd, every third without its date (a review or a conflict)."""
    crowd = [p for p in indexed if p.id >= 1000][:count]
    return [
        Entry(
            first_line + n,
            f"{p.family_name} {p.given_name} {p.patronymic}",
            birth_date=p.birth_date if n % 3 else None,
        )
        for n, p in enumerate(crowd)
    ]


@pytest.fixture(scope="module")
def listed(indexed: list[Person]) -> list[Entry]:
    """Three spans' worth of rows; PEOPLE[3] on the first line and again in the last span."""
    born = PEOPLE[3].birth_date
    return [
        Entry(1, "Гнатюк Дмитро Юрійович", birth_date=born),
        *crowd_rows(indexed, 2 * SPAN_ROWS + 10, first_line=2),
        Entry(500, "Hnatiuk Dmytro Yuriiovych", birth_date=born),
    ]


def test_processes_decide_a_list_as_one_process_does(
    index: RegistryIndex, listed: list[Entry]
) -> None:
    alone = reconcile(listed, index)

    assert reconcile(listed, index, processes=2) == alone
    assert reconcile(listed, index, processes=3) == alone
    assert {d.outcome for d in alone} >= {Outcome.MATCHED, Outcome.REVIEW, Outcome.CONFLICT}


def test_a_person_claimed_in_two_processes_spans_is_matched_once(
    index: RegistryIndex, listed: list[Entry]
) -> None:
    decisions = reconcile(listed, index, processes=2)

    first, repeat = decisions[0], decisions[-1]
    assert (first.outcome, first.person_id) == (Outcome.MATCHED, 3)
    assert (repeat.outcome, repeat.person_id, repeat.reason) == (
        Outcome.CONFLICT,
        None,
        "duplicate",
    )
    assert repeat.explanation.startswith("Conflict: line 500 and line(s) 1 of this list")


@pytest.fixture
def saying_where(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each decision's explanation ends with the id of the process that decided it."""
    real = engine.decide

    def decide_saying_where(entry: Entry, *args: object) -> Decision:
        return replace(real(entry, *args), explanation=str(os.getpid()))  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "decide", decide_saying_where)


@pytest.mark.usefixtures("saying_where")
def test_the_rows_are_decided_in_other_processes(index: RegistryIndex, listed: list[Entry]) -> None:
    where = {d.explanation.split()[-1] for d in reconcile(listed, index, processes=2)}
    alone = {d.explanation.split()[-1] for d in reconcile(listed, index, processes=1)}

    assert str(os.getpid()) not in where
    assert 1 <= len(where) <= 2
    assert alone == {str(os.getpid())}


@pytest.mark.usefixtures("saying_where")
def test_a_short_list_is_not_worth_a_fork(index: RegistryIndex, listed: list[Entry]) -> None:
    short = reconcile(listed[:SPAN_ROWS], index, processes=2)

    assert {d.explanation for d in short} == {str(os.getpid())}
