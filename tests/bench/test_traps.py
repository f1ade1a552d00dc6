"""The trap list: strangers who share all but one name part with a registry person."""

from __future__ import annotations

from collections import Counter

from bench.population import registry
from bench.profiles import DATED
from bench.score import Outcome
from bench.systems import as_person
from bench.traps import KINDS, tally, trap_list
from captives.matching import RegistryIndex, reconcile


def test_each_trap_is_a_stranger_who_shares_all_but_one_name_part() -> None:
    people = registry(3000, 7, DATED)
    listed = trap_list(people, 90, 7)

    assert Counter(kind for _, kind in listed) == dict.fromkeys(KINDS, 30)
    assert all(row.truth is None for row, _ in listed)
    assert not any(row.entry.service_number for row, _ in listed)  # nobody's papers
    for row, kind in listed:
        if kind == "another father":
            assert "P" in row.order  # written, or it would be his own row
    assert trap_list(people, 90, 7) == listed


def test_the_engine_matches_none_of_them_automatically() -> None:
    people = registry(3000, 8, DATED)
    listed = trap_list(people, 120, 8)
    index = RegistryIndex([as_person(p) for p in people])

    decisions = reconcile([row.entry for row, _ in listed], index)

    assert [d for d in decisions if d.outcome == "matched"] == []
    assert {d.outcome for d in decisions} <= {"review", "conflict", "unmatched"}


def test_outcomes_are_tallied_by_kind_and_in_all() -> None:
    outcomes = [
        Outcome("matched", 1, 1),
        Outcome("review", None, 2),
        Outcome("unmatched", None, None),
    ]

    counts = tally(outcomes, ["twin", "twin", "another father"])

    assert counts["twin"] == Counter(matched=1, review=1)
    assert counts["another father"] == Counter(unmatched=1)
    assert counts["all"] == Counter(matched=1, review=1, unmatched=1)
