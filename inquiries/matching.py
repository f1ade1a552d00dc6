"""Re-matching open inquiries against the registry as it grows, for caseworkers to decide."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts.models import User
from captives.matching import Entry, Memory, RegistryIndex, decide, fingerprint
from captives.models import Captive
from captives.registry import registry_index
from inquiries.models import Inquiry, Sighting, SightingLead, Suggestion
from inquiries.services import as_person, link_inquiry, sought_entry

# Below this the engine's posterior is noise for a caseworker's queue.
SUGGEST_FROM = 0.05


def rematch_open_inquiries(*, at: datetime) -> int:
    """Offer every open, unlinked inquiry its likely registry people; idempotent.

    A person a caseworker rejected for an inquiry is never offered again (the unique row
    remembers the rejection); an open suggestion is refreshed, not duplicated.
    """
    index = registry_index()
    offered = 0
    for inquiry in Inquiry.objects.filter(
        captive__isnull=True, same_person_as__isnull=True
    ).exclude(state=Inquiry.State.CLOSED):
        rejected = set(
            inquiry.suggestions.filter(state=Suggestion.State.REJECTED).values_list(
                "captive_id", flat=True
            )
        )
        memory = Memory(rejected=frozenset((_fingerprint(inquiry), pk) for pk in rejected))
        decision = decide(sought_entry(inquiry), index, memory)
        for candidate in decision.candidates:
            if candidate.probability < SUGGEST_FROM or candidate.person_id in rejected:
                continue
            facts = {
                "score": candidate.score,
                "probability": candidate.probability,
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


def match_sightings_to_inquiries() -> int:
    """Names returnees reported, against the names families seek (registered or not)."""
    inquiries = list(Inquiry.objects.exclude(state=Inquiry.State.CLOSED))
    if not inquiries:
        return 0
    index = RegistryIndex(as_person(inquiry) for inquiry in inquiries)
    found = 0
    for sighting in Sighting.objects.all():
        decision = decide(Entry(line=0, full_name=sighting.seen_full_name), index)
        for candidate in decision.candidates:
            if candidate.probability < SUGGEST_FROM:
                continue
            _, created = SightingLead.objects.get_or_create(
                inquiry_id=candidate.person_id,
                sighting=sighting,
                defaults={
                    "probability": candidate.probability,
                    "explanation": decision.explanation,
                },
            )
            found += created
    return found


def _fingerprint(inquiry: Inquiry) -> str:
    return fingerprint(sought_entry(inquiry))


def decide_suggestion(
    *, suggestion: Suggestion, confirmed: bool, by: User, at: datetime
) -> Suggestion:
    """A caseworker's answer: confirm links the inquiry; reject remembers the rejection."""
    with transaction.atomic():
        locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if locked.state != Suggestion.State.OPEN:
            return locked  # decided already, by someone else or by a second click
        locked.state = Suggestion.State.CONFIRMED if confirmed else Suggestion.State.REJECTED
        locked.save(update_fields=["state"])
        if confirmed:
            captive = Captive.objects.get(pk=locked.captive_id)
            link_inquiry(inquiry=locked.inquiry, captive=captive, by=by, at=at)
            locked.inquiry.suggestions.filter(state=Suggestion.State.OPEN).update(
                state=Suggestion.State.REJECTED
            )
    return locked
