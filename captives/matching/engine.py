"""Reconciles a list against the registry: candidates, scores, a decision and its reasons.

Steps, for each entry:
1. Read the name every plausible way (order unknown, patronymic often missing).
2. Gather candidates from the index's blocks; drop people a reviewer rejected for this entry.
3. Score each candidate (Fellegi–Sunter, in bits) and keep the best few.
4. Decide: *matched* only when the best is very likely and far ahead of the next, the entry can
   tell namesakes apart, and the person is not already home or dead; *conflict* when several fit
   about equally or the person is final; *review* when the best is plausible; else *unmatched*.
Then, across the list: lines claiming one person are never all matched; at most the strongest
claim keeps its match.
"""

from __future__ import annotations

import math
import multiprocessing
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from captives.matching.explain import explain, reason_of
from captives.matching.index import RegistryIndex
from captives.matching.keys import fine_key, tokens
from captives.matching.model import normalise_identifier
from captives.matching.readings import Reading, reading_of_parts, readings_of
from captives.matching.records import (
    CONFLICT_RATIO,
    Candidate,
    Decision,
    Entry,
    Memory,
    Outcome,
)
from captives.matching.scoring import EntryFacts, Weighed, weigh

# Most people on a release list are people we hold: nine in ten, in the lists seen so far.
PRESENT_SHARE = 0.9
ABSENT_BITS = -math.log2(PRESENT_SHARE / (1 - PRESENT_SHARE))
# Of the listed people we do not hold, this share bear the full name of someone we do: a name
# shared by thousands (Шевченко Олександр) or a namesake by chance. Such a person's row agrees
# with our namesake's name as well as our namesake's own row would, and on nothing else.
NAMESAKE_SHARE = 1 / 3
NAMESAKE_BITS = math.log2(NAMESAKE_SHARE)
AUTO_PROBABILITY = 0.99  # matched only when this sure, and an identifying field agrees
UNMATCHED_PROBABILITY = 0.5  # unmatched when "nobody we hold" is likelier than all candidates
PLAUSIBLE_PROBABILITY = 0.05  # a runner-up this likely makes namesakes a conflict
SEARCH_STAGES = (0, 1, 2)  # alike surnames, then one edit away, then broad (see the index)
SEARCH_BROADLY_BELOW = 0.0  # bits: search the next stage while nobody convincing is found
KEEP_CANDIDATES = 5
# A list is decided on several cores in spans of this many rows, handed out as each process
# is free (rows differ in their candidates tenfold); a shorter list is not worth a fork.
SPAN_ROWS = 50


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
    """The best candidates for one entry, best first (ties broken by id: deterministic)."""
    return _ranking(entry, facts_of(entry, index), index, memory)[0]


def _ranking(
    entry: Entry, facts: EntryFacts, index: RegistryIndex, memory: Memory | None
) -> tuple[tuple[Candidate, ...], float]:
    """The best candidates, and the probability that the entry names nobody in the registry.

    The precise blocks come first; the broad ones are searched only when they found nobody
    convincing, which keeps a common surname from costing thousands of comparisons per row.
    """
    if not facts.readings:
        return (), 1.0
    mark = fingerprint(entry)
    rejected = {pid for fp, pid in memory.rejected if fp == mark} if memory else set()
    memo: dict[object, Any] = {}
    scored: dict[int, Weighed] = {}
    for stage in SEARCH_STAGES:
        found = index.candidates(
            facts.readings, facts.birth_date, facts.service_number, stage=stage, unit=facts.unit
        )
        for i in found:
            person_id = index.person_ids[i]
            if person_id not in scored and person_id not in rejected:
                scored[person_id] = weigh(facts, i, index, memo)
        if scored and max(w.score for w in scored.values()) >= SEARCH_BROADLY_BELOW:
            break
    ranked = sorted(scored.values(), key=lambda w: (-w.score, w.person_id))
    return with_probabilities(ranked)


def with_probabilities(ranked: Sequence[Weighed]) -> tuple[tuple[Candidate, ...], float]:
    """The best candidates with their posteriors, and the probability that the entry names
    nobody in the registry.

    Each candidate k weighs 2^S_k. Somebody we do not hold weighs 2^ABSENT_BITS times the
    chance of a row like this one from them: (1 - q) for a stranger, whose row is as likely as
    any (the score's baseline), plus q × Σ 2^N_j for a namesake of candidate j, whose row agrees
    with j's name (N_j: the name's bits alone, the prior included) and with nothing else. So a
    row with nothing but a name can never be much surer than 1 / (1 + q / 9) ≈ 0.96 of anyone,
    which is what it is; a date of birth that agrees outweighs the namesake at once.
    """
    if not ranked:
        return (), 1.0
    top = max(ranked[0].score, ABSENT_BITS)
    namesakes = sum(2.0 ** (w.name_score + NAMESAKE_BITS - top) for w in ranked)
    absent = 2.0 ** (ABSENT_BITS - top) * (1 - NAMESAKE_SHARE) + 2.0**ABSENT_BITS * namesakes
    total = absent + sum(2.0 ** (w.score - top) for w in ranked)
    kept = tuple(
        w.candidate(probability=2.0 ** (w.score - top) / total) for w in ranked[:KEEP_CANDIDATES]
    )
    return kept, absent / total


def decide(entry: Entry, index: RegistryIndex, memory: Memory | None = None) -> Decision:
    facts = facts_of(entry, index)
    candidates, absent = _ranking(entry, facts, index, memory)
    outcome = _outcome(candidates, absent, facts.has_discriminator, index)
    reason = reason_of(outcome, candidates, facts, index, unlikely=absent >= UNMATCHED_PROBABILITY)
    matched = candidates[0].person_id if outcome is Outcome.MATCHED else None
    return Decision(
        line=entry.line,
        outcome=outcome,
        candidates=candidates,
        explanation=explain(reason, candidates, entry),
        reason=reason,
        person_id=matched,
    )


def _outcome(
    candidates: Sequence[Candidate], absent: float, discriminated: bool, index: RegistryIndex
) -> Outcome:
    if not candidates or absent >= UNMATCHED_PROBABILITY:
        return Outcome.UNMATCHED
    best = candidates[0]
    if contradicted(best):
        return Outcome.UNMATCHED  # someone else: a date of birth or a name is not one mistyped
    runner_up = candidates[1].probability if len(candidates) > 1 else 0.0
    if best.probability < CONFLICT_RATIO * runner_up:
        return Outcome.CONFLICT  # several fit about equally, however many they are
    if index.is_final(best.person_id):
        return Outcome.CONFLICT
    if not discriminated and runner_up >= PLAUSIBLE_PROBABILITY:
        return Outcome.CONFLICT  # namesakes, and nothing in the row to tell them apart
    if best.confirmed and best.probability >= AUTO_PROBABILITY and not brother(best):
        return Outcome.MATCHED  # never on the name alone, never a twin
    return Outcome.REVIEW


# Where both sides give one of these and they differ at this level (no clerical error turns
# one into the other), the row is someone else's: a date of birth; a surname, as both the list
# and the registry give the one a person bore when taken; a father's name.
CONTRADICTIONS = (
    ("birth_date", "different"),
    ("family", "different"),
    ("patronymic", "different"),
)


def contradicted(candidate: Candidate) -> bool:
    """A date of birth, a surname or a father's name that no clerical error turns into the
    row's (no typo, transliteration, Russian form or lost letter), and no service number says
    otherwise: whatever else agrees, this is someone else.

    Another surname under the same given name, father's name and date of birth, or another
    father's name under the same name and date, is a stranger who shares the rest with a
    registry person by chance. The given name is not counted here: twins differ in it alone,
    and a person decides (``brother``).
    """
    if candidate.level("service_number") == "same":
        return False
    return any(candidate.level(field) == level for field, level in CONTRADICTIONS)


def brother(candidate: Candidate) -> bool:
    """Another given name, not a misspelling or a form of the row's, and no service number that
    agrees: twins share everything else (surname, father's name, date of birth, often the unit),
    and however much of it agrees, a person decides whether this is him."""
    return candidate.named_otherwise("given") and candidate.level("service_number") != "same"


def reconcile(
    entries: Sequence[Entry],
    index: RegistryIndex,
    memory: Memory | None = None,
    *,
    processes: int = 1,
) -> list[Decision]:
    """Decide every entry of one list, then settle entries that claim the same person.

    With ``processes`` above one, that many forked processes decide the entries (each row's
    decision is its own until the claims are settled, which happens here, across them all).
    """
    if processes > 1 and len(entries) > SPAN_ROWS:
        decisions = _decided_in_processes(entries, index, memory, processes)
    else:
        decisions = [decide(entry, index, memory) for entry in entries]
    return settle_duplicate_claims(decisions)


# What forked processes decide from: inherited at the fork, so the index is shared in the
# pages it already occupies (kept out of the garbage collector's walk, ``settled_in_memory``),
# never pickled; only the spans go out and the decisions come back.
_FORKED: tuple[Sequence[Entry], RegistryIndex, Memory | None] | None = None


def _decided_in_processes(
    entries: Sequence[Entry], index: RegistryIndex, memory: Memory | None, processes: int
) -> list[Decision]:
    global _FORKED  # set for the forks alone, cleared at once
    spans = [(start, start + SPAN_ROWS) for start in range(0, len(entries), SPAN_ROWS)]
    _FORKED = (entries, index, memory)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            return [decision for span in pool.imap(_decided_span, spans) for decision in span]
    finally:
        _FORKED = None


def _decided_span(span: tuple[int, int]) -> list[Decision]:
    assert _FORKED is not None  # noqa: S101 - set before the fork
    entries, index, memory = _FORKED
    return [decide(entry, index, memory) for entry in entries[span[0] : span[1]]]


def settle_duplicate_claims(decisions: list[Decision]) -> list[Decision]:
    """Lines naming one person are never all matched: at most the leading claim keeps its match.

    The leader is the claim with the most evidence for the person (the earlier line on a tie).
    It stays matched when it was matched and every other claim is either far weaker (the
    person is 8 times likelier behind the leader's evidence) or was itself matched with
    certainty, that is the same person listed twice; every other claim becomes a conflict that
    names the leader's line, and a human decides.
    """
    claims: defaultdict[int, list[int]] = defaultdict(list)
    for position, decision in enumerate(decisions):
        if decision.outcome in (Outcome.MATCHED, Outcome.REVIEW) and decision.best:
            claims[decision.best.person_id].append(position)
    settled = list(decisions)
    for positions in claims.values():
        if len(positions) < 2:
            continue
        leader = min(positions, key=lambda p: (-_claim_score(decisions[p]), p))
        keeps = decisions[leader].outcome is Outcome.MATCHED and all(
            _yields_to(decisions[p], decisions[leader]) for p in positions if p != leader
        )
        for position in positions:
            if position != leader or not keeps:
                others = [decisions[p].line for p in positions if p != position]
                settled[position] = _contested(decisions[position], others)
    return settled


def _claim_score(decision: Decision) -> float:
    return decision.best.score if decision.best else float("-inf")


def _yields_to(claim: Decision, leader: Decision) -> bool:
    far_behind = _claim_score(leader) - _claim_score(claim) >= math.log2(CONFLICT_RATIO)
    return far_behind or claim.outcome is Outcome.MATCHED


def _contested(decision: Decision, other_lines: list[int]) -> Decision:
    label = decision.best.label if decision.best else ""  # a claim always has a candidate
    lines = ", ".join(str(line) for line in other_lines)
    reason = (
        f"Conflict: line {decision.line} and line(s) {lines} of this list claim the same "
        f"person ({label}); a person decides which, if any, it is. "
    )
    return replace(
        decision,
        outcome=Outcome.CONFLICT,
        person_id=None,
        reason="duplicate",
        explanation=reason + decision.explanation,
    )


def search(entry: Entry, index: RegistryIndex, limit: int = 50) -> tuple[Candidate, ...]:
    """Registry search: the people best fitting a partial description, best first.

    Unlike reconciliation it accepts a surname alone, or only a date of birth, unit or service
    number, and returns more than a handful of candidates.
    """
    facts = facts_of(entry, index)
    found = index.by_identifiers(facts.birth_date, facts.unit, facts.service_number)
    for stage in SEARCH_STAGES:
        found |= index.candidates(
            facts.readings, facts.birth_date, facts.service_number, stage=stage, unit=facts.unit
        )
    memo: dict[object, Any] = {}
    weighed = [weigh(facts, i, index, memo) for i in found]
    weighed.sort(key=lambda w: (-w.score, w.person_id))
    return tuple(w.candidate() for w in weighed[:limit])
