"""The debriefing gallery: photos of people families seek, which a caseworker shows a returnee.

Only photos whose relatives agreed to it (``Inquiry.photo_shown_to_returnees_at``, a consent
apart from tracing's, withdrawn on the status page), of people still sought, never the
returnee's own; those held at a place where and when the returnee was come first. A tile is a
photo and a number: nothing of the relative, not even the name sought. Faces are not matched by
machine: the returnee recognises someone, the caseworker records it as a sighting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from captives.lifecycle import Status
from captives.models import Captive, Detention, Place
from config.errors import DomainError
from config.history import attribute_change
from inquiries.models import Inquiry, Sighting, SightingLead
from inquiries.services import record_sighting

HOME = (Status.RETURNED, Status.RELEASED_OTHERWISE)
# A tile's address works for a day of debriefing, then the gallery is opened again.
TILE_MAX_AGE = 24 * 60 * 60
# The button on the status page works for an hour after the relative's PIN opened it.
CONSENT_FORM_MAX_AGE = 60 * 60
# Said by the service and by the page alike, when a photo left the gallery meanwhile.
NO_LONGER_SHOWN = _("This photo is no longer shown to returnees: nothing was recorded.")
RECOGNISED = "Recognised from the inquiry's photo in the debriefing gallery"


@dataclass(frozen=True)
class Period:
    """A stay at a place; an end that is not known is open."""

    place_id: int
    start: date | None
    end: date | None


def overlaps(a: Period, b: Period) -> bool:
    """At the same place, and neither stay ends before the other begins."""
    if a.place_id != b.place_id:
        return False
    if a.start is not None and b.end is not None and b.end < a.start:
        return False
    return not (b.start is not None and a.end is not None and a.end < b.start)


@dataclass(frozen=True)
class Tile:
    number: int  # what the caseworker and the returnee say aloud: "number 4"
    token: str  # the tile's address: opaque, for this returnee only, for a day
    inquiry_id: int
    place: Place | None  # where the returnee and the person sought were held at once
    sighting_id: int | None  # this returnee has already recognised the person: the sighting


@dataclass(frozen=True)
class Group:
    period: Detention  # one of the returnee's stays
    tiles: list[Tile]


@dataclass(frozen=True)
class Gallery:
    returnee: Captive
    periods: list[Detention]
    near: list[Group]  # held where and when the returnee was, by the returnee's stays
    others: list[Tile]  # everyone else whose relatives agreed

    def tile(self, inquiry_id: int) -> Tile | None:
        tiles = [tile for group in self.near for tile in group.tiles] + self.others
        return next((tile for tile in tiles if tile.inquiry_id == inquiry_id), None)


def returnees() -> QuerySet[Captive]:
    """People home, whose debriefing the gallery is for (a merged duplicate is not one)."""
    return Captive.objects.current().filter(status__in=HOME)


def shown_to(returnee: Captive) -> QuerySet[Inquiry]:
    """The inquiries whose photo this returnee may be shown: the relative agreed and has not
    withdrawn it, the inquiry is open, and the person sought is not home, nor the returnee."""
    return (
        Inquiry.objects.filter(photo_shown_to_returnees_at__isnull=False)
        .exclude(photo="")
        .exclude(state__in=[Inquiry.State.RETURNED, Inquiry.State.CLOSED])
        .exclude(captive__status__in=HOME)
        .exclude(captive=returnee)
        .exclude(captive__merged_into=returnee)
    )


def gallery_of(returnee: Captive) -> Gallery:
    """The tiles, numbered in the order shown: for each of the returnee's stays, in time, the
    people held at that place at a time that overlaps it (open ends overlap); then the rest.
    Someone held with the returnee twice is shown at their first shared stay."""
    periods = list(returnee.detentions.select_related("place"))
    inquiries = list(shown_to(returnee).order_by("pk").values_list("pk", "captive_id"))
    theirs = _stays(
        {captive for _, captive in inquiries if captive is not None},
        {period.place_id for period in periods},
    )
    recorded = dict(
        Sighting.objects.filter(reporter=returnee, recognised_from__isnull=False)
        .order_by("pk")
        .values_list("recognised_from_id", "pk")
    )
    shared = _first_shared(periods, inquiries, theirs)
    numbers = iter(range(1, len(inquiries) + 1))

    def tile(pk: int, place: Place | None) -> Tile:
        return Tile(next(numbers), tile_token(returnee, pk), pk, place, recorded.get(pk))

    near = [
        Group(period, [tile(pk, period.place) for pk, _ in inquiries if shared.get(pk) == index])
        for index, period in enumerate(periods)
    ]
    others = [tile(pk, None) for pk, _ in inquiries if pk not in shared]
    return Gallery(returnee, periods, [group for group in near if group.tiles], others)


def _first_shared(
    periods: list[Detention],
    inquiries: Sequence[tuple[int, int | None]],
    theirs: dict[int, list[Period]],
) -> dict[int, int]:
    """Inquiry → the index of the returnee's first stay that its person's stays overlap."""
    mine = [Period(p.place_id, p.held_from, p.held_until) for p in periods]
    shared: dict[int, int] = {}
    for pk, captive in inquiries:
        stays = theirs.get(captive, []) if captive is not None else []
        for index, period in enumerate(mine):
            if any(overlaps(period, stay) for stay in stays):
                shared[pk] = index
                break
    return shared


def _stays(captive_ids: set[int], place_ids: set[int]) -> dict[int, list[Period]]:
    """The stays of these people at these places, by person."""
    found: dict[int, list[Period]] = {}
    rows = Detention.objects.filter(captive_id__in=captive_ids, place_id__in=place_ids)
    for captive, place, start, end in rows.values_list(
        "captive_id", "place_id", "held_from", "held_until"
    ):
        found.setdefault(captive, []).append(Period(place, start, end))
    return found


def tile_token(returnee: Captive, inquiry_id: int) -> str:
    return signing.dumps(inquiry_id, salt=_tile_salt(returnee))


def tile_inquiry_id(returnee: Captive, token: str) -> int | None:
    """The inquiry a tile of this returnee's gallery stands for; None for a token made for
    another returnee, altered, or older than a day."""
    try:
        found = signing.loads(token, salt=_tile_salt(returnee), max_age=TILE_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return found if isinstance(found, int) else None


def _tile_salt(returnee: Captive) -> str:
    return f"inquiries.gallery.tile:{returnee.public_id}"


def record_recognition(
    *,
    returnee: Captive,
    inquiry: Inquiry,
    place: Place,
    seen_on: date | None,
    condition: str,
    by: User,
) -> Sighting:
    """The returnee recognised the person on a tile: "I saw him, there, then".

    A sighting like any other (``record_sighting``: matched after commit by name against every
    inquiry, its leads queued for caseworkers), of the name this inquiry seeks, and this
    inquiry's lead made at once: the photo is the identification, whatever the names would
    give. Families hear nothing of it, as of any sighting: news goes out only once a caseworker
    confirms who was seen (``confirm_sighting``). Refused, with nothing recorded, if the photo
    is no longer shown (the relative withdrew their consent, the person came home).
    """
    with transaction.atomic():
        # Locked as withdrawing the consent locks it: a withdrawal is either seen here or waits.
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if not shown_to(returnee).filter(pk=locked.pk).exists():
            raise DomainError(str(NO_LONGER_SHOWN))
        seen = Sighting(
            reporter=returnee,
            seen_full_name=locked.sought_full_name,
            recognised_from=locked,
            place=place,
            facility=place.name,
            seen_on=seen_on,
            condition=condition,
        )
        sighting = record_sighting(sighting=seen, by=by, reason=RECOGNISED)
        SightingLead.objects.create(
            inquiry=locked, sighting=sighting, probability=1.0, explanation=RECOGNISED
        )
    return sighting


def withdraw_photo_consent(*, inquiry: Inquiry) -> Inquiry:
    """The relative no longer lets caseworkers show the photo to returnees: from now on, no
    gallery shows it or serves it. Recorded in the inquiry's history; twice is once."""
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if locked.photo_shown_to_returnees_at is not None:
            locked.photo_shown_to_returnees_at = None
            attribute_change(
                locked, by=None, reason="The relative withdrew the photo from returnees"
            )
            locked.save(update_fields=["photo_shown_to_returnees_at"])
    return locked


def give_photo_consent(*, inquiry: Inquiry, at: datetime) -> Inquiry:
    """The relative lets caseworkers show the photo they sent to returnees, from ``at`` on (as
    the box on the form would have): galleries show it from now. Recorded in the inquiry's
    history; twice is once, and an inquiry without a photo has none to show."""
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if locked.photo and locked.photo_shown_to_returnees_at is None:
            locked.photo_shown_to_returnees_at = at
            attribute_change(
                locked, by=None, reason="The relative let caseworkers show the photo to returnees"
            )
            locked.save(update_fields=["photo_shown_to_returnees_at"])
    return locked


def consent_form_token(inquiry: Inquiry) -> str:
    """What the status page's button sends instead of the PIN: the relative opened the page
    with their reference and PIN less than an hour ago."""
    return signing.dumps(inquiry.pk, salt="inquiries.status.photo-consent")


def consent_form_inquiry(token: str) -> Inquiry | None:
    try:
        pk = signing.loads(
            token, salt="inquiries.status.photo-consent", max_age=CONSENT_FORM_MAX_AGE
        )
    except signing.BadSignature:
        return None
    return Inquiry.objects.filter(pk=pk).first() if isinstance(pk, int) else None
