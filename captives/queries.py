"""Reads over the registry: the staff search, ranked by the reconciliation engine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from captives.matching import Candidate, Entry, search
from captives.models import Captive
from captives.names import name_words_refusal
from captives.registry import registry_index

DATE = re.compile(r"\b(?:(\d{1,2})[./](\d{1,2})[./](\d{4})|(\d{4})-(\d{2})-(\d{2}))\b")


@dataclass(frozen=True)
class Found:
    captive: Captive
    candidate: Candidate


def parse_query(query: str) -> Entry:
    """Split a search box's text into a name, a date of birth and identifiers."""
    birth = None
    match = DATE.search(query)
    if match:
        day, month, year, iso_year, iso_month, iso_day = match.groups()
        try:
            birth = (
                date(int(year), int(month), int(day))
                if year
                else date(int(iso_year), int(iso_month), int(iso_day))
            )
        except ValueError:
            birth = None
        query = query[: match.start()] + query[match.end() :]
    words = query.split()
    identifiers = [w for w in words if any(ch.isdigit() for ch in w)]
    name = " ".join(w for w in words if w not in identifiers)
    identifier = " ".join(identifiers)
    return Entry(0, name, birth_date=birth, military_unit=identifier, service_number=identifier)


def search_refusal(entry: Entry, *, personal: bool) -> str | None:
    """Why a caller may not search for this, or None when they may.

    Without ``personal`` (registry:personal) a search is by name: a date of birth, a unit or a
    service number in it would find people by exactly the data the caller may not read (the
    people born on a day, a unit's roll), whatever fields the answer then leaves out. A name of
    more words than any real one is refused to everybody (``captives.names``).
    """
    too_many_words = name_words_refusal(entry.full_name)
    if too_many_words:
        return too_many_words
    if personal:
        return None
    if entry.birth_date or entry.service_number:
        return _(
            "A date of birth, unit or service number can be searched for only with the "
            "registry:personal scope; search by name."
        )
    if not entry.full_name:
        return _("Give a name to search for.")
    return None


def search_registry(query: str, limit: int = 50) -> list[Found]:
    """Captives best fitting the query, in any script or transliteration, best first; nobody
    for a query whose name has too many words (``query_refusal`` says so to the official)."""
    entry = parse_query(query)
    if name_words_refusal(entry.full_name):
        return []
    return search_entry(entry, limit)


def ranked_for_query(query: str, limit: int = 50) -> tuple[Candidate, ...]:
    """``search_registry``'s candidates without the captives, for a caller that reads only
    the columns it shows."""
    entry = parse_query(query)
    if name_words_refusal(entry.full_name):
        return ()
    return ranked_candidates(entry, limit)


def query_refusal(query: str) -> str | None:
    """Why a staff page's search box finds nobody whatever the registry holds, or None."""
    return name_words_refusal(parse_query(query).full_name)


def search_entry(entry: Entry, limit: int = 50) -> list[Found]:
    """Captives best fitting a query already parsed (``parse_query``), best first."""
    candidates = ranked_candidates(entry, limit)
    captives = Captive.objects.in_bulk([c.person_id for c in candidates])
    return [Found(captives[c.person_id], c) for c in candidates if c.person_id in captives]


def ranked_candidates(entry: Entry, limit: int = 50) -> tuple[Candidate, ...]:
    """The engine's best candidates for a parsed query, best first, without reading the
    captives (a caller that filters them reads them itself)."""
    if not (entry.full_name or entry.birth_date or entry.service_number):
        return ()
    return search(entry, registry_index(), limit)
