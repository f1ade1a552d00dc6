"""Every object view, asked for by each role that must not see it and by a stranger: refused,
and nothing changes. The allowed and the denied case share one setup, so a denial cannot pass
for the wrong reason (a missing object, a broken page)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.utils import timezone
from PIL import Image

from accounts import access
from accounts.roles import Role
from accounts.tokens import issue_token
from captives.lifecycle import Status
from captives.models import Captive, Detention, Place, PlaceKind
from exchanges.models import Outcome, Phase, ReleaseList, ReleaseListRow
from inquiries.gallery import tile_token
from inquiries.models import ErasureRequest, Inquiry, Sighting, Suggestion
from tests.factories import (
    client_in_session,
    make_captive,
    make_phase,
    make_user,
    signed_in_session,
)
from workflows.merging import merge_captives

ROLES: list[Role | None] = [*Role, None]
API_READERS = frozenset({*access.REGISTRY_SEARCHERS, Role.PARTNER})


@dataclass(frozen=True)
class Door:
    method: str
    address: str  # filled in from the world's object ids
    allowed: frozenset[Role]
    data: tuple[tuple[str, str], ...] = ()


DOORS: dict[str, Door] = {
    "exchange": Door("GET", "/exchanges/{exchange}/", access.EXCHANGE_READERS),
    "phase": Door("GET", "/exchanges/phases/{phase}/", access.EXCHANGE_READERS),
    "phase edit": Door("GET", "/exchanges/phases/{phase}/edit/", access.EXCHANGE_EDITORS),
    "phase edit post": Door(
        "POST", "/exchanges/phases/{phase}/edit/", access.EXCHANGE_EDITORS, (("place", "X"),)
    ),
    "phase approve": Door(
        "POST", "/exchanges/phases/{phase}/confirmation/approve/", access.EXCHANGE_EDITORS
    ),
    "list upload": Door("GET", "/exchanges/phases/{phase}/lists/new/", access.EXCHANGE_EDITORS),
    "list": Door("GET", "/exchanges/lists/{list}/", access.EXCHANGE_READERS),
    "list progress": Door("GET", "/exchanges/lists/{list}/progress/", access.EXCHANGE_READERS),
    "review row": Door("GET", "/review/rows/{row}/", access.LIST_REVIEWERS),
    "review row decision": Door(
        "POST",
        "/review/rows/{row}/",
        access.LIST_REVIEWERS,
        (("resolution", "not_ours"), ("version", "{row_version}")),
    ),
    "review row new captive": Door("GET", "/review/rows/{row}/new-captive/", access.LIST_REVIEWERS),
    "captive": Door("GET", "/registry/{captive}/", access.REGISTRY_SEARCHERS),
    "captive merge": Door(
        "POST",
        "/registry/{captive}/merge/",
        access.REGISTRY_EDITORS,
        (("duplicate", "{other}"), ("reason", "same person")),
    ),
    "merge undo": Door("POST", "/registry/merges/{merge}/undo/", access.REGISTRY_EDITORS),
    "place": Door("GET", "/registry/places/{place}/", access.REGISTRY_SEARCHERS),
    "place edit": Door(
        "POST",
        "/registry/places/{place}/edit/",
        access.REGISTRY_EDITORS,
        (("name", "ІК-77"), ("kind", "colony")),
    ),
    "icrc notification": Door(
        "POST",
        "/registry/{captive}/icrc/",
        access.REGISTRY_EDITORS,
        (("icrc-place", "{place}"), ("icrc-since", "2025-01-10")),
    ),
    "inquiry": Door("GET", "/inquiries/{inquiry}/", access.INQUIRY_HANDLERS),
    "inquiry disclosure": Door(
        "POST", "/inquiries/{inquiry}/", access.INQUIRY_HANDLERS, (("action", "disclose"),)
    ),
    "inquiry photo": Door("GET", "/inquiries/{inquiry}/photo/", access.INQUIRY_HANDLERS),
    "erasure request": Door("GET", "/inquiries/{erasable}/erasure/", access.INQUIRY_HANDLERS),
    "erasure confirmation": Door(
        "POST", "/inquiries/{erasable}/erasure/", access.INQUIRY_HANDLERS, (("action", "confirm"),)
    ),
    "erasure refusal": Door(
        "POST",
        "/inquiries/{erasable}/erasure/",
        access.INQUIRY_HANDLERS,
        (("action", "decline"), ("because", "An open legal case")),
    ),
    "access log": Door("GET", "/accounts/access-log/", access.ACCESS_LOG_READERS),
    "sighting": Door("GET", "/inquiries/sightings/{sighting}/", access.INQUIRY_HANDLERS),
    "sighting confirmation": Door(
        "POST",
        "/inquiries/sightings/{sighting}/",
        access.INQUIRY_HANDLERS,
        (("captive", "{captive}"),),
    ),
    "gallery": Door("GET", "/inquiries/gallery/{returnee}/", access.INQUIRY_HANDLERS),
    "gallery tile": Door("GET", "/inquiries/gallery/{returnee}/{tile}/", access.INQUIRY_HANDLERS),
    "gallery photo": Door(
        "GET", "/inquiries/gallery/{returnee}/{tile}/photo/", access.INQUIRY_HANDLERS
    ),
    "gallery sighting": Door(
        "POST",
        "/inquiries/gallery/{returnee}/{tile}/",
        access.INQUIRY_HANDLERS,
        (("place", "{place}"),),
    ),
    "suggestion decision": Door(
        "POST",
        "/inquiries/suggestions/",
        access.INQUIRY_HANDLERS,
        (("suggestion", "{suggestion}"), ("answer", "confirm")),
    ),
    "phase transfers export": Door(
        "GET", "/exchanges/phases/{phase}/transfers.csv", access.EXPORTERS
    ),
    "list rows export": Door("GET", "/exchanges/lists/{list}/rows.xlsx", access.EXPORTERS),
    "phase protocol": Door("GET", "/exchanges/phases/{completed}/protocol/", access.EXPORTERS),
    "api exchange": Door("GET", "/api/v1/exchanges/{exchange}/", API_READERS),
    "api phase transfers export": Door(
        "GET", "/api/v1/phases/{phase}/transfers.csv", access.EXPORTERS | {Role.PARTNER}
    ),
    # Only a partner token holding webhooks:manage, which none of these callers has.
    "api webhooks": Door("GET", "/api/v1/webhooks/", frozenset()),
    "api captives": Door("GET", "/api/v1/captives/", API_READERS),
    # registry:personal, which the partner's token here lacks.
    "api place": Door("GET", "/api/v1/places/{place}/", access.REGISTRY_SEARCHERS),
    "api detentions": Door(
        "GET", "/api/v1/captives/{captive}/detentions/", access.REGISTRY_SEARCHERS
    ),
}


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="JPEG")
    return out.getvalue()


@dataclass(frozen=True)
class World:
    ids: dict[str, str]  # the objects behind the doors
    sessions: dict[Role | None, str | None]  # each role's signed-in session; None: a visitor
    token: str  # a partner system's, with registry:read

    def client_for(self, role: Role | None) -> Client:
        """A fresh client of ``role``: the partner holds a token and no session (a token opens
        no page); the others, the session their member of staff signed in with."""
        if role == Role.PARTNER:
            return Client(HTTP_AUTHORIZATION=f"Bearer {self.token}")
        return client_in_session(self.sessions[role])


@pytest.fixture(scope="module")
def module_world(
    module_transaction: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The objects, a user of each role signed in, and a partner token, written once for the
    module's few hundred cases (each case's savepoint undoes what its request changed); the
    photo in a folder of the module's."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("idor-media")):
        with django_db_blocker.unblock():
            sessions: dict[Role | None, str | None] = {
                role: signed_in_session(make_user(role)) for role in Role
            }
            sessions[None] = None
            _, token = issue_token(partner_name="p", scopes=["registry:read"], now=timezone.now())
            world = World(ids=build_world(), sessions=sessions, token=token)
        yield world


@pytest.fixture
def world(db: None, module_world: World) -> World:
    return module_world


def build_world() -> dict[str, str]:
    official = make_user(Role.OFFICIAL)
    phase = make_phase()
    completed = make_phase(phase.exchange, number=2, state=Phase.State.COMPLETED)
    release_list = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="a"
    )
    row = ReleaseListRow.objects.create(
        release_list=release_list, line_number=1, full_name="Шевченко Іван", outcome=Outcome.REVIEW
    )
    captive = make_captive()
    kept, duplicate = make_captive(family_name="Коваль"), make_captive(family_name="Ковальь")
    merge = merge_captives(
        kept=kept, duplicate=duplicate, by=official, at=timezone.now(), reason="test"
    )
    inquiry = Inquiry.objects.create(
        reference="HC-IDOR-0001",
        pin_hash="x",
        relative_name="Марія Коваль",
        relationship="mother",
        email="m@example.org",
        consent_given_at=timezone.now(),
        sought_full_name="Коваль Іван",
    )
    inquiry.photo.save("photo.jpg", ContentFile(jpeg()), save=False)
    inquiry.photo_shown_to_returnees_at = timezone.now()  # in the debriefing gallery
    inquiry.save()
    # An inquiry of its own to erase: an erasure deletes the photo's file, which the rollback
    # after each case does not bring back, and the gallery's cases still show this one's.
    erasable = Inquiry.objects.create(
        reference="HC-IDOR-0002",
        pin_hash="x",
        relative_name="Ольга Гнатюк",
        relationship="sister",
        email="o@example.org",
        consent_given_at=timezone.now(),
        sought_full_name="Гнатюк Олег",
    )
    erasable.photo.save("photo.jpg", ContentFile(jpeg()))
    ErasureRequest.objects.create(inquiry=erasable, requested_at=timezone.now())
    returnee = make_captive(family_name="Лисенко", status=Status.RETURNED)
    sighting = Sighting.objects.create(
        reporter=make_captive(family_name="Гнатюк"), seen_full_name="Шевченко", recorded_by=official
    )
    suggestion = Suggestion.objects.create(
        inquiry=inquiry,
        captive=captive,
        score=1.0,
        probability=0.9,
        explanation="",
        created_at=timezone.now(),
    )
    return {
        "exchange": str(phase.exchange.pk),
        "phase": str(phase.pk),
        "completed": str(completed.pk),
        "list": str(release_list.pk),
        "row": str(row.pk),
        "row_version": str(getattr(row, "version", 0)),
        "captive": str(captive.public_id),
        "other": str(make_captive(family_name="Бондар").public_id),
        "merge": str(merge.pk),
        "inquiry": inquiry.reference,
        "erasable": erasable.reference,
        "sighting": str(sighting.pk),
        "suggestion": str(suggestion.pk),
        "returnee": str(returnee.public_id),
        "tile": tile_token(returnee, inquiry.pk),
        "place": str(Place.objects.create(name="ІК-10", kind=PlaceKind.COLONY).pk),
    }


def state() -> tuple[object, ...]:
    """What any of the doors could change."""
    return (
        list(Phase.objects.values_list("state", "place", "proposed_by")),
        list(ReleaseListRow.objects.values_list("resolution", "captive")),
        list(Captive.objects.values_list("merged_into", "status")),
        list(Inquiry.objects.values_list("disclosable", "captive", "email", "erased_at")),
        list(ErasureRequest.objects.values_list("state")),
        list(Sighting.objects.values_list("seen_captive")),
        list(Suggestion.objects.values_list("state")),
        Captive.history.count(),
        list(Place.objects.values_list("name", "kind")),
        Detention.objects.count(),
    )


def knock(client: Client, door: Door, ids: dict[str, str]) -> Any:
    url = door.address.format(**ids)
    if door.method == "GET":
        return client.get(url)
    return client.post(url, {name: value.format(**ids) for name, value in door.data})


def assert_refused(response: Any, door: Door, role: Role | None) -> None:
    if door.address.startswith("/api/"):
        assert response.status_code == (401 if role is None else 403)
    elif role in (None, Role.PARTNER):  # a token opens no page: the partner has no session
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("name", list(DOORS))
def test_each_object_view_opens_only_for_the_roles_the_access_functions_name(
    name: str,
    role: Role | None,
    world: World,
) -> None:
    door = DOORS[name]
    client = world.client_for(role)
    before = state()

    response = knock(client, door, world.ids)

    if role in door.allowed:
        if door.method == "GET":
            assert response.status_code == 200
        else:  # done, or the form again: either way the role got through
            assert response.status_code in (200, 302)
            assert "/accounts/login/" not in response.get("Location", "")
    else:
        assert_refused(response, door, role)
        assert state() == before


PROBES = [
    (name, role)
    for name in ("exchange", "list", "review row", "inquiry", "sighting", "phase protocol")
    for role in (Role.RELATIVE, Role.PARTNER, Role.CASEWORKER, Role.REVIEWER, None)
    if role not in DOORS[name].allowed
]


@pytest.mark.parametrize(
    ("name", "role"), PROBES, ids=[f"{n}-{r or 'anonymous'}" for n, r in PROBES]
)
def test_a_refusal_reads_the_same_whether_the_object_exists_or_not(
    name: str,
    role: Role | None,
    world: World,
) -> None:
    door = DOORS[name]
    missing = dict.fromkeys(world.ids, "999999") | {"inquiry": "HC-NONE-0000"}
    client = world.client_for(role)

    there, absent = knock(client, door, world.ids), knock(client, door, missing)

    assert there.status_code == absent.status_code
    assert there.get("Location", "").split("?")[0] == absent.get("Location", "").split("?")[0]


def test_a_relative_cannot_read_another_relatives_inquiry_with_their_own_pin(db: None) -> None:
    from inquiries.services import file_inquiry

    mine = file_inquiry(
        inquiry=Inquiry(
            relative_name="Ірина",
            relationship="wife",
            email="i@example.org",
            sought_full_name="Бондар Петро",
        ),
        at=timezone.now(),
    )
    theirs = file_inquiry(
        inquiry=Inquiry(
            relative_name="Марія",
            relationship="mother",
            email="m@example.org",
            sought_full_name="Коваль Іван",
        ),
        at=timezone.now(),
    )
    client = Client()

    own = client.post("/inquiries/status/", {"reference": mine.inquiry.reference, "pin": mine.pin})
    other = client.post(
        "/inquiries/status/", {"reference": theirs.inquiry.reference, "pin": mine.pin}
    )
    nobody = client.post("/inquiries/status/", {"reference": "HC-ZZZZ-ZZZZ", "pin": mine.pin})

    assert own.context["inquiry"] == mine.inquiry
    assert "inquiry" not in other.context
    assert other.status_code == nobody.status_code == 200
    assert other.context["not_found"]
    assert nobody.context["not_found"]


def test_a_partner_token_without_the_personal_scope_gets_no_personal_data(db: None) -> None:
    make_captive(family_name="Шевченко", birth_date=date(1990, 3, 14))
    _, raw = issue_token(partner_name="icrc", scopes=["registry:read"], now=timezone.now())

    response = Client().get("/api/v1/captives/", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 200
    assert response.json()["results"]
    assert "1990-03-14" not in response.content.decode()
