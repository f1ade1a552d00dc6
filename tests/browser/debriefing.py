"""A returnee's debriefing for the pages' tests: places he was held, people sought whose
relatives agreed to show their photo (drawn here with Pillow), one of them already recognised."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from captives.models import Captive, Detention, Place, PlaceKind
from inquiries.gallery import record_recognition, tile_token
from inquiries.models import Inquiry
from inquiries.services import file_inquiry, link_inquiry
from tests.factories import make_captive, make_provenance


def portrait(background: str, clothes: str) -> bytes:
    """A small JPEG: head and shoulders on a plain background, as a family photo is cropped."""
    image = Image.new("RGB", (240, 320), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 210, 220, 420), fill=clothes)  # shoulders
    draw.ellipse((75, 70, 165, 180), fill="#e0b899")  # face
    draw.pieslice((70, 60, 170, 150), 180, 360, fill="#4a3426")  # hair
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


@dataclass(frozen=True)
class Debriefing:
    gallery: str
    tile: str
    reference: str  # an inquiry whose relative agreed: its status page offers the withdrawal
    pin: str

    def consent_again(self) -> None:
        """The relative agrees again (each language and width withdraws it once)."""
        Inquiry.objects.filter(reference=self.reference).update(
            photo_shown_to_returnees_at=timezone.now()
        )

    def no_consent(self) -> None:
        """The relative has not agreed (each language and width gives it once)."""
        Inquiry.objects.filter(reference=self.reference).update(photo_shown_to_returnees_at=None)


def _stay(captive: Captive, place: Place, start: date | None, end: date | None) -> None:
    Detention.objects.create(
        captive=captive, place=place, held_from=start, held_until=end, provenance=make_provenance()
    )


def _file(name: str, colours: tuple[str, str], at: datetime) -> tuple[Inquiry, str]:
    inquiry = Inquiry(
        relative_name="Родич",
        relationship="мати",
        email="family@example.org",
        sought_full_name=name,
    )
    inquiry.photo.save("photo.jpg", ContentFile(portrait(*colours)), save=False)
    receipt = file_inquiry(inquiry=inquiry, at=at, photo_to_returnees=True)
    return receipt.inquiry, receipt.pin


def debriefing(*, returnee: Captive, caseworker: User, at: datetime) -> Debriefing:
    """Held at Olenivka in 2022 and at Taganrog after; three people held with him (one already
    recognised), two more whose relatives agreed."""
    # The places may be in the world already (the accessibility walk's trail names Taganrog).
    olenivka, _ = Place.objects.get_or_create(
        name="Оленівка", defaults={"name_as_written": "ИК-120 Еленовка", "kind": PlaceKind.COLONY}
    )
    taganrog, _ = Place.objects.get_or_create(
        name="СІЗО-2 Таганрог", defaults={"kind": PlaceKind.PRETRIAL}
    )
    _stay(returnee, olenivka, date(2022, 5, 1), date(2022, 9, 30))
    _stay(returnee, taganrog, date(2022, 10, 1), None)
    near = [
        ("Мельник Андрій Олегович", ("#c9d6df", "#2f4858"), olenivka, date(2022, 7, 1)),
        ("Савчук Олег Іванович", ("#e8e2d0", "#5b6c3a"), olenivka, None),
        ("Ткаченко Юрій Петрович", ("#d7e3d4", "#3d405b"), taganrog, date(2023, 2, 1)),
    ]
    first: tuple[Inquiry, str] | None = None
    for name, colours, place, start in near:
        family, given, patronymic = name.split()
        person = make_captive(family_name=family, given_name=given, patronymic=patronymic)
        _stay(person, place, start, None)
        inquiry, pin = _file(name, colours, at)
        link_inquiry(inquiry=inquiry, captive=person, by=caseworker, at=at)
        first = first or (inquiry, pin)
    for name, colours in (
        ("Бойко Василь", ("#f1e3e4", "#6d597a")),
        ("Лук'яненко Ігор", ("#dde5f0", "#7f5539")),
    ):
        _file(name, colours, at)
    assert first is not None
    recognised, pin = first
    record_recognition(
        returnee=returnee,
        inquiry=recognised,
        place=olenivka,
        seen_on=date(2022, 8, 14),
        condition="Худий, кашляв",
        by=caseworker,
    )
    gallery = reverse("inquiries:gallery", args=[returnee.public_id])
    second = Inquiry.objects.get(sought_full_name=near[1][0])
    tile = reverse(
        "inquiries:gallery-tile", args=[returnee.public_id, tile_token(returnee, second.pk)]
    )
    return Debriefing(gallery=gallery, tile=tile, reference=recognised.reference, pin=pin)
