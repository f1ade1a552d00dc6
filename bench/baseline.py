"""The naive baseline: unidecode both sides, rapidfuzz's token_sort_ratio, the date as tiebreak."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from unidecode import unidecode

from bench.population import Someone
from captives.matching import Entry

AUTO_RATIO = 90
REVIEW_RATIO = 75


@dataclass(frozen=True)
class NaiveDecision:
    outcome: str
    person_id: int | None
    best_id: int | None


class Baseline:
    def __init__(self, registry: Sequence[Someone]) -> None:
        self.people = list(registry)
        self.choices = [
            unidecode(f"{p.family_name} {p.given_name} {p.patronymic}").lower() for p in registry
        ]

    def decide(self, entry: Entry) -> NaiveDecision:
        query = unidecode(entry.full_name).lower()
        found = process.extract(query, self.choices, scorer=fuzz.token_sort_ratio, limit=5)
        if not found:
            return NaiveDecision("unmatched", None, None)
        best_ratio = found[0][1]
        tied = [self.people[i] for _, ratio, i in found if ratio == best_ratio]
        dated = [p for p in tied if entry.birth_date and p.birth_date == entry.birth_date]
        best = dated[0] if dated else tied[0]
        if best_ratio >= AUTO_RATIO and (len(tied) == 1 or len(dated) == 1):
            return NaiveDecision("matched", best.id, best.id)
        if best_ratio >= REVIEW_RATIO:
            return NaiveDecision("review", None, best.id)
        return NaiveDecision("unmatched", None, best.id)
