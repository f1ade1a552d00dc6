"""The debriefing gallery: which photos a returnee is shown, what a tile says, who may open it,
what is logged, and the sighting a tile records."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings

from accounts.models import AccessLogEntry, User
from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive, Detention, Place, PlaceKind
from inquiries.gallery import Period, gallery_of, overlaps, tile_token
from inquiries.matching import match_changes
from inquiries.models import Inquiry, Notification, Sighting, SightingLead
from tests.factories import make_captive, make_provenance, make_user, sign_in

D = date


@pytest.mark.parametrize(
    ("mine", "theirs", "expected"),
    [
        ((1, D(2022, 5, 1), D(2022, 9, 30)), (1, D(2022, 8, 1), D(2023, 1, 1)), True),
        ((1, D(2022, 5, 1), D(2022, 9, 30)), (1, D(2022, 9, 30), None), True),  # one day shared
        ((1, D(2022, 5, 1), D(2022, 9, 30)), (1, D(2022, 10, 1), None), False),  # came after
        ((1, D(2022, 5, 1), D(2022, 9, 30)), (1, None, D(2022, 4, 30)), False),  # left before
        ((1, D(2022, 5, 1), D(2022, 9, 30)), (1, None, None), True),  # nothing known: open
        ((1, None, None), (1, D(2020, 1, 1), D(2020, 1, 1)), True),
        ((1, D(2022, 5, 1), None), (1, None, D(2022, 5, 1)), True),
        ((1, D(2022, 5, 1), D(2022, 9, 30)), (2, D(2022, 5, 1), D(2022, 9, 30)), False),
    ],
    ids=["overlap", "same-day", "after", "before", "open", "open-mine", "open-ends", "elsewhere"],
)
def test_stays_overlap_at_the_same_place_unless_one_ends_before_the_other_begins(
    mine: tuple[int, date | None, date | None],
    theirs: tuple[int, date | None, date | None],
    expected: bool,
) -> None:
    assert overlaps(Period(*mine), Period(*theirs)) is expected
    assert overlaps(Period(*theirs), Period(*mine)) is expected


def jpeg(colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 40), colour).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def private_media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def held(captive: Captive, place: Place, start: date | None, end: date | None) -> Detention:
    return Detention.objects.create(
        captive=captive, place=place, held_from=start, held_until=end, provenance=make_provenance()
    )


def sought(
    name: str,
    *,
    captive: Captive | None = None,
    shown: bool = True,
    state: Inquiry.State = Inquiry.State.BEING_TRACED,
) -> Inquiry:
    """An inquiry with a photo, whose relative agreed (or not) to show it to returnees."""
    inquiry = Inquiry(
        reference=f"HC-{abs(hash(name)) % 10**8:08d}",
        pin_hash="x",
        relative_name=f"Родич-{name}",
        relationship="мати",
        email=f"{len(name)}-relative@example.org",
        phone="+380501112233",
        consent_given_at=timezone.now(),
        sought_full_name=name,
        distinguishing_details="шрам на лівій руці",
        captive=captive,
        state=state,
    )
    inquiry.photo.save("photo.jpg", ContentFile(jpeg()), save=False)
    inquiry.photo_shown_to_returnees_at = timezone.now() if shown else None
    inquiry.save()
    return inquiry


@pytest.fixture
def places(db: None) -> dict[str, Place]:
    return {
        "olenivka": Place.objects.create(name="Оленівка", kind=PlaceKind.COLONY),
        "taganrog": Place.objects.create(name="СІЗО-2 Таганрог", kind=PlaceKind.PRETRIAL),
    }


@pytest.fixture
def returnee(places: dict[str, Place]) -> Captive:
    person = make_captive(family_name="Лисенко", given_name="Петро", status=Status.RETURNED)
    held(person, places["olenivka"], D(2022, 5, 1), D(2022, 9, 30))
    return person


def _person(family_name: str, place: Place, start: date | None, end: date | None) -> Captive:
    person = make_captive(family_name=family_name, given_name="Іван")
    held(person, place, start, end)
    return person


def test_those_held_at_the_same_place_at_an_overlapping_time_come_first(
    returnee: Captive, places: dict[str, Place]
) -> None:
    olenivka, taganrog = places["olenivka"], places["taganrog"]
    overlap = sought("Бондар Іван", captive=_person("Бондар", olenivka, D(2022, 8, 1), None))
    after = sought("Коваль Іван", captive=_person("Коваль", olenivka, D(2022, 10, 1), None))
    unknown = sought("Мельник Іван", captive=_person("Мельник", olenivka, None, None))
    elsewhere = sought("Кравець Іван", captive=_person("Кравець", taganrog, D(2022, 6, 1), None))
    unlinked = sought("Гнатюк Дмитро")

    shown = gallery_of(returnee)

    [group] = shown.near
    assert group.period.place == olenivka
    assert [t.inquiry_id for t in group.tiles] == [overlap.pk, unknown.pk]
    assert [t.place for t in group.tiles] == [olenivka, olenivka]
    assert [t.inquiry_id for t in shown.others] == [after.pk, elsewhere.pk, unlinked.pk]
    assert [t.number for t in [*group.tiles, *shown.others]] == [1, 2, 3, 4, 5]


def test_the_gallery_leaves_out_photos_without_consent_and_people_no_longer_sought(
    returnee: Captive, places: dict[str, Place]
) -> None:
    olenivka = places["olenivka"]
    shown = sought("Бондар Іван", captive=_person("Бондар", olenivka, None, None))
    sought("Коваль Іван", captive=_person("Коваль", olenivka, None, None), shown=False)
    sought("Мельник Іван", state=Inquiry.State.CLOSED)
    sought("Кравець Іван", state=Inquiry.State.RETURNED)
    home = make_captive(family_name="Савчук", status=Status.RELEASED_OTHERWISE)
    sought("Савчук Олександр", captive=home)
    sought(returnee.full_name, captive=returnee)  # his own family's photo of him

    gallery = gallery_of(returnee)

    tiles = [t for g in gallery.near for t in g.tiles] + gallery.others
    assert [t.inquiry_id for t in tiles] == [shown.pk]


@pytest.fixture
def caseworker(db: None) -> User:
    return make_user(Role.CASEWORKER)


def _client(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_a_tile_shows_a_photo_and_its_number_and_nothing_of_the_relative_or_the_name_sought(
    returnee: Captive, places: dict[str, Place], caseworker: User
) -> None:
    near = sought("Бондар Іван", captive=_person("Бондар", places["olenivka"], None, None))
    other = sought("Гнатюк Дмитро")
    url = f"/inquiries/gallery/{returnee.public_id}/"

    page = _client(caseworker).get(url + "?everyone=1").content.decode()

    assert page.count('<img src="/inquiries/gallery/') == 2
    assert "Фото 1" in page
    assert "Фото 2" in page
    for inquiry in (near, other):
        for value in (
            inquiry.reference,
            inquiry.relative_name,
            inquiry.email,
            "501112233",
            inquiry.sought_full_name,
            "Бондар",  # the name sought, or the registry's, in any form
            inquiry.distinguishing_details,
            inquiry.relationship,
        ):
            assert value not in re.sub(r'href="[^"]*"|src="[^"]*"', "", page)
    assert "Оленівка" in page  # the returnee's own stay heads the photos held there


def test_the_others_are_shown_only_on_request(
    returnee: Captive, places: dict[str, Place], caseworker: User
) -> None:
    sought("Бондар Іван", captive=_person("Бондар", places["olenivka"], None, None))
    sought("Гнатюк Дмитро")
    client = _client(caseworker)
    url = f"/inquiries/gallery/{returnee.public_id}/"

    narrowed, everyone = client.get(url).content.decode(), client.get(url + "?everyone=1")

    assert narrowed.count("<img ") == 1
    assert "?everyone=1" in narrowed
    assert everyone.content.decode().count("<img ") == 2


def test_every_gallery_opened_and_every_photo_served_is_logged_and_never_kept_by_a_cache(
    returnee: Captive, caseworker: User
) -> None:
    inquiry = sought("Гнатюк Дмитро")
    client = _client(caseworker)

    page = client.get(f"/inquiries/gallery/{returnee.public_id}/?everyone=1")
    [photo_url] = re.findall(r'<img src="([^"]+)"', page.content.decode())
    photo = client.get(photo_url)

    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content) == inquiry.photo.open("rb").read()  # type: ignore[attr-defined]
    for response in (page, photo):
        cache = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache
    logged = list(AccessLogEntry.objects.order_by("pk").values_list("user", "kind", "object_ref"))
    assert logged == [
        (caseworker.pk, AccessLogEntry.Kind.GALLERY, f"captive:{returnee.public_id}"),
        # The name the inquiry's own page gives the same photo: one filter finds both.
        (caseworker.pk, AccessLogEntry.Kind.PHOTO, f"inquiry:{inquiry.reference}:photo"),
    ]


def test_a_tile_of_one_returnees_gallery_opens_nothing_in_anothers(
    returnee: Captive, caseworker: User
) -> None:
    inquiry = sought("Гнатюк Дмитро")
    other = make_captive(family_name="Ткаченко", status=Status.RETURNED)
    token = tile_token(returnee, inquiry.pk)
    client = _client(caseworker)

    own = client.get(f"/inquiries/gallery/{returnee.public_id}/{token}/photo/")
    theirs = client.get(f"/inquiries/gallery/{other.public_id}/{token}/photo/")
    forged = client.get(f"/inquiries/gallery/{returnee.public_id}/{inquiry.pk}/photo/")

    assert own.status_code == 200
    assert theirs.status_code == forged.status_code == 404
    assert AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.PHOTO).count() == 1


def test_the_gallery_is_for_people_who_came_home(caseworker: User) -> None:
    still_held = make_captive(family_name="Ткаченко", status=Status.CONFIRMED_CAPTIVE)
    client = _client(caseworker)

    page = client.get(f"/inquiries/gallery/{still_held.public_id}/")
    entry = client.get("/inquiries/gallery/", {"returnee": str(still_held.public_id)})

    assert page.status_code == 404
    assert entry.status_code == 200
    assert "returnee" in entry.context["form"].errors
    assert not AccessLogEntry.objects.exists()


def test_the_entry_form_opens_the_gallery_of_the_returnee_named(
    returnee: Captive, caseworker: User
) -> None:
    response = _client(caseworker).get("/inquiries/gallery/", {"returnee": str(returnee.public_id)})

    assert response.status_code == 302
    assert response["Location"] == f"/inquiries/gallery/{returnee.public_id}/"


def _tile_url(client: Client, returnee: Captive, query: str = "") -> str:
    page = client.get(f"/inquiries/gallery/{returnee.public_id}/{query}").content.decode()
    [url] = re.findall(r'<a href="(/inquiries/gallery/[^"]+/)"><img', page)
    return str(url)


def test_a_sighting_from_a_tile_is_queued_for_that_inquiry_whatever_the_names_say(
    returnee: Captive, places: dict[str, Place], caseworker: User
) -> None:
    olenivka = places["olenivka"]
    # The registry spells him otherwise than his mother did: the photo is the identification.
    inquiry = sought("Dmytro Hnatiuk", captive=_person("Бондар", olenivka, D(2022, 7, 1), None))
    client = _client(caseworker)
    tile = _tile_url(client, returnee)
    form = client.get(tile)

    response = client.post(
        tile, {"place": olenivka.pk, "seen_on": "2022-08-14", "condition": "Худий, кашляв"}
    )

    assert form.context["form"].initial["place"] == olenivka  # the place they shared
    assert response.status_code == 302
    assert response["Location"] == f"/inquiries/gallery/{returnee.public_id}/#tile-1"
    sighting = Sighting.objects.get()
    assert (sighting.reporter, sighting.place) == (returnee, olenivka)
    assert sighting.facility == "Оленівка"
    assert (sighting.seen_on, sighting.condition) == (D(2022, 8, 14), "Худий, кашляв")
    assert (sighting.recognised_from, sighting.seen_captive) == (inquiry, None)
    assert sighting.recorded_by == caseworker
    lead = SightingLead.objects.get()
    assert (lead.inquiry, lead.sighting, lead.probability) == (inquiry, sighting, 1.0)
    assert sighting.history.get().history_change_reason.startswith("Recognised from")
    # The matching after commit finds the lead made, and makes it no twice.
    match_changes(sighting_ids={sighting.pk}, at=timezone.now())
    assert SightingLead.objects.filter(inquiry=inquiry).count() == 1
    # As any sighting: nothing for families until a caseworker confirms who was seen.
    assert not Notification.objects.exists()
    page = client.get(f"/inquiries/gallery/{returnee.public_id}/").content.decode()
    assert f'href="/inquiries/sightings/{sighting.pk}/"' in page


def test_a_tile_whose_photo_was_withdrawn_meanwhile_records_nothing(
    returnee: Captive, caseworker: User, places: dict[str, Place]
) -> None:
    inquiry = sought("Гнатюк Дмитро")
    client = _client(caseworker)
    tile = _tile_url(client, returnee, "?everyone=1")
    Inquiry.objects.filter(pk=inquiry.pk).update(photo_shown_to_returnees_at=None)

    response = client.post(tile, {"place": places["olenivka"].pk}, follow=True)
    photo = client.get(tile + "photo/")

    assert response.redirect_chain[0][0] == f"/inquiries/gallery/{returnee.public_id}/"
    assert "більше не показують" in response.content.decode()
    assert photo.status_code == 404
    assert not Sighting.objects.exists()


def test_a_tile_needs_a_place_and_no_day_to_come(
    returnee: Captive, caseworker: User, places: dict[str, Place]
) -> None:
    sought("Гнатюк Дмитро")
    client = _client(caseworker)
    tile = _tile_url(client, returnee, "?everyone=1")

    response = client.post(tile, {"place": "", "seen_on": "2999-01-01"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"place", "seen_on"}
    assert not Sighting.objects.exists()


GALLERY_PAGES = ["start", "gallery", "tile", "photo"]


@pytest.mark.parametrize("role", [*Role, None], ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("name", GALLERY_PAGES)
def test_only_caseworkers_and_administrators_open_the_gallery(
    name: str,
    role: Role | None,
    returnee: Captive,
    users_by_role: dict[Role | None, User | None],
) -> None:
    inquiry = sought("Гнатюк Дмитро")
    token = tile_token(returnee, inquiry.pk)
    base = f"/inquiries/gallery/{returnee.public_id}/"
    url = {
        "start": "/inquiries/gallery/",
        "gallery": base,
        "tile": f"{base}{token}/",
        "photo": f"{base}{token}/photo/",
    }[name]
    client = Client()
    user = users_by_role[role]
    if user is not None:
        sign_in(client, user)

    response: Any = client.get(url)

    if role in (Role.CASEWORKER, Role.ADMINISTRATOR):
        assert response.status_code == 200
    elif role is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403
    allowed = role in (Role.CASEWORKER, Role.ADMINISTRATOR) and name in ("gallery", "photo")
    assert AccessLogEntry.objects.exists() is allowed


@pytest.mark.parametrize(("role", "offered"), [(Role.CASEWORKER, True), (Role.OFFICIAL, False)])
def test_a_returnees_registry_page_leads_caseworkers_to_the_gallery(
    role: Role, offered: bool, returnee: Captive
) -> None:
    still_held = make_captive(family_name="Ткаченко")
    client = _client(make_user(role))
    gallery = f'href="/inquiries/gallery/{returnee.public_id}/"'

    home = client.get(f"/registry/{returnee.public_id}/").content.decode()
    held_page = client.get(f"/registry/{still_held.public_id}/").content.decode()

    assert (gallery in home) is offered
    assert "/inquiries/gallery/" not in held_page
