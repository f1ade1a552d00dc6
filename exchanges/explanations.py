"""A row's explanation for a reader who may not see the registry's values.

The engine's explanation, as stored, quotes the registry: the names, dates of birth, units,
service numbers and labels (external ids) of the people it compared the row with. Whoever sends
rows and reads that back could read the registry through rows made up for the purpose. So it is
shown as stored only to a caller who may read personal data (``registry:personal``); anyone else
gets the same decision told again from the row's stored reason and candidates (each field, how
it compared, what it weighed; the scores) without those values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from captives.matching.explain import REASONS, explain
from captives.reasons import stored_candidate


def explanation_for(
    *, explanation: str, reason: str, candidates: Sequence[Mapping[str, Any]], personal: bool
) -> str:
    """What a reader is told of why a row was decided: the stored words with ``personal``, and
    otherwise the same decision without the registry's values."""
    if personal:
        return explanation
    if reason not in REASONS:
        return ""  # not decided yet, or decided before reasons were recorded: nothing to tell
    return explain(reason, [stored_candidate(c) for c in candidates], values=False)
