"""What goes into the engine and what comes out: plain frozen values, no database."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Person:
    """A registry entry as the engine sees it. ``spellings`` are other full names seen for it."""

    id: int
    family_name: str
    given_name: str
    patronymic: str = ""
    birth_date: date | None = None
    military_unit: str = ""
    service_number: str = ""
    final: bool = False  # already returned or dead: never matched automatically
    spellings: tuple[str, ...] = ()
    label: str = ""  # what a reviewer reads for this person (the external id, say)
    # Keys stored when the person and each spelling were written (``stored``): used only when
    # still fresh, worked out again otherwise. Not part of
    # the person: neither compared nor shown.
    keys: str = field(default="", compare=False, repr=False)
    spelling_keys: tuple[Mapping[str, Any] | None, ...] = field(
        default=(), compare=False, repr=False
    )


@dataclass(frozen=True)
class Entry:
    """One row of a list as written. Separate name columns, when the file has them, are kept."""

    line: int
    full_name: str
    family_name: str = ""
    given_name: str = ""
    patronymic: str = ""
    birth_date: date | None = None
    birth_date_text: str = ""
    military_unit: str = ""
    service_number: str = ""


class Outcome(enum.StrEnum):
    MATCHED = "matched"
    REVIEW = "review"
    UNMATCHED = "unmatched"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class FieldAgreement:
    """How one field of the entry compared with the candidate's, and what it weighed."""

    field: str
    level: str
    weight: float
    detail: str = ""


# A name alone never decides: an absent person's namesake would be matched. One of these must
# agree (a date of birth, even with day and month swapped or the year off by one, counts).
IDENTIFYING = frozenset({"birth_date", "military_unit", "service_number"})
CONFIRMING_LEVELS = frozenset({"same", "swapped", "year"})
CONFLICT_RATIO = 8.0  # two candidates within a factor 8 fit about equally


@dataclass(frozen=True)
class Candidate:
    person_id: int
    label: str
    score: float  # match weight in bits, the prior of one person among N included
    agreements: tuple[FieldAgreement, ...]
    # P(the entry is this person), against every other candidate and against nobody we hold.
    probability: float = 0.0

    @property
    def confirmed(self) -> bool:
        """Something besides the name agrees: a date of birth, a unit or a service number."""
        return any(a.field in IDENTIFYING and a.level in CONFIRMING_LEVELS for a in self.agreements)

    def level(self, field: str) -> str:
        """How the field compared ("same", "typo", "different"…), or "" where one side lacks it."""
        return next((a.level for a in self.agreements if a.field == field), "")

    def named_otherwise(self, *parts: str) -> bool:
        """Whether any of these name parts is another name: no typo, form or variant of it."""
        return any(self.level(part) == "different" for part in parts)


@dataclass(frozen=True)
class Decision:
    line: int
    outcome: Outcome
    candidates: tuple[Candidate, ...]
    explanation: str
    person_id: int | None = None  # the match, for outcome MATCHED only
    reason: str = ""  # a code from explain.REASONS, for interfaces that speak other languages

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class Memory:
    """What reviewers decided before: (entry fingerprint, person id) pairs they rejected."""

    rejected: frozenset[tuple[str, int]] = field(default_factory=frozenset)
