"""A release list's own column of places of detention (“Місце утримання”, “Место содержания”):
a row that names a person and a known place adds a period at that place on the list's day.

A place is known when the text matches, compared without case, quotes or extra spaces, the
name of a place in the registry or its name as the other side writes it. Text that matches no
place adds nothing: it stays on the row, where the list's page and the review show it, and an
official who adds the place (or that spelling of it) then sees it counted when the list is
decided again. A place is never made up from a list.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from accounts.models import User
from captives import wording
from captives.models import Provenance
from captives.places import place_key, places_by_key, record_detention
from config.history import attribute_change
from exchanges.models import NAMES_A_PERSON, ReleaseListRow


def record_list_places(*, rows: QuerySet[ReleaseListRow], by: User | None) -> int:
    """Add the periods the rows' place column gives, for the rows that name a person, a known
    place and have none yet; return how many were added. Safe to run again: a row keeps the
    period it added, and is skipped the second time."""
    waiting = (
        rows.filter(NAMES_A_PERSON, detention__isnull=True)
        .exclude(place_written="")
        .select_related("release_list", "captive")
    )
    places = None
    added = 0
    with transaction.atomic():
        for row in waiting.select_for_update(of=("self",)).order_by("pk"):
            places = places_by_key() if places is None else places
            place = places.get(place_key(row.place_written))
            if place is None or row.captive is None:
                continue
            detention = record_detention(
                captive=row.captive,
                place=place,
                held_from=row.release_list.received_on,
                held_until=row.release_list.received_on,
                provenance=Provenance(
                    kind=Provenance.Kind.RELEASE_LIST,
                    description=wording.LINE_OF_LIST(
                        line=row.line_number, list=row.release_list_id
                    ),
                    dated=row.release_list.received_on,
                    recorded_by=by,
                ),
                by=by,
            )
            row.detention = detention
            attribute_change(row, by=by, reason=wording.HELD_AT(place=place.name))
            row.save(update_fields=["detention"])
            added += 1
    return added


def settle_row_place(*, row: ReleaseListRow, by: User | None) -> None:
    """After a reviewer's decision on ``row``: the period its line gave goes if the line no
    longer names that person (and no other line gives it); the person it names now gets one."""
    with transaction.atomic():
        detention = row.detention
        if detention is not None and detention.captive_id != row.captive_id:
            row.detention = None
            attribute_change(row, by=by, reason="The line no longer names this person")
            row.save(update_fields=["detention"])
            if not detention.list_rows.exists():
                attribute_change(detention, by=by, reason="No line of a list names this person")
                detention.delete()
        record_list_places(rows=ReleaseListRow.objects.filter(pk=row.pk), by=by)
