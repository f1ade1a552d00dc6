"""The figures the issue asks for, from decisions and the truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """One row's decision reduced to what scoring needs."""

    outcome: str  # matched, review, conflict or unmatched
    person_id: int | None  # the automatic match
    best_id: int | None  # the first candidate
    reason: str = ""  # the engine's reason code (explain.REASONS); none for the baseline


@dataclass(frozen=True)
class Figures:
    rows: int
    present: int
    absent: int
    auto: int
    auto_correct: int
    false_auto: int
    found: int
    absent_unmatched: int
    review_load: int

    @property
    def precision(self) -> float:
        return self.auto_correct / self.auto if self.auto else 1.0

    @property
    def coverage(self) -> float:
        return self.auto_correct / self.present if self.present else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.present if self.present else 0.0

    @property
    def specificity(self) -> float:
        return self.absent_unmatched / self.absent if self.absent else 1.0


def figures(decisions: Sequence[Outcome], truths: Sequence[int | None]) -> Figures:
    auto = [(d, t) for d, t in zip(decisions, truths, strict=True) if d.outcome == "matched"]
    present = [(d, t) for d, t in zip(decisions, truths, strict=True) if t is not None]
    absent = [d for d, t in zip(decisions, truths, strict=True) if t is None]
    found = sum(
        1
        for d, t in present
        if (d.outcome == "matched" and d.person_id == t)
        or (d.outcome in ("review", "conflict") and d.best_id == t)
    )
    return Figures(
        rows=len(decisions),
        present=len(present),
        absent=len(absent),
        auto=len(auto),
        auto_correct=sum(1 for d, t in auto if d.person_id == t),
        false_auto=sum(1 for d, t in auto if d.person_id != t),
        found=found,
        absent_unmatched=sum(1 for d in absent if d.outcome == "unmatched"),
        review_load=sum(1 for d in decisions if d.outcome in ("review", "conflict")),
    )


def left_to_people(outcomes: Sequence[Outcome]) -> str:
    """Review and conflict rows by the engine's reason: which rule put them before a person."""
    reasons = Counter(o.reason for o in outcomes if o.outcome in ("review", "conflict"))
    return "review + conflict by reason: " + ", ".join(f"{r} {n}" for r, n in reasons.most_common())
