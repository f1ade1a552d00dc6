"""Places of detention and the periods a person is known or reported to have been held there.

A period comes from a source that says so: a returnee's sighting (one day), a release list's
own column (the list's day), an ICRC notification (from a date on). The trail of a person is
their periods in date order; who is believed held at a place now is everyone still held whose
latest period is there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import User
from captives import wording
from captives.lifecycle import Status
from captives.models import Captive, Detention, Place, Provenance
from captives.services import change_status
from config.errors import DomainError
from config.history import attribute_change

# Quotes and dashes a list writes a name with («ИК-1», ИК–1): not part of the name.
_QUOTES = re.compile(r"[«»\"'“”„’`]")
_DASHES = re.compile(r"[‐‑‒–—―]")


def place_key(text: str) -> str:
    """A place's name as compared: NFKC, without case, quotes or extra spaces, one dash."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _DASHES.sub("-", _QUOTES.sub("", folded))
    return " ".join(folded.replace(" - ", "-").split())


def places_by_key(places: Iterable[Place] | None = None) -> dict[str, Place]:
    """Every place under the keys of its name and of its name as the other side writes it."""
    found: dict[str, Place] = {}
    for place in Place.objects.all() if places is None else places:
        for text in (place.name_as_written, place.name):  # the name wins a clash: it is unique
            if text.strip():
                found[place_key(text)] = place
    return found


def save_place(*, place: Place, by: User) -> Place:
    """Add or change a place (validated by its form or ``full_clean``), with a history row."""
    place.full_clean()
    attribute_change(place, by=by, reason="Place edited" if place.pk else "Place added")
    with transaction.atomic():
        place.save()
    return place


def record_detention(
    *,
    captive: Captive,
    place: Place,
    held_from: date | None,
    held_until: date | None,
    provenance: Provenance,
    by: User | None,
) -> Detention:
    """Record that ``captive`` was held at ``place`` from ``held_from`` to ``held_until``
    (either may be unknown), as ``provenance`` says; return the period.

    The same period at the same place from the same kind of source is one fact, however often
    it is reported (a list reconciled twice, a sighting confirmed again): the one already known
    is returned and nothing is added. The person is locked first, so that two reports of it at
    once add one period.
    """
    if held_from and held_until and held_until < held_from:
        raise DomainError(_("A period cannot end before it starts."))
    with transaction.atomic():
        Captive.objects.select_for_update().only("pk").get(pk=captive.pk)
        known = Detention.objects.filter(
            captive=captive,
            place=place,
            held_from=held_from,
            held_until=held_until,
            provenance__kind=provenance.kind,
        ).first()
        if known is not None:
            return known
        if provenance.pk is None:
            provenance.save()
        detention = Detention(
            captive=captive,
            place=place,
            held_from=held_from,
            held_until=held_until,
            provenance=provenance,
        )
        attribute_change(detention, by=by, reason=wording.HELD_AT(place=place.name))
        detention.save()
    return detention


def record_icrc_notification(
    *, captive: Captive, place: Place, since: date, note: str, by: User
) -> Detention:
    """The ICRC notified that ``captive`` is held at ``place`` since ``since`` (``note``: the
    notification's reference or words): a period from that day on, its source the
    notification. A person still missing is then a confirmed
    captive: the detaining power has told the ICRC it holds them (GC III, art. 122)."""
    if not note.strip():
        raise DomainError(_("Say which notification it is: its reference or its words."))
    with transaction.atomic():
        source = Provenance.objects.create(
            kind=Provenance.Kind.ICRC,
            description=note.strip()[:300],
            dated=since,
            recorded_by=by,
        )
        detention = record_detention(
            captive=captive,
            place=place,
            held_from=since,
            held_until=None,
            provenance=source,
            by=by,
        )
        captive.refresh_from_db(fields=["status"])
        if captive.status == Status.MISSING:
            change_status(
                captive=captive,
                to=Status.CONFIRMED_CAPTIVE,
                by=by,
                reason=wording.ICRC_NOTIFIED(place=place.name),
                provenance=source,
            )
    return detention


def trail(captive: Captive) -> QuerySet[Detention]:
    """A person's periods in date order (undated ones last), each with its place and source."""
    return captive.detentions.select_related("place", "provenance").order_by(
        F("held_from").asc(nulls_last=True), F("held_until").asc(nulls_last=True), "pk"
    )


def latest_place() -> Subquery:
    """For each captive (``OuterRef("pk")``), the place of their latest period: the one whose
    last known day (its end, else its start) is latest; undated ones count least."""
    latest = (
        Detention.objects.filter(captive=OuterRef("pk"))
        .annotate(last_known=Coalesce("held_until", "held_from"))
        .order_by(F("last_known").desc(nulls_last=True), "-recorded_at", "-pk")
        .values("place")[:1]
    )
    return Subquery(latest)


def held_at(place: Place) -> QuerySet[Captive]:
    """Who is believed to be held at ``place`` now: current records of people still held
    (confirmed captive or listed for exchange) whose latest period is at this place."""
    return (
        Captive.objects.current()
        .held()
        .filter(pk__in=Detention.objects.filter(place=place).values("captive"))
        .annotate(latest_place=latest_place())
        .filter(latest_place=place.pk)
    )
