"""Decisions in words a reviewer understands: what agreed, how, and why this outcome."""

from __future__ import annotations

from collections.abc import Sequence

from captives.matching.index import RegistryIndex
from captives.matching.records import Candidate, FieldAgreement, Outcome
from captives.matching.scoring import EntryFacts

FIELD_NAMES = {
    "family": "family name",
    "given": "given name",
    "patronymic": "patronymic",
    "birth_date": "date of birth",
    "military_unit": "military unit",
    "service_number": "service number",
}
LEVEL_WORDS = {
    "same": "agrees",
    "form": "Russian form of the same name",
    "variant": "spelling variant (diacritics or glides lost)",
    "typo": "one typo",
    "similar": "similar spelling",
    "different": "differs",
    "swapped": "day and month swapped",
    "year": "year off by one",
    "digit": "one digit differs",
}


def describe(agreement: FieldAgreement) -> str:
    words = LEVEL_WORDS[agreement.level]
    if agreement.level == "same" and agreement.field in ("family", "given", "patronymic"):
        written, registered = agreement.detail.split(" ~ ", 1)
        words = "exact" if written.casefold() == registered.casefold() else "transliterated"
    return f"{FIELD_NAMES[agreement.field]} {words} ({agreement.detail}, {agreement.weight:+.1f})"


def _evidence(candidate: Candidate) -> str:
    return "; ".join(describe(a) for a in candidate.agreements)


def _summary(candidate: Candidate) -> str:
    return f"{candidate.label}: {candidate.score:.1f} bits, P={candidate.probability:.3f}"


def explain(
    outcome: Outcome, candidates: Sequence[Candidate], facts: EntryFacts, index: RegistryIndex
) -> str:
    if not candidates:
        return "Unmatched: nobody in the registry shares a spelling of this surname."
    best, rest = candidates[0], candidates[1:]
    others = " Other candidates: " + "; ".join(_summary(c) for c in rest) + "." if rest else ""
    gap = f" Next candidate {best.score - rest[0].score:.1f} bits lower." if rest else ""
    evidence = f"{_summary(best)}. {_evidence(best)}."
    if outcome is Outcome.MATCHED:
        return f"Matched with {evidence}{gap}"
    if outcome is Outcome.UNMATCHED and any(
        a.field == "birth_date" and a.level == "different" for a in best.agreements
    ):
        return (
            "Unmatched: the closest registry person's date of birth contradicts the list's "
            f"(a namesake). {evidence}{others}"
        )
    if outcome is Outcome.UNMATCHED:
        return f"Unmatched: the closest registry person is too unlikely. {evidence}{others}"
    if outcome is Outcome.REVIEW:
        return f"Review: plausible but not certain. {evidence}{others}"
    return f"Conflict: {_conflict_reason(best, rest, facts, index)} {evidence}{others}"


def _conflict_reason(
    best: Candidate, rest: Sequence[Candidate], facts: EntryFacts, index: RegistryIndex
) -> str:
    if index.is_final(best.person_id):
        return f"{best.label} is already recorded as returned or dead."
    if not facts.has_discriminator:
        return (
            "namesakes fit about equally and the row gives no date of birth, unit or service "
            "number to tell them apart."
        )
    return f"{len(rest) + 1} registry people fit about equally."
