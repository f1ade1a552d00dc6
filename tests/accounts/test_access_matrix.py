"""Every role against every address: the allowed and the denied case share one setup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Place, PlaceKind
from exchanges.models import Outcome, Phase, ReleaseList, ReleaseListRow
from inquiries.models import Inquiry
from tests.factories import (
    client_in_session,
    make_captive,
    make_phase,
    make_user,
    signed_in_session,
)

R = Role
EVERYONE: frozenset[Role | None] = frozenset({*Role, None})
EXCHANGES = frozenset({R.OFFICIAL, R.REVIEWER, R.ADMINISTRATOR})
EDITORS = frozenset({R.OFFICIAL, R.ADMINISTRATOR})
REGISTRY = frozenset({R.OFFICIAL, R.REVIEWER, R.CASEWORKER, R.ADMINISTRATOR})
REVIEW = frozenset({R.OFFICIAL, R.REVIEWER, R.ADMINISTRATOR})
INQUIRIES = frozenset({R.CASEWORKER, R.ADMINISTRATOR})
EXPORTERS = frozenset({R.OFFICIAL, R.ADMINISTRATOR})  # personal data on paper: not reviewers
# Staff sessions read the API by role; a partner system reads it only with a token and its scopes.
API = REGISTRY

# (address template, roles allowed). Objects are filled in from the fixture below.
MATRIX: list[tuple[str, frozenset[Role | None]]] = [
    ("/accounts/login/", EVERYONE),
    ("/exchanges/", EXCHANGES),
    ("/exchanges/{exchange}/", EXCHANGES),
    ("/exchanges/new/", EDITORS),
    ("/exchanges/{exchange}/edit/", EDITORS),
    ("/exchanges/phases/{phase}/", EXCHANGES),
    ("/exchanges/{exchange}/phases/new/", EDITORS),
    ("/exchanges/phases/{phase}/edit/", EDITORS),
    ("/exchanges/phases/{completed}/protocol/", EXPORTERS),
    ("/exchanges/phases/{phase}/lists/new/", EDITORS),
    ("/exchanges/phases/{phase}/confirmation/propose/", EDITORS),
    ("/exchanges/lists/{list}/", EXCHANGES),
    ("/exchanges/lists/{list}/progress/", EXCHANGES),
    ("/registry/", REGISTRY),
    ("/registry/?q=Шевченко", REGISTRY),
    ("/registry/{captive}/", REGISTRY),
    ("/registry/{captive}/merge/", EDITORS),
    ("/registry/places/", REGISTRY),
    ("/registry/places/{place}/", REGISTRY),
    ("/registry/places/new/", EDITORS),
    ("/registry/places/{place}/edit/", EDITORS),
    ("/review/", REVIEW),
    ("/review/rows/{row}/", REVIEW),
    ("/inquiries/", INQUIRIES),
    ("/inquiries/{inquiry}/", INQUIRIES),
    ("/inquiries/sightings/new/", INQUIRIES),
    ("/inquiries/suggestions/", INQUIRIES),
    ("/inquiries/gallery/", INQUIRIES),
    ("/inquiries/gallery/{returnee}/", INQUIRIES),
    ("/inquiries/erasure-requests/", INQUIRIES),
    ("/inquiries/new/", EVERYONE),
    ("/inquiries/filed/", EVERYONE),
    ("/inquiries/status/", EVERYONE),
    ("/api/v1/", API),
    ("/api/v1/exchanges/", API),
    ("/api/v1/exchanges/{exchange}/", API),
    ("/api/v1/places/", API),
    ("/api/v1/places/{place}/", API),
    ("/api/v1/captives/{captive}/detentions/", API),
    ("/api/schema/", EVERYONE),
    ("/api/docs/", EVERYONE),
    ("/healthz", EVERYONE),
    ("/admin/", frozenset({R.ADMINISTRATOR})),
    ("/accounts/access-log/", frozenset({R.ADMINISTRATOR})),
    ("/accounts/access-log/?kind=inquiry&since=2026-01-01", frozenset({R.ADMINISTRATOR})),
    ("/admin/accounts/accesslogentry/", frozenset({R.ADMINISTRATOR})),
]
ROLES: list[Role | None] = [*Role, None]


@dataclass(frozen=True)
class World:
    objects: dict[str, str]  # what the addresses name
    sessions: dict[Role | None, str | None]  # each role's signed-in session; None: a visitor

    def client_for(self, role: Role | None) -> Client:
        return client_in_session(self.sessions[role])


@pytest.fixture(scope="module")
def module_world(module_transaction: None, django_db_blocker: Any) -> World:
    """The objects and a user of each role signed in, written once for the module's few hundred
    cases; each case's savepoint undoes what its request changed."""
    with django_db_blocker.unblock():
        sessions: dict[Role | None, str | None] = {
            role: signed_in_session(make_user(role)) for role in Role
        }
        sessions[None] = None
        return World(objects=make_objects(), sessions=sessions)


@pytest.fixture
def world(db: None, module_world: World) -> World:
    return module_world


def make_objects() -> dict[str, str]:
    phase = make_phase()
    completed = make_phase(phase.exchange, number=2, state=Phase.State.COMPLETED)
    release_list = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="a"
    )
    row = ReleaseListRow.objects.create(
        release_list=release_list, line_number=1, full_name="Шевченко Іван", outcome=Outcome.REVIEW
    )
    return {
        "exchange": str(phase.exchange.pk),
        "phase": str(phase.pk),
        "completed": str(completed.pk),
        "captive": str(make_captive().public_id),
        "returnee": str(make_captive(family_name="Лисенко", status=Status.RETURNED).public_id),
        "list": str(release_list.pk),
        "row": str(row.pk),
        "place": str(Place.objects.create(name="СІЗО-2", kind=PlaceKind.PRETRIAL).pk),
        "inquiry": Inquiry.objects.create(
            reference="HC-MTRX-0001",
            pin_hash="x",
            relative_name="M",
            relationship="mother",
            email="m@example.org",
            consent_given_at=timezone.now(),
            sought_full_name="Коваль Іван",
        ).reference,
    }


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize(("template", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_access_matrix(
    role: Role | None,
    template: str,
    allowed: frozenset[Role | None],
    world: World,
) -> None:
    url = template.format(**world.objects)
    posting = url.endswith(("/propose/", "/merge/"))  # actions: POST only, answered by a redirect
    client = world.client_for(role)
    response = client.post(url) if posting else client.get(url)

    if role in allowed:
        assert response.status_code == (302 if posting else 200)
        if posting:
            assert response["Location"].startswith(("/exchanges/phases/", "/registry/"))
    elif template.startswith("/api/v1/"):
        # No credentials: 401 (the API asks for a token); a session of the wrong role: 403.
        assert response.status_code == (401 if role is None else 403)
    elif role is None or template.startswith("/admin/"):
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "start"),
    [
        (R.OFFICIAL, "/exchanges/"),
        (R.ADMINISTRATOR, "/exchanges/"),
        (R.REVIEWER, "/review/"),
        (R.CASEWORKER, "/registry/"),
    ],
)
def test_staff_land_on_their_role_start_page(role: Role, start: str, world: World) -> None:
    response = world.client_for(role).get("/")
    assert response.status_code == 302
    assert response["Location"] == start


@pytest.mark.parametrize("role", [R.PARTNER, R.RELATIVE, None], ids=str)
def test_everyone_else_sees_the_page_for_families(role: Role | None, world: World) -> None:
    response = world.client_for(role).get("/")
    assert response.status_code == 200
    assert b"/inquiries/new/" in response.content
    assert b"/registry/" not in response.content


@pytest.mark.parametrize(
    "address", ["/accounts/password_reset/", "/accounts/reset/done/", "/accounts/password_change/"]
)
def test_no_page_sends_password_resets_or_changes_passwords_outside_the_admin(
    address: str,
) -> None:
    assert Client().get(address).status_code == 404
