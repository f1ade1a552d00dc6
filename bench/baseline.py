"""Two naive baselines with one rule: unidecode both sides, rapidfuzz's token_sort_ratio, the
date as tiebreak. ``Baseline`` scans the registry row by row (``process.extract``), as the
benchmark first wrote it; ``CdistBaseline`` is the same rule as a user's tool would run it, one
score matrix over the whole registry on every core (``process.cdist``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from unidecode import unidecode

from bench.population import Someone
from captives.matching import Entry

AUTO_RATIO = 90
REVIEW_RATIO = 75
CHUNK_ROWS = 64  # list rows scored at once: 64 x 100,000 float32 scores, 25 MB


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
        return _decided(entry, best_ratio, tied)


def sorted_tokens(name: str) -> str:
    """What token_sort_ratio compares: the words, transliterated, in alphabetical order."""
    return " ".join(sorted(unidecode(name).lower().split()))


class CdistBaseline:
    """The naive rule over the whole registry at once.

    1. Both sides: unidecode, lower case, words sorted (token_sort_ratio is plain ``ratio`` on
       sorted words, and ``cdist`` runs plain ``ratio`` on its SIMD path).
    2. ``process.cdist`` scores ``CHUNK_ROWS`` list rows against every registry person on every
       core (``workers=-1``), a chunk at a time to bound memory.
    3. Per row, the top candidates are every person at the best score (not only five).
    4. Automatic match at a score >= 90 when one person has it, or when exactly one of the tied
       people has the row's date of birth; review at >= 75, with that person (or the first tied)
       as the candidate; otherwise unmatched. A name alone decides here: that is the naive rule.
    """

    def __init__(self, registry: Sequence[Someone]) -> None:
        self.people = list(registry)
        self.choices = [
            sorted_tokens(f"{p.family_name} {p.given_name} {p.patronymic}") for p in registry
        ]

    def decide_all(self, entries: Sequence[Entry]) -> list[NaiveDecision]:
        decisions = []
        for start in range(0, len(entries), CHUNK_ROWS):
            chunk = entries[start : start + CHUNK_ROWS]
            scores = process.cdist(
                [sorted_tokens(e.full_name) for e in chunk],
                self.choices,
                scorer=fuzz.ratio,
                dtype=np.float32,
                workers=-1,
            )
            for entry, row in zip(chunk, scores, strict=True):
                best_ratio = float(row.max())
                tied = [self.people[int(i)] for i in np.flatnonzero(row == row.max())]
                decisions.append(_decided(entry, best_ratio, tied))
        return decisions


def _decided(entry: Entry, best_ratio: float, tied: Sequence[Someone]) -> NaiveDecision:
    dated = [p for p in tied if entry.birth_date and p.birth_date == entry.birth_date]
    best = dated[0] if dated else tied[0]
    if best_ratio >= AUTO_RATIO and (len(tied) == 1 or len(dated) == 1):
        return NaiveDecision("matched", best.id, best.id)
    if best_ratio >= REVIEW_RATIO:
        return NaiveDecision("review", None, best.id)
    return NaiveDecision("unmatched", None, best.id)
