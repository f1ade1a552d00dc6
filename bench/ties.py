"""The found recall no engine can pass on a list: rows whose person ties with namesakes.

A row whose person shares the name as written (the patronymic too, when the row gives one)
with other people of the registry, and agrees with them alike on every field the row gives
(a date of birth, a unit, a service number: each the same, near, different or unknown to the
registry), puts those k people before a reviewer in an order nothing on the row decides: the
first is the right one once in k, on average. A value the row leaves out is no evidence about
whom it names, as in the engine, so it ties nobody apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bench.lists import ListRow
from bench.population import Someone
from bench.score import Outcome
from captives.matching.model import normalise_identifier


@dataclass(frozen=True)
class Ties:
    present: int  # present rows
    tied: int  # of them, rows whose person ties with namesakes
    expected: float  # rows of those whose first candidate can be expected to be right
    found: int  # rows of those whose first candidate was right

    @property
    def ceiling(self) -> float:
        """The found recall to expect at best: every row found but the tied ones' misses."""
        return (self.present - self.tied + self.expected) / self.present if self.present else 1.0


def date_agreement(written: date | None, known: date | None) -> str:
    if written is None:
        return "not given"
    if known is None:
        return "unknown"
    if written == known:
        return "same"
    if (written.month, written.day) == (known.month, known.day) and abs(
        written.year - known.year
    ) == 1:
        return "a year off"
    if (written.day, written.month, written.year) == (known.month, known.day, known.year):
        return "day and month swapped"
    return "different"


def agreement(written: str, known: str) -> str:
    if not written:
        return "not given"
    if not known:
        return "unknown"
    return "same" if normalise_identifier(written) == normalise_identifier(known) else "different"


def evidence(row: ListRow, someone: Someone) -> tuple[str, str, str]:
    entry = row.entry
    return (
        date_agreement(entry.birth_date, someone.birth_date),
        agreement(entry.military_unit, someone.military_unit),
        agreement(entry.service_number, someone.service_number),
    )


def ties(people: Sequence[Someone], rows: Sequence[ListRow], outcomes: Sequence[Outcome]) -> Ties:
    """How many present rows tie their person with namesakes, and how many of those the
    first candidate can be expected to find (one in k) and did find."""
    bearers: defaultdict[tuple[str, ...], list[Someone]] = defaultdict(list)
    for someone in people:
        bearers[(someone.family_name, someone.given_name)].append(someone)
        bearers[(someone.family_name, someone.given_name, someone.patronymic)].append(someone)
    by_id = {someone.id: someone for someone in people}
    present = tied = found = 0
    expected = 0.0
    for row, outcome in zip(rows, outcomes, strict=True):
        if row.truth is None:
            continue
        present += 1
        person = by_id[row.truth]
        name: tuple[str, ...] = (person.family_name, person.given_name)
        if "P" in row.order:
            name = (*name, person.patronymic)
        seen = evidence(row, person)
        alike = sum(evidence(row, other) == seen for other in bearers[name])
        if alike > 1:
            tied += 1
            expected += 1 / alike
            found += outcome.best_id == row.truth and outcome.outcome != "unmatched"
    return Ties(present=present, tied=tied, expected=expected, found=found)
