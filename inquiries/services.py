"""Filing and following tracing inquiries."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from captives import wording
from captives.lifecycle import Status
from captives.matching import (
    Candidate,
    Entry,
    Outcome,
    Person,
    RegistryIndex,
    decide,
    name_book,
    search,
    split_full_name,
)
from captives.models import Captive, Detention, Provenance
from captives.places import record_detention
from captives.registry import registry_index
from captives.services import change_status
from config.errors import DomainError
from config.history import attribute_change
from exchanges.models import Transfer
from inquiries.models import Inquiry, Notification, Sighting
from inquiries.notifications import notify_relatives
from inquiries.pins import check_absent_pin, check_pin, hash_pin

# No 0/O, 1/I/L: relatives read the code aloud on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PIN_DIGITS = 6


@dataclass(frozen=True)
class Receipt:
    """What the relative is shown once, after filing: the PIN is never shown again."""

    inquiry: Inquiry
    pin: str


def _new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"HC-{body[:4]}-{body[4:]}"


def file_inquiry(*, inquiry: Inquiry, at: datetime, photo_to_returnees: bool = False) -> Receipt:
    """Save a relative's inquiry with a fresh reference code and a hashed PIN; with
    ``photo_to_returnees``, the relative's consent, given now, that caseworkers show its photo
    to returnees at debriefing."""
    from inquiries.tasks import rematch_on_commit  # the tasks import these services

    pin = "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))
    inquiry.pin_hash = hash_pin(pin)
    inquiry.consent_given_at = at
    inquiry.photo_shown_to_returnees_at = at if photo_to_returnees else None
    attribute_change(inquiry, by=None, reason="Filed by the relative")
    for _attempt in range(5):
        inquiry.reference = _new_reference()
        try:
            with transaction.atomic():
                inquiry.save()
                link_same_person(inquiry=inquiry, at=at)
                rematch_on_commit(inquiry_ids=[inquiry.pk])  # who in the registry fits?
        except IntegrityError:
            continue  # a reference collision: 31^8 makes a second one vanishingly rare
        return Receipt(inquiry=inquiry, pin=pin)
    raise RuntimeError("Could not allocate a unique inquiry reference")


def find_inquiry(*, reference: str, pin: str) -> Inquiry | None:
    """The inquiry for this reference and PIN, or None; both failures take the same work.

    The right PIN for a hash under an old key, or from before keyed hashes (PBKDF2), writes it
    again under the current key, with a history row saying so (the hash itself is kept out of
    the history). Two right lookups at once write the same hash.
    """
    pin = pin.strip()
    inquiry = Inquiry.objects.filter(reference=reference.strip().upper()).first()
    if inquiry is None:
        check_absent_pin(pin)
        return None
    checked = check_pin(pin, inquiry.pin_hash)
    if not checked.right:
        return None
    if checked.outdated:
        inquiry.pin_hash = hash_pin(pin)
        attribute_change(inquiry, by=None, reason="PIN hashed again under the current key")
        inquiry.save(update_fields=["pin_hash"])
    return inquiry


def public_state(inquiry: Inquiry) -> Inquiry.State:
    """What the relative may be told: nothing beyond “received” before their tie is verified."""
    return public_state_of(
        state=inquiry.state,
        verified=inquiry.verified_at is not None,
        disclosable=inquiry.disclosable,
    )


def public_state_of(*, state: str, verified: bool, disclosable: bool) -> Inquiry.State:
    """``public_state`` of an inquiry as it stood (a history row, say)."""
    if not verified:
        return Inquiry.State.RECEIVED
    if state == Inquiry.State.RETURNED and not disclosable:
        return Inquiry.State.NEWS
    return Inquiry.State(state)


def suggested_captives(inquiry: Inquiry, limit: int = 5) -> list[tuple[Captive, Candidate]]:
    """Registry people who may be the one sought, ranked by the reconciliation engine."""
    ranked = search(sought_entry(inquiry), registry_index(), limit)
    captives = Captive.objects.in_bulk([c.person_id for c in ranked])
    return [(captives[c.person_id], c) for c in ranked if c.person_id in captives]


def link_inquiry(*, inquiry: Inquiry, captive: Captive, by: User, at: datetime) -> Inquiry:
    """A caseworker confirmed that the person sought is this registry person.

    Every inquiry about the same person goes with it (the first one and those pointed at it,
    unless closed or linked by a caseworker to someone else), so that every relative is
    answered. An inquiry whose first one is linked to someone else leaves their group instead:
    the engine took them for one person, the caseworker knows better. If the person has come
    home already, the inquiries say so and their verified relatives are told, once.
    """
    with transaction.atomic():
        # The person first, as confirming a phase locks them before it marks their inquiries
        # returned: a return committed meanwhile is seen either here or by mark_returned.
        person = Captive.objects.select_for_update().get(pk=captive.pk)
        linked = _inquiries_to_link(inquiry, person)
        for each in linked:
            reason = f"Linked to {person.full_name}"
            if each.pk != inquiry.pk:
                reason += f" with {inquiry.reference} (same person)"
            each.captive = person
            if each.state != Inquiry.State.CLOSED:
                each.move_to(_state_for(person), at=at)
            attribute_change(each, by=by, reason=reason)
            each.save(update_fields=["captive", "state", "closed_at", "same_person_as"])
        if person.status == Status.RETURNED:
            notify_relatives(captive_ids=[person.pk], event=Notification.Event.RETURNED, at=at)
    return linked[0]


def _locked_group(inquiry: Inquiry) -> dict[int, Inquiry]:
    """This inquiry, the first of its same-person group and the others pointed at it, locked."""
    first_id = (
        Inquiry.objects.values_list("same_person_as_id", flat=True).get(pk=inquiry.pk) or inquiry.pk
    )
    return {
        each.pk: each
        for each in Inquiry.objects.select_for_update()
        .filter(Q(pk=inquiry.pk) | Q(pk=first_id) | Q(same_person_as_id=first_id))
        .order_by("pk")
    }


def _inquiries_to_link(inquiry: Inquiry, person: Captive) -> list[Inquiry]:
    """This inquiry, locked, then the others of its group that go with it (see link_inquiry)."""
    group = _locked_group(inquiry)
    this = group.pop(inquiry.pk)
    first = group.get(this.same_person_as_id) if this.same_person_as_id else this
    if first is None or (first is not this and first.captive_id not in (None, person.pk)):
        this.same_person_as = None
        return [this]
    followers = [
        each
        for each in group.values()
        if (each is first or each.same_person_as_id == first.pk)
        and each.state != Inquiry.State.CLOSED
        and each.captive_id in (None, first.captive_id)
    ]
    return [this, *followers]


def unlink_inquiry(*, inquiry: Inquiry, captive: Captive, by: User) -> list[Inquiry]:
    """A caseworker found that the person sought is not this registry person after all.

    The inquiry, and those of its same-person group that were linked to this person with it,
    are unlinked: each tells its relative what an unlinked inquiry tells ("received"), no
    longer lets a return be told by name (staff agreed to that for this person), and has a
    history row saying why. Returns them (none if the inquiry is not linked to this person).
    A closed inquiry is refused: its link is part of how it was closed. The group's closed
    inquiries keep theirs.
    """
    with transaction.atomic():
        # The person first, as linking and confirming a phase lock them.
        person = Captive.objects.select_for_update().get(pk=captive.pk)
        group = _locked_group(inquiry)
        this = group.pop(inquiry.pk)
        if this.captive_id != person.pk:
            return []
        if this.state == Inquiry.State.CLOSED:
            raise DomainError(
                _(
                    "Inquiry %(reference)s is closed, and its link to %(name)s is part of its "
                    "record: nothing was changed. If it seeks someone else, have an "
                    "administrator reopen it first."
                )
                % {"reference": this.reference, "name": person.full_name}
            )
        unlinked = [this] + [
            each
            for each in group.values()
            if each.captive_id == person.pk and each.state != Inquiry.State.CLOSED
        ]
        for each in unlinked:
            reason = f"Not {person.full_name}: unlinked"
            if each.pk != this.pk:
                reason += f" with {this.reference} (same person)"
            each.captive, each.state, each.disclosable = None, Inquiry.State.RECEIVED, False
            each.closed_at = None  # open again: no retention period runs
            attribute_change(each, by=by, reason=reason)
            each.save(update_fields=["captive", "state", "closed_at", "disclosable"])
    return unlinked


def _state_for(person: Captive) -> Inquiry.State:
    return (
        Inquiry.State.RETURNED if person.status == Status.RETURNED else Inquiry.State.BEING_TRACED
    )


def verify_relative(*, inquiry: Inquiry, method: str, by: User, at: datetime) -> Inquiry:
    """Record how the relative's tie was checked; only then may news go beyond "received"."""
    if not method.strip():
        raise DomainError(_("Say how the relationship was verified."))
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        locked.verified_at, locked.verified_by = at, by
        locked.verification_method = method.strip()[:300]
        attribute_change(locked, by=by, reason="Relationship verified")
        locked.save(update_fields=["verified_at", "verified_by", "verification_method"])
        if locked.state == Inquiry.State.RETURNED and locked.captive_id is not None:
            # The person came home before the tie was verified: the news this relative missed.
            notify_relatives(
                captive_ids=[locked.captive_id], event=Notification.Event.RETURNED, at=at
            )
    return locked


def allow_disclosure(*, inquiry: Inquiry, allowed: bool, by: User) -> Inquiry:
    """Staff agree (or withdraw) that a return may be told to this relative by name."""
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        locked.disclosable = allowed
        attribute_change(
            locked, by=by, reason="Disclosure allowed" if allowed else "Disclosure withdrawn"
        )
        locked.save(update_fields=["disclosable"])
    return locked


def link_same_person(*, inquiry: Inquiry, at: datetime) -> Inquiry | None:
    """Point a new inquiry at an earlier open one for the same person, as the engine judges it
    (the sought people of open inquiries are its registry here), and link it to the registry
    person the earlier one is linked to, if any. Returns the earlier one. (The relative hears
    nothing yet: news waits until their tie is verified.)"""
    earlier = list(
        Inquiry.objects.filter(same_person_as__isnull=True)
        .exclude(pk=inquiry.pk)
        .exclude(state=Inquiry.State.CLOSED)
    )
    if not earlier:
        return None
    index = RegistryIndex(as_person(other) for other in earlier)
    decision = decide(sought_entry(inquiry), index)
    if decision.outcome is not Outcome.MATCHED or decision.person_id is None:
        return None
    first = next(other for other in earlier if other.pk == decision.person_id)
    inquiry.same_person_as = first
    if first.captive_id is not None:
        # Locked as link_inquiry locks it: a return being confirmed at the same moment is
        # either seen here, or waits for this inquiry and then marks it returned.
        inquiry.captive = Captive.objects.select_for_update().get(pk=first.captive_id)
        inquiry.move_to(_state_for(inquiry.captive), at=at)
    attribute_change(inquiry, by=None, reason=f"Same person as {first.reference}")
    inquiry.save(update_fields=["same_person_as", "captive", "state", "closed_at"])
    return first


def as_person(inquiry: Inquiry) -> Person:
    family, given, patronymic = split_full_name(inquiry.sought_full_name, name_book())
    return Person(
        id=inquiry.pk,
        family_name=family,
        given_name=given,
        patronymic=patronymic,
        birth_date=inquiry.sought_birth_date,
        military_unit=inquiry.sought_military_unit,
        service_number=inquiry.sought_service_number,
        label=inquiry.reference,
    )


def sought_entry(inquiry: Inquiry) -> Entry:
    return Entry(
        line=0,
        full_name=inquiry.sought_full_name,
        birth_date=inquiry.sought_birth_date,
        military_unit=inquiry.sought_military_unit,
        service_number=inquiry.sought_service_number,
    )


def record_sighting(
    *, sighting: Sighting, by: User, reason: str = "Recorded at debriefing"
) -> Sighting:
    """Save what a returnee reported at debriefing (validated by its form)."""
    from inquiries.tasks import rematch_on_commit  # the tasks import these services

    sighting.recorded_by = by
    attribute_change(sighting, by=by, reason=reason)
    with transaction.atomic():
        sighting.save()
        rematch_on_commit(sighting_ids=[sighting.pk])  # whose family may it answer?
    return sighting


def sighting_suggestions(sighting: Sighting, limit: int = 5) -> list[tuple[Captive, Candidate]]:
    entry = Entry(line=0, full_name=sighting.seen_full_name)
    ranked = search(entry, registry_index(), limit)
    captives = Captive.objects.in_bulk([c.person_id for c in ranked])
    return [
        (captives[c.person_id], c)
        for c in ranked
        if c.person_id in captives and c.person_id != sighting.reporter_id
    ]


def confirm_sighting(*, sighting: Sighting, captive: Captive, by: User, at: datetime) -> Sighting:
    """The person seen is this registry person: link them; a missing person becomes a
    confirmed captive (with the sighting as the source); relatives who follow them hear of it."""
    with transaction.atomic():
        locked = Sighting.objects.select_for_update().get(pk=sighting.pk)
        if captive.pk == locked.reporter_id:
            raise DomainError(_("The returnee who reported cannot be the person they saw."))
        locked.seen_captive = captive
        attribute_change(locked, by=by, reason=f"Seen person is {captive.full_name}")
        locked.save(update_fields=["seen_captive"])
        if captive.status == Status.MISSING:
            source = Provenance.objects.create(
                kind=Provenance.Kind.SIGHTING,
                description=wording.SEEN_BY(
                    reporter=locked.reporter.full_name, facility=locked.facility or "?"
                )[:300],
                dated=locked.seen_on,
                recorded_by=by,
            )
            change_status(
                captive=captive,
                to=Status.CONFIRMED_CAPTIVE,
                by=by,
                reason=wording.SEEN_BY_A_RETURNEE(),
                provenance=source,
            )
        record_place_seen(sighting=locked, by=by)
        notify_relatives(captive_ids=[captive.pk], event=Notification.Event.SIGHTED, at=at)
    return locked


def record_place_seen(*, sighting: Sighting, by: User) -> Detention | None:
    """A sighting that names a known place and the registry person seen: a period of one day
    (the day seen, unknown if it was not said) at that place, its source the sighting."""
    if sighting.place is None or sighting.seen_captive is None:
        return None
    source = Provenance(
        kind=Provenance.Kind.SIGHTING,
        description=wording.SEEN_BY(
            reporter=sighting.reporter.full_name, facility=sighting.place.name
        )[:300],
        dated=sighting.seen_on,
        recorded_by=by,
    )
    return record_detention(
        captive=sighting.seen_captive,
        place=sighting.place,
        held_from=sighting.seen_on,
        held_until=sighting.seen_on,
        provenance=source,
        by=by,
    )


def mark_returned(*, captive_ids: list[int], by: User, at: datetime) -> int:
    """The people these inquiries seek came home: say so on each (with history), at once.
    Tracing under them has ended at ``at``: their retention period runs from it."""
    inquiries = list(
        Inquiry.objects.select_for_update()
        .filter(captive_id__in=captive_ids)
        .exclude(state__in=[Inquiry.State.CLOSED, Inquiry.State.RETURNED])
        .order_by("pk")
    )
    for inquiry in inquiries:
        inquiry.move_to(Inquiry.State.RETURNED, at=at)
    bulk_update_with_history(
        inquiries,
        Inquiry,
        ["state", "closed_at"],
        batch_size=500,
        default_user=by,
        default_change_reason="The person came home",
    )
    return len(inquiries)


def homecoming_of(inquiry: Inquiry) -> Transfer | None:
    """The confirmed transfer that brought the sought person home, if staff may say so."""
    if public_state(inquiry) != Inquiry.State.RETURNED or inquiry.captive_id is None:
        return None
    return return_of(inquiry.captive_id)


def return_of(captive_id: int) -> Transfer | None:
    """The confirmed transfer that brought this person home, with its phase and exchange (the
    day is the phase's handover day), for staff."""
    return (
        Transfer.objects.filter(captive_id=captive_id, state=Transfer.State.CONFIRMED)
        .select_related("phase__exchange")
        .first()
    )
