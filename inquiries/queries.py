"""Caseworkers' search of the inquiries: by reference code, or by the name of the person sought
or of the relative, in any script or transliteration, ranked by the reconciliation engine."""

from __future__ import annotations

import re
from dataclasses import replace

from django.db import connection

from captives.matching import Person, RegistryIndex, name_book, search, split_full_name
from captives.queries import parse_query
from captives.registry import VersionedIndex
from inquiries.models import Inquiry
from inquiries.services import as_person

# HC-7KQ2-M9XD, typed in any case, with or without its dashes, or the prefix.
REFERENCE = re.compile(r"(?:HC)?([A-Z0-9]{4})([A-Z0-9]{4})")


def search_inquiries(query: str, limit: int = 50) -> list[Inquiry]:
    """The inquiries a caseworker's query names, best first.

    Steps: a query that reads as a reference code finds that inquiry; any query is also read as
    a name (with a date of birth or service number, ``captives.queries.parse_query``) and
    searched for among the people sought and the relatives, as the registry search does.
    """
    found: list[int] = []
    reference = _reference(query)
    if reference:
        found += Inquiry.objects.filter(reference=reference).values_list("pk", flat=True)
    entry = parse_query(query)
    if entry.full_name or entry.birth_date or entry.service_number:
        for candidate in search(entry, _inquiry_index(), limit * 2):
            found.append(candidate.person_id // 2)
    ranked = list(dict.fromkeys(found))[:limit]
    inquiries = Inquiry.objects.select_related("captive").in_bulk(ranked)
    return [inquiries[pk] for pk in ranked if pk in inquiries]


def _reference(query: str) -> str:
    """The reference code the query spells, or ""."""
    compact = re.sub(r"[\s-]", "", query.upper())
    match = REFERENCE.fullmatch(compact)
    return f"HC-{match[1]}-{match[2]}" if match else ""


def _people(inquiry: Inquiry) -> tuple[Person, Person]:
    """The person sought and the relative, as the engine's people: ids 2n and 2n + 1."""
    sought = as_person(inquiry)
    family, given, patronymic = split_full_name(inquiry.relative_name, name_book())
    return (
        replace(sought, id=inquiry.pk * 2),
        Person(
            id=inquiry.pk * 2 + 1,
            family_name=family,
            given_name=given,
            patronymic=patronymic,
            label=inquiry.reference,
        ),
    )


_inquiries = VersionedIndex(
    lambda _version: RegistryIndex([p for i in Inquiry.objects.all() for p in _people(i)])
)


def _inquiry_index() -> RegistryIndex:
    """The engine's index of everyone the inquiries name, rebuilt only when one changed: every
    change of an inquiry writes a history row, which is never updated or deleted."""
    history = connection.ops.quote_name(Inquiry.history.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(history_id) FROM {history}")  # noqa: S608 - our table
        version = tuple(cursor.fetchone() or ())
    return _inquiries.at(version)
