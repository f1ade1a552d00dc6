"""Whom a conflict row clashes with: the people it could be, and the other lines claiming them.

A conflict is the engine's "a person decides": two lines of the phase's lists claim one person,
namesakes fit about equally, or the person is already recorded as returned or dead. A list's
page names them beside the row, so that the official sees the clash without opening each row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from captives.models import Captive
from exchanges.models import NAMES_A_PERSON, Outcome, ReleaseListRow

# The people a conflict names: the engine keeps a few candidates; the page shows at most these.
MOST_PEOPLE = 3


@dataclass
class Clash:
    """One person a conflict row may be, and the other lines that claim or name them."""

    captive: Captive
    lines: list[ReleaseListRow] = field(default_factory=list)


def clashes_of(rows: Iterable[ReleaseListRow]) -> dict[int, list[Clash]]:
    """Each conflict row's clashes, by the row's id, in two queries for a page of rows.

    Steps: the people each conflict row could be (its best candidate when another line claims
    them, its first few candidates otherwise); those people, read at once; the other lines of
    the same phases naming them, or claiming them as their best candidate while undecided.
    """
    conflicts = [row for row in rows if row.outcome == Outcome.CONFLICT and row.candidates]
    if not conflicts:
        return {}
    people = {row.pk: _people(row) for row in conflicts}
    everyone = {pk for ids in people.values() for pk in ids}
    captives = Captive.objects.in_bulk(everyone)
    claims = _claims(everyone, {row.release_list.phase_id for row in conflicts})
    return {
        row.pk: [
            Clash(captives[pk], _beside(row, claims[pk])) for pk in people[row.pk] if pk in captives
        ]
        for row in conflicts
    }


def _beside(row: ReleaseListRow, claims: list[ReleaseListRow]) -> list[ReleaseListRow]:
    """The other lines of the row's phase among ``claims``: its own list's first."""
    phase = row.release_list.phase_id
    others = [o for o in claims if o.pk != row.pk and o.release_list.phase_id == phase]
    return sorted(
        others,
        key=lambda o: (o.release_list_id != row.release_list_id, o.release_list_id, o.line_number),
    )


def _people(row: ReleaseListRow) -> list[int]:
    ids = [candidate["captive_id"] for candidate in row.candidates]
    return ids[:1] if row.reason == "duplicate" else ids[:MOST_PEOPLE]


def _claims(people: set[int], phases: set[int]) -> defaultdict[int, list[ReleaseListRow]]:
    """The lines of these phases' lists that name one of ``people``, or that the engine left
    undecided with one of them as the best candidate; by person."""
    rows = (
        ReleaseListRow.objects.filter(release_list__phase_id__in=phases)
        .filter(
            (NAMES_A_PERSON & Q(captive_id__in=people))
            | Q(outcome=Outcome.CONFLICT, resolution="", candidates__0__captive_id__in=people)
        )
        .select_related("release_list")
        .order_by("release_list_id", "line_number")
    )
    by_person: defaultdict[int, list[ReleaseListRow]] = defaultdict(list)
    for row in rows:
        mentioned: set[int] = {row.candidates[0]["captive_id"]} if row.candidates else set()
        if row.captive_id is not None:
            mentioned.add(row.captive_id)
        for pk in mentioned & people:
            by_person[pk].append(row)
    return by_person
