"""The human part of the demo: relatives' inquiries, returnees' sightings, a list to review."""

from __future__ import annotations

import csv
import io
import random
from datetime import date

import icu  # type: ignore[import-untyped]  # PyICU ships no type information

from accounts.models import User
from captives.models import Captive
from config.history import attribute_change
from demo import names
from demo.people import ukrainian
from demo.seeding import at
from exchanges.models import Phase, ReleaseList
from exchanges.reconciliation import receive_release_list
from inquiries.models import Inquiry, Sighting
from inquiries.services import file_inquiry

FACILITIES = ("СІЗО-2 Таганрог", "ВК-10 Оленівка", "СІЗО-1 Курськ", "ВК-7 Горлівка")
RELATIVES = (("Марія", "mother"), ("Оксана", "wife"), ("Петро", "father"), ("Ірина", "sister"))


def inquiries(
    returned: list[Captive],
    listed: list[Captive],
    held: list[Captive],
    caseworker: User,
) -> None:
    """Inquiries in each state a relative can see: received, being traced, news, returned."""
    sought = [
        (returned[0], Inquiry.State.RETURNED, True),
        (returned[1], Inquiry.State.RETURNED, False),
        (listed[0], Inquiry.State.NEWS, True),
        (held[0], Inquiry.State.BEING_TRACED, True),
        (held[1], Inquiry.State.BEING_TRACED, True),
        (held[2], Inquiry.State.RECEIVED, False),
    ]
    for n, (captive, state, verified) in enumerate(sought):
        first, relationship = RELATIVES[n % len(RELATIVES)]
        inquiry = Inquiry(
            relative_name=f"{first} {captive.family_name}",
            relationship=relationship,
            email=f"relative{n + 1}@example.org",
            sought_full_name=captive.full_name,
            sought_birth_date=captive.birth_date,
            sought_military_unit=captive.military_unit,
        )
        file_inquiry(inquiry=inquiry, at=at(date(2025, 3, 1 + n)))
        # Saved, not updated in place: the demo's inquiries have history like real ones.
        inquiry.captive = captive
        inquiry.move_to(state, at=at(date(2025, 3, 10)))
        inquiry.disclosable = state == Inquiry.State.RETURNED
        inquiry.verified_at = at(date(2025, 3, 10)) if verified else None
        inquiry.verified_by = caseworker if verified else None
        inquiry.verification_method = "Birth certificate seen at the centre" if verified else ""
        attribute_change(inquiry, by=caseworker, reason="Traced by a caseworker, demo")
        inquiry.save(
            update_fields=[
                "captive",
                "state",
                "closed_at",
                "disclosable",
                "verified_at",
                "verified_by",
                "verification_method",
            ]
        )


def sightings(rng: random.Random, returned: list[Captive], held: list[Captive], by: User) -> None:
    for n, seen in enumerate(held[3:9]):
        Sighting.objects.create(
            reporter=returned[10 + n],
            seen_full_name=seen.full_name,
            seen_captive=seen,
            facility=rng.choice(FACILITIES),
            seen_on=date(2025, rng.randint(1, 4), rng.randint(1, 28)),
            condition=rng.choice(("Injured leg, walks", "Thin but well", "Sick, coughing")),
            recorded_by=by,
        )


def release_list(
    rng: random.Random, phase: Phase, listed: list[Captive], by: User, held: list[Captive]
) -> ReleaseList:
    """The other side's list for the next phase, written the way their clerks write: the people
    listed, six the registry does not know, and a seventh who shares a held man's given name,
    father's name, date of birth and unit under another surname (left unmatched, the man shown
    beside the row: a stranger, not him)."""
    latin = icu.Transliterator.createInstance("Ukrainian-Latin/BGN")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["№", "ФИО", "Дата рождения", "в/ч"])
    people = [
        (c.family_name, c.given_name, c.patronymic, c.birth_date, c.military_unit) for c in listed
    ]
    for _ in range(6):  # people the registry does not know
        p = ukrainian(rng, "serviceman")
        people.append((p.family_name, p.given_name, p.patronymic, p.birth_date, p.military_unit))
    alike = next(c for c in held if c.birth_date and c.military_unit and c.patronymic)
    stranger = ukrainian(rng, "serviceman").family_name
    people.append(
        (stranger, alike.given_name, alike.patronymic, alike.birth_date, alike.military_unit)
    )
    for n, (family, given, patronymic, born, unit) in enumerate(people, start=1):
        style = n % 3
        if style == 0:
            name = latin.transliterate(f"{family.upper()} {given} {patronymic}")
        elif style == 1:
            name = f"{family} {names.DEMO.russian(given)} {patronymic}"
        else:
            name = f"{given} {patronymic} {family}"
        written = f"{born:%d.%m.%Y}" if born and rng.random() < 0.9 else ""
        writer.writerow([n, name, written, unit])
    data = buffer.getvalue().encode("utf-8-sig")
    release_list, _created = receive_release_list(
        phase=phase,
        data=data,
        filename="список-84.csv",
        received_on=date(2025, 10, 6),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=by,
    )
    return release_list
