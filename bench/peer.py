"""The peer: Splink, the field's open-source Fellegi-Sunter linker, on DuckDB, beside our engine.

It borrows nothing of the engine (no ICU, no name equivalents): both sides are transliterated
with unidecode and compared with Splink's own string measure (Jaro-Winkler, in DuckDB).

1. Tables. The registry knows which word is the family name, the given name and the
   patronymic; a list row does not (the other side writes F-G-P, G-P-F, F-G or G-F), so its words
   are kept in their order, up to three. Each side: the date of birth, the unit, the service
   number, and the pairs of its words' first three letters (the name blocking key).
2. Comparisons, each a part of the registry's name against the best of the row's words
   (Jaro-Winkler >= 0.97, >= 0.92, >= 0.85, else; the patronymic is null when the row has
   fewer than three words); Splink's date-of-birth comparison (exact, one character off, a
   month, a year, ten years); the unit and the service number exactly.
3. Training, unsupervised, as Splink's tutorials train: the prior from what the linkage is (each
   row is at most one of the registry's people: 1 / registry size); u by random sampling; m by
   expectation maximisation, once on pairs blocked on the date of birth (trains the names, the
   unit and the number) and once on pairs blocked on the unit (trains the date; Splink's
   training refuses the exploded name key).
4. Prediction: pairs sharing a name key, a date of birth or a service number, scored.
5. Our rules on its output (``decide``): Splink's probability alone never decides.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from unidecode import unidecode

from bench.population import Someone
from bench.score import Outcome
from captives.matching import Entry

AUTO_PROBABILITY = 0.99
REVIEW_PROBABILITY = 0.5
NAME_PARTS = ("family_name", "given_name", "patronymic")
ROW_WORDS = ("word_1", "word_2", "word_3")
# Gamma values (Splink numbers a comparison's levels from the bottom, null -1): the date's
# exact (5) and one character off (4) count as agreement; the unit's and the number's exact
# level is 1.
DATE_AGREES = 4
INSTALL = "Splink is not installed: `make bench` installs it (requirements-bench.txt)."


@dataclass(frozen=True)
class Pair:
    """One scored pair from Splink's prediction, with what our rules read of it."""

    line: int
    person_id: int
    probability: float
    name_weight: float  # the name parts' match weights together: log2 of their Bayes factors
    birth_date: int  # the levels (gamma) of the other comparisons
    unit: int
    service_number: int

    @property
    def name_agrees(self) -> bool:
        """Splink's own reading of the names counts for the match, not against it (stricter
        readings, such as family and given name each at Jaro-Winkler >= 0.92, left it with
        less coverage and no fewer false matches: docs/benchmarks.md)."""
        return self.name_weight > 0

    @property
    def confirmed(self) -> bool:
        """Something beside the name agrees: the date, the unit or the service number."""
        return self.birth_date >= DATE_AGREES or self.unit == 1 or self.service_number == 1


def decide(lines: Sequence[int], pairs: Iterable[Pair]) -> list[Outcome]:
    """Our rules on Splink's scored pairs, one decision per list line.

    1. No pair at ``REVIEW_PROBABILITY`` or more: unmatched.
    2. Several people at ``AUTO_PROBABILITY`` or more: a conflict, the likeliest first.
    3. One: matched, when the name agrees (``Pair.name_agrees``) and something else confirms
       it, the date, the unit or the service number (a name alone never decides); otherwise
       review.
    4. Below ``AUTO_PROBABILITY``: review with the likeliest person.
    5. A person matched by two lines is matched by neither: both become conflicts.
    """
    by_line: defaultdict[int, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_line[pair.line].append(pair)
    decided = {line: _one(sorted(by_line[line], key=_likeliest)) for line in lines}
    twice = Counter(d.person_id for d in decided.values() if d.outcome == "matched")
    return [
        Outcome("conflict", None, d.best_id, "duplicate")
        if d.outcome == "matched" and twice[d.person_id] > 1
        else d
        for d in (decided[line] for line in lines)
    ]


def _likeliest(pair: Pair) -> tuple[float, int]:
    return (-pair.probability, pair.person_id)


def _one(candidates: Sequence[Pair]) -> Outcome:
    if not candidates or candidates[0].probability < REVIEW_PROBABILITY:
        return Outcome("unmatched", None, candidates[0].person_id if candidates else None)
    best = candidates[0]
    likely = [c for c in candidates if c.probability >= AUTO_PROBABILITY]
    if len(likely) > 1:
        return Outcome("conflict", None, best.person_id, "namesakes")
    if likely and best.name_agrees and best.confirmed:
        return Outcome("matched", best.person_id, best.person_id, "matched")
    reason = "unconfirmed" if likely else "review"
    return Outcome("review", None, best.person_id, reason)


def words(name: str) -> list[str]:
    """A name as Latin words: transliterated by unidecode, lower case, letters only."""
    return [
        w for w in (re.sub("[^a-z]", "", unidecode(part).lower()) for part in name.split()) if w
    ]


def name_keys(parts: Sequence[str]) -> str:
    """Each pair of the words' first three letters, in alphabetical order, space-separated."""
    prefixes = sorted({w[:3] for w in parts if w})
    return " ".join(f"{a}{b}" for a, b in combinations(prefixes, 2))


def registry_rows(people: Sequence[Someone]) -> list[dict[str, Any]]:
    rows = []
    for p in people:
        parts = [" ".join(words(n)) or None for n in (p.family_name, p.given_name, p.patronymic)]
        rows.append(
            {
                "unique_id": p.id,
                **dict(zip(NAME_PARTS, parts, strict=True)),
                **dict.fromkeys(ROW_WORDS),
                "row_words": None,
                "name_keys": name_keys([w for w in parts if w]),
                "birth_date": p.birth_date,
                "military_unit": p.military_unit or None,
                "service_number": p.service_number or None,
            }
        )
    return rows


def list_rows(entries: Sequence[Entry]) -> list[dict[str, Any]]:
    rows = []
    for e in entries:
        written = words(e.full_name)[:3]
        rows.append(
            {
                "unique_id": e.line,
                **dict.fromkeys(NAME_PARTS),
                **dict(zip(ROW_WORDS, [*written, None, None, None], strict=False)),
                "row_words": len(written),
                "name_keys": name_keys(written),
                "birth_date": e.birth_date,
                "military_unit": e.military_unit or None,
                "service_number": e.service_number or None,
            }
        )
    return rows


def _similarity(part: str) -> str:
    """SQL: the best Jaro-Winkler of the registry's name part against the row's words, whichever
    side of the pair the registry is on (the other side's part is null)."""
    terms = [
        f"coalesce(jaro_winkler_similarity({part}_{mine}, {word}_{theirs}), 0)"
        for mine, theirs in (("l", "r"), ("r", "l"))
        for word in ROW_WORDS
    ]
    return f"greatest({', '.join(terms)})"


def _name_part(part: str) -> dict[str, Any]:
    levels: list[dict[str, Any]] = []
    if part == "patronymic":
        levels.append(
            {"sql_condition": "coalesce(row_words_l, row_words_r) < 3", "is_null_level": True}
        )
    similarity = _similarity(part)
    levels += [
        {"sql_condition": f"{similarity} >= {t}", "label_for_charts": f"JW >= {t}"}
        for t in (0.97, 0.92, 0.85)
    ]
    levels.append({"sql_condition": "ELSE", "label_for_charts": "else"})
    return {"output_column_name": part, "comparison_levels": levels}


def link(people: Sequence[Someone], entries: Sequence[Entry]) -> tuple[list[Pair], float]:
    """Splink trained on the registry and the list, then its scored pairs; and the seconds the
    registry's loading and the training took (the rest is prediction)."""
    import logging
    import time

    import duckdb
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)  # its training narrates at INFO
    started = time.perf_counter()
    con = duckdb.connect()
    for name, rows in (("registry", registry_rows(people)), ("release_list", list_rows(entries))):
        frame = pd.DataFrame(rows)  # noqa: F841 - DuckDB reads it by its name
        con.execute(
            f"create table {name} as select * replace "  # noqa: S608 - two names of ours
            "(string_split(name_keys, ' ') as name_keys, cast(birth_date as date) as birth_date)"
            " from frame"
        )
    name_key = block_on("name_keys", arrays_to_explode=["name_keys"])
    names: list[Any] = [cl.CustomComparison(**_name_part(part)) for part in NAME_PARTS]
    settings = SettingsCreator(
        link_type="link_only",
        probability_two_random_records_match=1 / max(len(people), 1),
        comparisons=[
            *names,
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("military_unit"),
            cl.ExactMatch("service_number"),
        ],
        blocking_rules_to_generate_predictions=[
            name_key,
            block_on("birth_date"),
            block_on("service_number"),
        ],
        retain_intermediate_calculation_columns=True,
    )
    linker = Linker(
        ["registry", "release_list"],
        settings,
        db_api=DuckDBAPI(connection=con),
        input_table_aliases=["registry", "release_list"],
        set_up_basic_logging=False,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("military_unit"))
    trained = time.perf_counter() - started
    predicted = linker.inference.predict(threshold_match_probability=0.01).as_record_dict()
    return [read_pair(record) for record in predicted], trained


def read_pair(record: dict[str, Any]) -> Pair:
    """One row of Splink's prediction, whichever side of the pair the list row is on."""
    mine = "l" if record["source_dataset_l"] == "release_list" else "r"
    theirs = "r" if mine == "l" else "l"
    return Pair(
        line=int(record[f"unique_id_{mine}"]),
        person_id=int(record[f"unique_id_{theirs}"]),
        probability=float(record["match_probability"]),
        name_weight=sum(math.log2(record[f"bf_{part}"]) for part in NAME_PARTS),
        birth_date=int(record["gamma_birth_date"]),
        unit=int(record["gamma_military_unit"]),
        service_number=int(record["gamma_service_number"]),
    )
