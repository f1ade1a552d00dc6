"""The reconciliation engine: plain values in, decisions out. No Django, no clock, no database."""

from __future__ import annotations

from captives.matching.engine import decide, fingerprint, rank, reconcile, search
from captives.matching.index import RegistryIndex
from captives.matching.names import name_book
from captives.matching.native import registry_unit, ukrainian_name, ukrainian_parts
from captives.matching.readings import MAX_NAME_WORDS, name_words, split_full_name
from captives.matching.records import (
    Candidate,
    Decision,
    Entry,
    FieldAgreement,
    Memory,
    Outcome,
    Person,
)

__all__ = [
    "MAX_NAME_WORDS",
    "Candidate",
    "Decision",
    "Entry",
    "FieldAgreement",
    "Memory",
    "Outcome",
    "Person",
    "RegistryIndex",
    "decide",
    "fingerprint",
    "name_book",
    "name_words",
    "rank",
    "reconcile",
    "registry_unit",
    "search",
    "split_full_name",
    "ukrainian_name",
    "ukrainian_parts",
]
