"""Scoring the ``reconcile`` command's CSV against the list's known truth."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

AUTO, REVIEW, CONFLICT, UNMATCHED = "matched", "review", "conflict", "unmatched"


@dataclass(frozen=True)
class Expected:
    """What a row should find: a registry external id, or "" for someone absent."""

    line: int
    truth: str
    identifying: bool = True


@dataclass(frozen=True)
class Outcome:
    """One line of the command's output: its outcome and best candidate (may be "")."""

    outcome: str
    candidate: str
    explanation: str = ""


@dataclass(frozen=True)
class Figures:
    rows: int
    present: int
    absent: int
    auto: int
    auto_right: int
    false_auto: int
    found: int
    absent_unmatched: int
    review_conflict: int
    identifying: int
    missing: int  # rows the command wrote no line for

    @property
    def precision(self) -> float:
        return self.auto_right / self.auto if self.auto else 1.0

    @property
    def coverage(self) -> float:
        return self.auto_right / self.present if self.present else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.present if self.present else 1.0

    @property
    def specificity(self) -> float:
        return self.absent_unmatched / self.absent if self.absent else 1.0

    @property
    def ceiling(self) -> float:
        return self.identifying / self.present if self.present else 1.0

    def per_1000(self, count: int) -> float:
        return count * 1000 / self.rows if self.rows else 0.0


def figures(expected: Sequence[Expected], results: Mapping[int, Outcome]) -> Figures:
    """Count each figure; a row missing from the results counts as unmatched."""
    counts = dict.fromkeys(
        ("present", "auto", "auto_right", "false_auto", "found", "absent_unmatched", "rc", "ident"),
        0,
    )
    missing = 0
    for row in expected:
        result = results.get(row.line)
        if result is None:
            missing += 1
            result = Outcome(UNMATCHED, "")
        right = bool(row.truth) and result.candidate == row.truth
        counts["present"] += bool(row.truth)
        counts["ident"] += bool(row.truth) and row.identifying
        counts["auto"] += result.outcome == AUTO
        counts["auto_right"] += result.outcome == AUTO and right
        counts["false_auto"] += result.outcome == AUTO and not right
        counts["found"] += right and result.outcome in (AUTO, REVIEW, CONFLICT)
        counts["absent_unmatched"] += not row.truth and result.outcome == UNMATCHED
        counts["rc"] += result.outcome in (REVIEW, CONFLICT)
    return Figures(
        rows=len(expected),
        present=counts["present"],
        absent=len(expected) - counts["present"],
        auto=counts["auto"],
        auto_right=counts["auto_right"],
        false_auto=counts["false_auto"],
        found=counts["found"],
        absent_unmatched=counts["absent_unmatched"],
        review_conflict=counts["rc"],
        identifying=counts["ident"],
        missing=missing,
    )


def read_results(path: Path) -> dict[int, Outcome]:
    """The ``reconcile --out`` CSV: line, outcome, captive_external_id, score, explanation."""
    with path.open(encoding="utf-8", newline="") as source:
        return {
            int(row["line"]): Outcome(
                row["outcome"], row["captive_external_id"], row["explanation"]
            )
            for row in csv.DictReader(source)
        }


@dataclass(frozen=True)
class Floor:
    """What the rules alone leave to a person on one list, counted from the truth: present
    rows with nothing the registry can compare, repeated lines, absent namesakes with nothing
    to tell them from the registry's bearer of the name (and, apart, absent rows that leave out
    the patronymic and so are namesakes as written); ``listed`` and ``absent`` rows in all."""

    present: int
    repeats: int
    namesakes: int
    as_written: int
    listed: int
    absent: int

    @property
    def left(self) -> int:
        return self.present + self.repeats + self.namesakes

    @property
    def coverage(self) -> float:
        """The best auto coverage an engine obeying the rules can reach."""
        return (self.listed - self.present - self.repeats) / self.listed if self.listed else 1.0

    @property
    def unmatched(self) -> float:
        """The most absent rows it can leave unmatched."""
        return (self.absent - self.namesakes) / self.absent if self.absent else 1.0

    @property
    def unmatched_as_written(self) -> float:
        written = self.absent - self.namesakes - self.as_written
        return written / self.absent if self.absent else 1.0

    def describe(self) -> str:
        return (
            f"  left to a person by the rules alone: {self.left} ({self.present} present rows "
            f"with nothing comparable, {self.repeats} repeated lines, {self.namesakes} absent "
            f"namesakes with nothing to tell them apart); so at most {self.coverage:.3f} auto "
            f"coverage and {self.unmatched:.3f} absent left unmatched\n"
            f"  absent rows without the patronymic, namesakes as written of someone with "
            f"nothing to compare: {self.as_written} more; {self.unmatched_as_written:.3f} "
            f"absent left unmatched counting them"
        )


# A share compared with a target worked out from another share: equal is met, whatever the
# last bit of a float says (0.98 - 0.01 against 97 / 100).
EPSILON = 1e-9


def table(
    f: Figures, seconds: float, single: Figures | None = None, floor: Floor | None = None
) -> list[str]:
    """The figures beside their targets, one line each: those of issue "5 of 6", set against
    what the rules allow on this list (``floor``); without it, the fixed ones they replaced."""

    def ok(good: bool) -> str:
        return "ok" if good else "MISSED"

    fa, rc = f.per_1000(f.false_auto), f.per_1000(f.review_conflict)
    if floor is None:
        coverage, absent, review, recall = 0.93, 0.96, 60.0, 0.975
    else:
        coverage, absent = floor.coverage - 0.005, floor.unmatched - 0.01
        review, recall = f.per_1000(floor.left + 3), 0.985
    lines = [
        ("auto precision", f"{f.precision:.4f}", f"({f.auto_right}/{f.auto})", "", ""),
        ("false automatic matches", f"{fa:.1f} /1000", f"({f.false_auto})", "<= 1 /1000",
         ok(fa <= 1)),
        ("auto coverage", f"{f.coverage:.4f}", f"({f.auto_right}/{f.present})",
         f">= {coverage:.4f}", ok(f.coverage >= coverage - EPSILON)),
        ("found recall", f"{f.recall:.4f}", f"({f.found}/{f.present})", f">= {recall:.3f}",
         ok(f.recall >= recall)),
        ("absent left unmatched", f"{f.specificity:.4f}", f"({f.absent_unmatched}/{f.absent})",
         f">= {absent:.4f}", ok(f.specificity >= absent - EPSILON)),
        ("review + conflict", f"{rc:.1f} /1000", f"({f.review_conflict})",
         f"<= {review:.0f} /1000", ok(rc <= review)),
        ("ceiling: present rows with a date, unit or number", f"{f.ceiling:.4f}",
         f"({f.identifying}/{f.present})", "", ""),
        ("reconcile command, seconds", f"{seconds:.1f}", "", "", ""),
    ]  # fmt: skip
    if single is not None:
        lines.append(
            ("auto coverage, people listed once (repeats set aside)", f"{single.coverage:.4f}",
             f"({single.auto_right}/{single.present})", "", "")
        )  # fmt: skip
    if f.missing:
        lines.append(("rows missing from the output", str(f.missing), "", "0", "MISSED"))
    return [f"  {a:<50} {b:>12} {c:<14} {d:<12} {e}".rstrip() for a, b, c, d, e in lines]
