"""Re-matching open inquiries against the registry as it grows, for caseworkers to decide."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from accounts.models import User
from captives.matching import Entry, Memory, RegistryIndex, decide, fingerprint, rank
from captives.models import Captive
from captives.registry import load_persons, registry_index
from inquiries.models import Inquiry, Notification, Sighting, SightingLead, Suggestion
from inquiries.services import as_person, link_inquiry, sought_entry, unlink_inquiry

# Below this the engine's posterior is noise for a caseworker's queue.
SUGGEST_FROM = 0.05


def rematch_open_inquiries(*, at: datetime) -> int:
    """Offer every open, unlinked inquiry its likely registry people; idempotent.

    A person a caseworker rejected for an inquiry is never offered again (the unique row
    remembers the rejection); an open suggestion is refreshed, not duplicated.
    """
    index = registry_index()
    return sum(_offer(inquiry, index, at) for inquiry in _unanswered())


def match_sightings_to_inquiries() -> int:
    """Names returnees reported, against the names families seek (registered or not)."""
    index = _sought_index()
    if index is None:
        return 0
    return sum(_lead(sighting, index) for sighting in Sighting.objects.all())


def match_changes(
    *,
    inquiry_ids: Collection[int] = (),
    sighting_ids: Collection[int] = (),
    captive_ids: Collection[int] = (),
    at: datetime,
) -> int:
    """Match only what a change added, as the full passes above would; idempotent.

    Steps: a new inquiry is offered its registry people; a new registry person, or a new
    spelling of one, is offered to the open inquiries that may seek them (those a registry of
    these people alone would answer), each decided against the whole registry as the full pass
    decides it; a new sighting is matched against the inquiries, and so is every sighting that
    may name a new inquiry. What this misses, the hourly full pass finds.
    """
    found = 0
    if inquiry_ids or captive_ids:
        found += _offer_to_new(inquiry_ids, captive_ids, at)
    if inquiry_ids or sighting_ids:
        found += _lead_to_new(inquiry_ids, sighting_ids)
    return found


def _offer_to_new(inquiry_ids: Collection[int], captive_ids: Collection[int], at: datetime) -> int:
    """Suggestions for the new inquiries, and for the open ones the new people may answer."""
    if captive_ids:
        new_people = RegistryIndex(load_persons(captive_ids))
        chosen = [
            inquiry
            for inquiry in _unanswered()
            if inquiry.pk in inquiry_ids or rank(sought_entry(inquiry), new_people)
        ]
    else:
        chosen = list(_unanswered().filter(pk__in=inquiry_ids))
    if not chosen:
        return 0
    registry = registry_index()
    return sum(_offer(inquiry, registry, at) for inquiry in chosen)


def _lead_to_new(inquiry_ids: Collection[int], sighting_ids: Collection[int]) -> int:
    """Leads from the new sightings, and from the sightings that may name a new inquiry."""
    if inquiry_ids:
        new_inquiries = RegistryIndex(
            as_person(i) for i in Inquiry.objects.filter(pk__in=inquiry_ids)
        )
        chosen = [
            sighting
            for sighting in Sighting.objects.all()
            if sighting.pk in sighting_ids or rank(_seen_entry(sighting), new_inquiries)
        ]
    else:
        chosen = list(Sighting.objects.filter(pk__in=sighting_ids))
    index = _sought_index() if chosen else None
    if index is None:
        return 0
    return sum(_lead(sighting, index) for sighting in chosen)


def _unanswered() -> QuerySet[Inquiry]:
    """Open inquiries nobody has linked to a registry person (a later one about the same person
    follows the first)."""
    return Inquiry.objects.filter(captive__isnull=True, same_person_as__isnull=True).exclude(
        state=Inquiry.State.CLOSED
    )


def _offer(inquiry: Inquiry, index: RegistryIndex, at: datetime) -> int:
    """Suggest to one inquiry the registry people the engine finds for it; the number new."""
    rejected = set(
        inquiry.suggestions.filter(state=Suggestion.State.REJECTED).values_list(
            "captive_id", flat=True
        )
    )
    memory = Memory(rejected=frozenset((_fingerprint(inquiry), pk) for pk in rejected))
    decision = decide(sought_entry(inquiry), index, memory)
    offered = 0
    for candidate in decision.candidates:
        if candidate.probability < SUGGEST_FROM or candidate.person_id in rejected:
            continue
        facts = {
            "score": candidate.score,
            "probability": candidate.probability,
            "agreements": [asdict(a) for a in candidate.agreements],
            "explanation": decision.explanation,
        }
        suggestion, created = Suggestion.objects.get_or_create(
            inquiry=inquiry,
            captive_id=candidate.person_id,
            defaults=facts | {"created_at": at},
        )
        if not created and suggestion.state == Suggestion.State.OPEN:
            Suggestion.objects.filter(pk=suggestion.pk).update(**facts)
        offered += created
    return offered


def _sought_index() -> RegistryIndex | None:
    """The people families seek, as the engine's registry: every inquiry not closed."""
    inquiries = list(Inquiry.objects.exclude(state=Inquiry.State.CLOSED))
    return RegistryIndex(as_person(inquiry) for inquiry in inquiries) if inquiries else None


def _seen_entry(sighting: Sighting) -> Entry:
    return Entry(line=0, full_name=sighting.seen_full_name)


def _lead(sighting: Sighting, index: RegistryIndex) -> int:
    """Record the inquiries whose sought person this sighting may name; the number new."""
    decision = decide(_seen_entry(sighting), index)
    found = 0
    for candidate in decision.candidates:
        if candidate.probability < SUGGEST_FROM:
            continue
        _, created = SightingLead.objects.get_or_create(
            inquiry_id=candidate.person_id,
            sighting=sighting,
            defaults={"probability": candidate.probability, "explanation": decision.explanation},
        )
        found += created
    return found


def _fingerprint(inquiry: Inquiry) -> str:
    return fingerprint(sought_entry(inquiry))


@dataclass(frozen=True)
class Answer:
    """A caseworker's answer to a suggestion, and what it undid: the inquiries no longer linked
    to the person, and those of them whose relatives were already sent news of that person."""

    suggestion: Suggestion
    unlinked: list[Inquiry] = field(default_factory=list)
    told: list[Inquiry] = field(default_factory=list)


def decide_suggestion(*, suggestion: Suggestion, confirmed: bool, by: User, at: datetime) -> Answer:
    """A caseworker's answer: confirm links the inquiry; reject remembers the rejection.

    Rejecting the person an inquiry is already linked to unlinks it, with the inquiries of its
    group linked with it (``unlink_inquiry``: or refuses, saying why, leaving all as it was),
    and remembers the rejection for each, so that none of them is offered that person again.
    """
    with transaction.atomic():
        locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if locked.state != Suggestion.State.OPEN:
            return Answer(locked)  # decided already, by someone else or by a second click
        locked.state = Suggestion.State.CONFIRMED if confirmed else Suggestion.State.REJECTED
        locked.save(update_fields=["state"])
        captive = Captive.objects.get(pk=locked.captive_id)
        if confirmed:
            link_inquiry(inquiry=locked.inquiry, captive=captive, by=by, at=at)
            locked.inquiry.suggestions.filter(state=Suggestion.State.OPEN).update(
                state=Suggestion.State.REJECTED
            )
            return Answer(locked)
        unlinked = unlink_inquiry(inquiry=locked.inquiry, captive=captive, by=by)
        _remember_rejection(locked, [each for each in unlinked if each.pk != locked.inquiry_id])
        told = set(
            Notification.objects.filter(
                inquiry__in=unlinked, captive=captive, state=Notification.State.SENT
            ).values_list("inquiry_id", flat=True)
        )
        return Answer(locked, unlinked, [each for each in unlinked if each.pk in told])


def _remember_rejection(rejected: Suggestion, others: list[Inquiry]) -> None:
    """The other inquiries unlinked with this one are never offered the person again either."""
    for inquiry in others:
        remembered, created = Suggestion.objects.get_or_create(
            inquiry=inquiry,
            captive_id=rejected.captive_id,
            defaults={
                "score": rejected.score,
                "probability": rejected.probability,
                "agreements": rejected.agreements,
                "explanation": rejected.explanation,
                "state": Suggestion.State.REJECTED,
                "created_at": rejected.created_at,
            },
        )
        if not created and remembered.state != Suggestion.State.REJECTED:
            remembered.state = Suggestion.State.REJECTED
            remembered.save(update_fields=["state"])
