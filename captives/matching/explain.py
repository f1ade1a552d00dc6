"""Decisions in words a reviewer understands: what agreed, how, and why this outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from captives.matching.index import RegistryIndex
from captives.matching.model import shown
from captives.matching.records import CONFLICT_RATIO, Candidate, Entry, FieldAgreement, Outcome
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
    "exact": "exact",
    "transliterated": "transliterated",
    "form": "Russian form of the same name",
    "variant": "spelling variant (diacritics or glides lost)",
    "typo": "one typo",
    "similar": "similar spelling",
    "different": "differs",
    "lost": "fits, with letters the file lost",
    "swapped": "day and month swapped",
    "year": "year off by one",
    "digit": "one digit differs",
}


NAME_FIELDS = frozenset({"family", "given", "patronymic"})
# How much a field's agreement weighed, from its weight in bits (log2 of the likelihood ratio):
# the words a reviewer reads instead of the number. 6 bits: the agreement is 64 times likelier
# for the same person than for two people; 3 bits: 8 times; half a bit: hardly a difference.
STRENGTHS = (
    (6.0, "strong_for"),
    (3.0, "moderate_for"),
    (0.5, "weak_for"),
    (-0.5, "neutral"),
    (-3.0, "weak_against"),
    (-6.0, "moderate_against"),
)


def strength(weight: float) -> str:
    """A field's weight as a code an interface says in words: strong_for … strong_against."""
    return next((code for floor, code in STRENGTHS if weight >= floor), "strong_against")


def level_of(agreement: FieldAgreement) -> str:
    """The agreement's level, a name that agrees told apart as "exact" or "transliterated"
    (written in another script or transliteration)."""
    if agreement.level == "same" and agreement.field in NAME_FIELDS and " ~ " in agreement.detail:
        written, registered = agreement.detail.split(" ~ ", 1)
        return "exact" if written.casefold() == registered.casefold() else "transliterated"
    return agreement.level


def describe(agreement: FieldAgreement, *, values: bool = True) -> str:
    """One field's agreement in words; without ``values``, how it compared and what it weighed,
    quoting nothing from the registry."""
    words = LEVEL_WORDS[agreement.level]
    if not values:
        return f"{FIELD_NAMES[agreement.field]} {words} ({agreement.weight:+.1f})"
    words = LEVEL_WORDS.get(level_of(agreement), words)
    return f"{FIELD_NAMES[agreement.field]} {words} ({agreement.detail}, {agreement.weight:+.1f})"


def _evidence(candidate: Candidate, values: bool) -> str:
    return "; ".join(describe(a, values=values) for a in candidate.agreements)


def _summary(candidate: Candidate, label: str) -> str:
    return f"{label}: {candidate.score:.1f} bits, P={candidate.probability:.3f}"


REASONS = {
    "no_candidate": "Unmatched: nobody in the registry has a surname spelled like this one, or a "
    "letter away, together with its given name, patronymic or year of birth.",
    "matched": "Matched with",
    "contradicted": "Unmatched: the closest registry person's date of birth contradicts the "
    "list's (a namesake).",
    "other_name": "Unmatched: the closest registry person shares the row's date of birth, unit "
    "or service number, but bears another surname or father's name, not a misspelling of the "
    "list's: however much else agrees, someone else.",
    "unlikely": "Unmatched: someone we do not hold (a stranger, or a namesake of someone we "
    "do) fits the row better than anyone in the registry.",
    "review": "Review: plausible but not certain.",
    "other_given": "Review: a date of birth, unit or service number agrees, but the given name "
    "is another, not a misspelling of the list's: a brother or sister (twins share all the "
    "rest) or a clerk's slip. A person decides.",
    "name_only": "Review: only the name can be compared: the row gives no date of birth, unit or "
    "service number, and a name alone never decides (someone we do not hold may bear it).",
    "unconfirmed": "Review: the name fits, but nothing else the row gives confirms it: the "
    "registry lacks the row's date of birth, unit or service number, or they differ.",
    "final": "Conflict: {label} is already recorded as returned or dead.",
    "namesakes": "Conflict: namesakes fit about equally and the row gives no date of birth, "
    "unit or service number to tell them apart.",
    "equal": "Conflict: {count} registry people fit about equally.",
    "duplicate": "Conflict: another line of this list claims the same person.",
}


# Levels at which two spellings are one name: the name's owner and the row's person are
# namesakes, whatever else differs.
NAMESAKE_LEVELS = frozenset({"same", "form", "variant"})


def reason_of(
    outcome: Outcome,
    candidates: Sequence[Candidate],
    facts: EntryFacts,
    index: RegistryIndex,
    *,
    unlikely: bool = False,
) -> str:
    """Why the engine decided as it did, as a code the interface can say in any language.

    An unmatched row is "contradicted" when the closest person bears the row's name and was
    born on another day: a namesake. When the name itself differs (Зінченко Олег for Зайченко
    Аркадій), that person is only the closest, and their date of birth is no news; unless
    the date, unit or number agrees and only the surname or father's name is another
    ("other_name"): a stranger who shares the rest by chance. ``unlikely``: someone we do not
    hold is likelier than anyone in the registry, which is then the reason, whatever else.
    """
    if not candidates:
        return "no_candidate"
    best = candidates[0]
    if outcome is Outcome.MATCHED:
        return "matched"
    if outcome is Outcome.UNMATCHED:
        if best.level("birth_date") == "different" and _namesake(best):
            return "contradicted"
        named_otherwise = best.confirmed and best.named_otherwise("family", "patronymic")
        return "other_name" if named_otherwise and not unlikely else "unlikely"
    if outcome is Outcome.REVIEW:
        if not facts.has_discriminator:
            return "name_only"
        if best.confirmed and best.named_otherwise("given"):
            return "other_given"
        return "review" if best.confirmed else "unconfirmed"
    if index.is_final(best.person_id):
        return "final"
    return "equal" if facts.has_discriminator else "namesakes"


def _namesake(candidate: Candidate) -> bool:
    names = [a for a in candidate.agreements if a.field in ("family", "given", "patronymic")]
    return len(names) >= 2 and all(a.level in NAMESAKE_LEVELS for a in names)


def explain(
    reason: str, candidates: Sequence[Candidate], entry: Entry | None = None, *, values: bool = True
) -> str:
    """The decision in English words, field by field (the interface translates ``reason``).

    Without ``values`` it quotes nothing from the registry (names, dates of birth, units, service
    numbers, labels): candidates are "Candidate 1", "Candidate 2"…, each field says only how it
    compared and what it weighed, and what the registry lacks is not told.
    """
    unread = _unreadable_date(entry)
    if not candidates:
        return REASONS[reason] + unread
    labels = [c.label if values else f"Candidate {n}" for n, c in enumerate(candidates, start=1)]
    best, rest = candidates[0], candidates[1:]
    summaries = "; ".join(_summary(c, label) for c, label in zip(rest, labels[1:], strict=True))
    others = f" Other candidates: {summaries}." if rest else ""
    gap = f" Next candidate {best.score - rest[0].score:.1f} bits lower." if rest else ""
    evidence = f"{_summary(best, labels[0])}. {_evidence(best, values)}."
    if reason == "matched":
        return f"Matched with {evidence}{gap}"
    headline = REASONS[reason].format(label=labels[0], count=alike(candidates))
    lacking = _lacking(entry, best) if values and entry and reason == "unconfirmed" else ""
    return f"{headline}{unread}{lacking} {evidence}{others}"


def alike(candidates: Sequence[Candidate]) -> int:
    """How many candidates fit about as well as the best (itself included)."""
    if not candidates:
        return 0
    best = candidates[0]
    return sum(c.probability * CONFLICT_RATIO > best.probability for c in candidates)


def unreadable_date(entry: Entry | None) -> str:
    """The date of birth the row wrote but that is no date (31.02.1997), left out; or ""."""
    if entry is None or entry.birth_date or not entry.birth_date_text:
        return ""
    return entry.birth_date_text[:40]


def _unreadable_date(entry: Entry | None) -> str:
    """A date of birth written but not readable as one (31.02.1997) is left out: say so, or the
    reviewer reads "the row gives no date of birth" beside a row that shows one."""
    written = unreadable_date(entry)
    return f" The row's date of birth “{written}” is no date and was left out." if written else ""


def lacking(entry: Entry, best: Candidate) -> tuple[str, ...]:
    """The identifying fields the row gives that the registry holds nothing to compare with,
    for this person."""
    compared = {a.field for a in best.agreements}
    given = {
        "birth_date": entry.birth_date,
        "military_unit": entry.military_unit,
        "service_number": entry.service_number,
    }
    return tuple(field for field, value in given.items() if value and field not in compared)


def _lacking(entry: Entry, best: Candidate) -> str:
    """What the row gives that the registry holds nothing to compare with, for this person."""
    given = {
        "birth_date": f"date of birth {shown(entry.birth_date)}" if entry.birth_date else "",
        "military_unit": f"unit {entry.military_unit}",
        "service_number": f"service number {entry.service_number}",
    }
    missing = [given[field] for field in lacking(entry, best)]
    if not missing:
        return ""
    missing_words = ", ".join(missing)
    return f" The registry has nothing for {best.label} to compare with the row's {missing_words}."


@dataclass(frozen=True)
class Evidence:
    """One field of a candidate as a reviewer reads it: how it compared, how much that weighed
    (``strength``), and the two values compared ("" when they may not be quoted)."""

    field: str
    level: str
    strength: str
    detail: str = ""


@dataclass(frozen=True)
class Weighed:
    """A candidate as explained: its label ("" when it may not be quoted), its probability."""

    label: str
    probability: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Account:
    """A decision told as codes and values, for an interface to say in its reader's language:
    the reason, how many fit about equally, the date of birth left out, what the registry
    lacks to compare with, and each candidate's evidence. ``explain`` says it in English."""

    reason: str
    alike: int
    unreadable_date: str
    lacking: tuple[str, ...]
    candidates: tuple[Weighed, ...]


def account(
    reason: str, candidates: Sequence[Candidate], entry: Entry | None = None, *, values: bool = True
) -> Account:
    """The decision as ``explain`` tells it, as an ``Account``; without ``values`` it quotes
    nothing from the registry (no labels, no values compared, nothing of what it lacks)."""
    best = candidates[0] if candidates else None
    missing = lacking(entry, best) if values and entry and best and reason == "unconfirmed" else ()
    weighed = tuple(
        Weighed(
            label=c.label if values else "",
            probability=c.probability,
            evidence=tuple(
                Evidence(
                    field=a.field,
                    level=level_of(a) if values else a.level,
                    strength=strength(a.weight),
                    detail=a.detail if values else "",
                )
                for a in c.agreements
            ),
        )
        for c in candidates
    )
    return Account(reason, alike(candidates), unreadable_date(entry), missing, weighed)
