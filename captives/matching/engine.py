"""Reconciles a list against the registry: candidates, scores, a decision and its reasons.

Steps, for each entry:
1. Read the name every plausible way (order unknown, patronymic often missing).
2. Gather candidates from the index's blocks; drop people a reviewer rejected for this entry.
3. Score each candidate (Fellegi–Sunter, in bits) and keep the best few.
4. Decide: *matched* only when the best is very likely and far ahead of the next, the entry can
   tell namesakes apart, and the person is not already home or dead; *conflict* when several fit
   about equally or the person is final; *review* when the best is plausible; else *unmatched*.
Then, across the list: two entries claiming one person are never both matched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from captives.matching.explain import explain
from captives.matching.index import RegistryIndex
from captives.matching.keys import fine_key, tokens
from captives.matching.model import normalise_identifier
from captives.matching.readings import Reading, reading_of_parts, readings_of
from captives.matching.records import (
    Candidate,
    Decision,
    Entry,
    FieldAgreement,
    Memory,
    Outcome,
)
from captives.matching.scoring import EntryFacts, score

AUTO_BITS = 9.0  # P(same person) ≥ 0.998
AUTO_MARGIN_BITS = 8.0  # the best is 256 times likelier than the next
REVIEW_BITS = -5.0  # P ≥ 0.03: worth a person's look
CONFLICT_GAP_BITS = 3.0  # within 8×: the two fit about equally
KEEP_CANDIDATES = 5


def fingerprint(entry: Entry) -> str:
    """Identifies an entry's person across lists, for remembering reviewers' rejections."""
    name = entry.full_name or " ".join((entry.family_name, entry.given_name, entry.patronymic))
    keys = sorted(fine_key(t) for t in tokens(name))
    born = entry.birth_date.isoformat() if entry.birth_date else ""
    return f"{' '.join(keys)}|{born}"


def facts_of(entry: Entry, index: RegistryIndex) -> EntryFacts:
    readings: tuple[Reading, ...]
    if entry.family_name:
        readings = (
            reading_of_parts(entry.family_name, entry.given_name, entry.patronymic, index.book),
        )
    else:
        readings = readings_of(entry.full_name, index.book)
    return EntryFacts(
        readings=readings,
        birth_date=entry.birth_date,
        unit=normalise_identifier(entry.military_unit),
        service_number=normalise_identifier(entry.service_number),
    )


def rank(entry: Entry, index: RegistryIndex, memory: Memory | None = None) -> tuple[Candidate, ...]:
    """The best candidates for one entry, best first (ties broken by id: deterministic).

    The precise blocks come first; the broad ones are searched only when they found nobody
    convincing, which keeps a common surname from costing thousands of comparisons per row.
    """
    facts = facts_of(entry, index)
    if not facts.readings:
        return ()
    mark = fingerprint(entry)
    rejected = {pid for fp, pid in memory.rejected if fp == mark} if memory else set()
    memo: dict[object, FieldAgreement] = {}
    scored: dict[int, Candidate] = {}
    for broad in (False, True):
        found = index.candidates(
            facts.readings, facts.birth_date, facts.service_number, broad=broad
        )
        for i in found:
            person_id = index.people[i].person.id
            if person_id not in scored and person_id not in rejected:
                scored[person_id] = score(facts, index.people[i], index, memo)
        if scored and max(c.score for c in scored.values()) >= AUTO_BITS:
            break
    ranked = sorted(scored.values(), key=lambda c: (-c.score, c.person_id))
    return tuple(ranked[:KEEP_CANDIDATES])


def decide(entry: Entry, index: RegistryIndex, memory: Memory | None = None) -> Decision:
    candidates = rank(entry, index, memory)
    facts = facts_of(entry, index)
    outcome = _outcome(candidates, facts.has_discriminator, index)
    matched = candidates[0].person_id if outcome is Outcome.MATCHED else None
    return Decision(
        line=entry.line,
        outcome=outcome,
        candidates=candidates,
        explanation=explain(outcome, candidates, facts, index),
        person_id=matched,
    )


def _outcome(candidates: Sequence[Candidate], discriminated: bool, index: RegistryIndex) -> Outcome:
    if not candidates or candidates[0].score < REVIEW_BITS:
        return Outcome.UNMATCHED
    best = candidates[0]
    runner_up = candidates[1].score if len(candidates) > 1 else float("-inf")
    if runner_up >= REVIEW_BITS and best.score - runner_up < CONFLICT_GAP_BITS:
        return Outcome.CONFLICT
    if index.is_final(best.person_id):
        return Outcome.CONFLICT
    if not discriminated and runner_up >= REVIEW_BITS:
        return Outcome.CONFLICT  # namesakes, and nothing in the row to tell them apart
    if best.score >= AUTO_BITS and best.score - runner_up >= AUTO_MARGIN_BITS:
        return Outcome.MATCHED
    return Outcome.REVIEW


def reconcile(
    entries: Sequence[Entry], index: RegistryIndex, memory: Memory | None = None
) -> list[Decision]:
    """Decide every entry of one list, then settle entries that claim the same person."""
    decisions = [decide(entry, index, memory) for entry in entries]
    return settle_duplicate_claims(decisions)


def settle_duplicate_claims(decisions: list[Decision]) -> list[Decision]:
    """Two lines naming one person: keep a match only if it is far ahead of every other claim."""
    claims: defaultdict[int, list[int]] = defaultdict(list)
    for position, decision in enumerate(decisions):
        if decision.outcome is not Outcome.UNMATCHED and decision.best:
            claims[decision.best.person_id].append(position)
    settled = list(decisions)
    for positions in claims.values():
        if len(positions) < 2:
            continue
        for position in positions:
            settled[position] = _demote_if_contested(decisions, position, positions)
    return settled


def _demote_if_contested(
    decisions: list[Decision], position: int, claimants: list[int]
) -> Decision:
    decision = decisions[position]
    best = decision.best
    if best is None:
        return decision
    others = [decisions[p] for p in claimants if p != position]
    far_ahead = all(
        o.best is not None and best.score - o.best.score >= AUTO_MARGIN_BITS for o in others
    )
    if decision.outcome is Outcome.MATCHED and far_ahead:
        return decision
    if decision.outcome is not Outcome.MATCHED and decision.outcome is not Outcome.REVIEW:
        return decision
    lines = ", ".join(str(o.line) for o in others)
    reason = (
        f"Conflict: line {decision.line} and line(s) {lines} of this list claim the same "
        f"person ({best.label}); a person decides which, if any, it is. "
    )
    return replace(
        decision,
        outcome=Outcome.CONFLICT,
        person_id=None,
        explanation=reason + decision.explanation,
    )


def search(entry: Entry, index: RegistryIndex, limit: int = 50) -> tuple[Candidate, ...]:
    """Registry search: the people best fitting a partial description, best first.

    Unlike reconciliation it accepts a surname alone, or only a date of birth, unit or service
    number, and returns more than a handful of candidates.
    """
    facts = facts_of(entry, index)
    found = index.by_identifiers(facts.birth_date, facts.unit, facts.service_number)
    for broad in (False, True):
        found |= index.candidates(
            facts.readings, facts.birth_date, facts.service_number, broad=broad
        )
    memo: dict[object, FieldAgreement] = {}
    scored = [score(facts, index.people[i], index, memo) for i in found]
    scored.sort(key=lambda c: (-c.score, c.person_id))
    return tuple(scored[:limit])
