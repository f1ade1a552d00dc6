"""The engine's decisions in the reader's language.

The engine (``captives.matching``, no Django) says why it decided in codes: a reason, each
field's level and its weight, which ``captives.matching.explain.account`` gathers. Here they
become sentences a reviewer or a caseworker reads in Ukrainian or English, with "strong
evidence" and "likelihood 97 %" where the engine counts bits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from captives.matching import Candidate, FieldAgreement
from captives.matching.explain import Account, Evidence, level_of, strength

FIELDS = {
    "family": gettext_lazy("family name"),
    "given": gettext_lazy("given name"),
    "patronymic": gettext_lazy("patronymic"),
    "birth_date": gettext_lazy("date of birth"),
    "military_unit": gettext_lazy("military unit"),
    "service_number": gettext_lazy("service number"),
}
LEVELS = {
    "same": gettext_lazy("agrees"),
    "exact": gettext_lazy("agrees exactly"),
    "transliterated": gettext_lazy("agrees, in another script or transliteration"),
    "form": gettext_lazy("Russian form of the same name"),
    "variant": gettext_lazy("spelling variant"),
    "typo": gettext_lazy("one typo"),
    "similar": gettext_lazy("similar spelling"),
    "different": gettext_lazy("differs"),
    "lost": gettext_lazy("fits, with letters the file lost"),
    "swapped": gettext_lazy("day and month swapped"),
    "year": gettext_lazy("year off by one"),
    "digit": gettext_lazy("one digit differs"),
}
STRENGTHS = {
    "strong_for": gettext_lazy("strong evidence for"),
    "moderate_for": gettext_lazy("moderate evidence for"),
    "weak_for": gettext_lazy("weak evidence for"),
    "neutral": gettext_lazy("hardly matters"),
    "weak_against": gettext_lazy("weak evidence against"),
    "moderate_against": gettext_lazy("moderate evidence against"),
    "strong_against": gettext_lazy("strong evidence against"),
}


def likelihood(probability: float) -> str:
    """ "likelihood 97 %": a probability as a reader takes it in (one decimal below 1 %)."""
    percent = probability * 100
    shown = number_format(percent, decimal_pos=1 if 0 < percent < 1 else 0)
    return _("likelihood %(percent)s %%") % {"percent": shown}


def evidence_text(evidence: Evidence) -> str:
    """ "family name: agrees, in another script (Petrenko ~ Петренко) — strong evidence for"."""
    field = FIELDS.get(evidence.field, evidence.field)
    level = LEVELS.get(evidence.level, evidence.level)
    detail = f" ({evidence.detail})" if evidence.detail else ""
    return f"{field}: {level}{detail} — {STRENGTHS.get(evidence.strength, evidence.strength)}"


def agreement_text(stored: FieldAgreement | Mapping[str, Any], *, values: bool = True) -> str:
    """One field's agreement, the engine's or as stored with a row or a suggestion, in words."""
    agreement = stored if isinstance(stored, FieldAgreement) else FieldAgreement(**stored)
    return evidence_text(
        Evidence(
            field=agreement.field,
            level=level_of(agreement) if values else agreement.level,
            strength=strength(agreement.weight),
            detail=agreement.detail if values else "",
        )
    )


@dataclass(frozen=True)
class ToldCandidate:
    name: str
    likelihood: str
    evidence: list[str]


@dataclass(frozen=True)
class Told:
    """An engine's decision told in the reader's language: notes, then each candidate."""

    notes: list[str]
    candidates: list[ToldCandidate]


def told(found: Account) -> Told:
    """The engine's account of a decision, in sentences of the active language."""
    notes = []
    if found.unreadable_date:
        notes.append(
            _("The date of birth “%(written)s” is no date and was left out of the comparison.")
            % {"written": found.unreadable_date}
        )
    if found.lacking:
        fields = ", ".join(str(FIELDS[field]) for field in found.lacking)
        notes.append(
            _(
                "The registry has nothing of the best candidate's to compare with the row's "
                "%(fields)s."
            )
            % {"fields": fields}
        )
    if found.reason in ("equal", "namesakes") and found.alike > 1:
        notes.append(
            ngettext(
                "%(n)s candidate fits about as well as the best.",
                "%(n)s candidates fit about as well as the best.",
                found.alike - 1,
            )
            % {"n": found.alike - 1}
        )
    notes += _gap(found.candidates)
    candidates = [
        ToldCandidate(
            name=each.label or _("Candidate %(n)s") % {"n": n},
            likelihood=likelihood(each.probability),
            evidence=[evidence_text(e) for e in each.evidence],
        )
        for n, each in enumerate(found.candidates, start=1)
    ]
    return Told(notes, candidates)


def _gap(candidates: Sequence[Any]) -> list[str]:
    """How much likelier the best candidate is than the next."""
    if len(candidates) < 2 or candidates[1].probability <= 0:
        return []
    times = candidates[0].probability / candidates[1].probability
    if times < 2:
        return [_("The next candidate fits about as well.")]
    n = round(times) if times < 1000 else 1000
    return [
        ngettext(
            "The next candidate is %(n)s time less likely.",
            "The next candidate is %(n)s times less likely.",
            n,
        )
        % {"n": f"{n}+" if times >= 1000 else n}
    ]


def stored_candidate(stored: Mapping[str, Any]) -> Candidate:
    """A candidate as ``exchanges.reconciliation.apply_decision`` stores it with a row, back as
    the engine's value (what a row stored before a key existed reads as nothing)."""
    return Candidate(
        person_id=stored["captive_id"],
        label=stored.get("label", ""),
        score=stored.get("score", 0.0),
        agreements=tuple(FieldAgreement(**a) for a in stored.get("agreements", ())),
        probability=stored.get("probability", 0.0),
    )
