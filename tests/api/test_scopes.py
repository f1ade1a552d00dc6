"""The scope × endpoint matrix: each endpoint with its scope, and without it (a token holding
every other scope, of the same partner, on the same records)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.utils import timezone

from accounts.models import PartnerToken, User
from accounts.tokens import SCOPES
from captives.models import Place, PlaceKind
from exchanges.models import ReleaseList, Transfer
from exchanges.reconciliation import receive_release_list
from exchanges.services import list_for_phase
from inquiries.intake import file_partner_inquiry
from inquiries.models import Inquiry, Sighting
from inquiries.services import record_sighting
from tests.api.conftest import Partner
from tests.factories import make_captive, make_exchange, make_phase, make_provenance
from webhooks.models import AllowedHost, Endpoint
from webhooks.signing import new_secret

pytestmark = pytest.mark.django_db

LIST_FILE = "ПІБ,Дата народження\nШевченко Олександр Петрович,14.03.1990\n".encode()


@dataclass
class Records:
    captive_id: str
    exchange: int
    phase: int
    transfer: int
    release_list: int
    inquiry: str
    sighting: int
    webhook: int
    place: int


def seed(partner: User) -> Records:
    exchange = make_exchange()
    phase = make_phase(exchange)
    captive = make_captive()
    returnee = make_captive(family_name="Коваленко", given_name="Іван")
    transfer: Transfer = list_for_phase(
        phase=phase, captive=captive, by=None, provenance=make_provenance()
    )
    release_list, _ = receive_release_list(
        phase=phase,
        data=LIST_FILE,
        filename="list.csv",
        received_on=date(2025, 5, 20),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=partner,
        partner=partner,
    )
    inquiry = Inquiry(
        relative_name="Марія Шевченко",
        relationship="mother",
        email="m@example.org",
        sought_full_name="Шевченко Олександр Петрович",
    )
    receipt = file_partner_inquiry(inquiry=inquiry, partner=partner, at=timezone.now())
    sighting = record_sighting(
        sighting=Sighting(reporter=returnee, seen_full_name="Шевченко Олександр"), by=partner
    )
    AllowedHost.objects.create(host="hooks.ministry.example")
    # Made directly: registering checks the token's scopes, and this token may lack any one.
    webhook = Endpoint.objects.create(
        partner=partner,
        token=PartnerToken.objects.get(partner=partner),
        url="https://hooks.ministry.example/in",
        events=["captive.returned"],
        secret=new_secret(),
    )
    return Records(
        captive_id=str(captive.public_id),
        exchange=exchange.pk,
        phase=phase.pk,
        transfer=transfer.pk,
        release_list=release_list.pk,
        inquiry=receipt.inquiry.reference,
        sighting=sighting.pk,
        webhook=webhook.pk,
        place=Place.objects.create(name="ІК-1 Горлівка", kind=PlaceKind.COLONY).pk,
    )


Call = Callable[[Partner, Records], Any]
ENDPOINTS: list[tuple[str, str, int, Call]] = [
    ("captive-list", "registry:read", 200, lambda p, r: p.get("/api/v1/captives/")),
    (
        "captive-detail",
        "registry:read",
        200,
        lambda p, r: p.get(f"/api/v1/captives/{r.captive_id}/"),
    ),
    ("place-list", "registry:personal", 200, lambda p, r: p.get("/api/v1/places/")),
    ("place-detail", "registry:personal", 200, lambda p, r: p.get(f"/api/v1/places/{r.place}/")),
    (
        "captive-detentions",
        "registry:personal",
        200,
        lambda p, r: p.get(f"/api/v1/captives/{r.captive_id}/detentions/"),
    ),
    ("exchange-list", "registry:read", 200, lambda p, r: p.get("/api/v1/exchanges/")),
    (
        "exchange-detail",
        "registry:read",
        200,
        lambda p, r: p.get(f"/api/v1/exchanges/{r.exchange}/"),
    ),
    ("phase-list", "registry:read", 200, lambda p, r: p.get("/api/v1/phases/")),
    ("phase-detail", "registry:read", 200, lambda p, r: p.get(f"/api/v1/phases/{r.phase}/")),
    (
        "phase-create",
        "phases:write",
        201,
        lambda p, r: p.post(
            "/api/v1/phases/", {"exchange": r.exchange, "number": 2, "date": "2025-06-01"}
        ),
    ),
    (
        "phase-update",
        "phases:write",
        200,
        lambda p, r: p.patch(f"/api/v1/phases/{r.phase}/", {"place": "Sumy region"}),
    ),
    ("transfer-list", "registry:read", 200, lambda p, r: p.get("/api/v1/transfers/")),
    (
        "transfer-detail",
        "registry:read",
        200,
        lambda p, r: p.get(f"/api/v1/transfers/{r.transfer}/"),
    ),
    (
        "release-list-submit",
        "lists:submit",
        202,
        lambda p, r: p.post(
            f"/api/v1/phases/{r.phase}/release-lists/",
            {"received_on": "2025-05-21", "rows": [{"full_name": "Бондар Петро Іванович"}]},
        ),
    ),
    ("release-list-list", "lists:submit", 200, lambda p, r: p.get("/api/v1/release-lists/")),
    (
        "release-list-detail",
        "lists:submit",
        200,
        lambda p, r: p.get(f"/api/v1/release-lists/{r.release_list}/"),
    ),
    (
        "release-list-rows",
        "lists:submit",
        200,
        lambda p, r: p.get(f"/api/v1/release-lists/{r.release_list}/rows/"),
    ),
    (
        "inquiry-create",
        "inquiries:write",
        201,
        lambda p, r: p.post(
            "/api/v1/inquiries/",
            {
                "relative_name": "Ольга Бондар",
                "relationship": "wife",
                "phone": "+380501112233",
                "sought_full_name": "Бондар Петро Іванович",
                "consent": True,
            },
        ),
    ),
    ("inquiry-list", "inquiries:write", 200, lambda p, r: p.get("/api/v1/inquiries/")),
    (
        "inquiry-detail",
        "inquiries:write",
        200,
        lambda p, r: p.get(f"/api/v1/inquiries/{r.inquiry}/"),
    ),
    (
        "sighting-create",
        "sightings:write",
        201,
        lambda p, r: p.post(
            "/api/v1/sightings/",
            {"reporter": r.captive_id, "seen_full_name": "Бондар Петро", "facility": "SIZO-2"},
        ),
    ),
    ("sighting-list", "sightings:write", 200, lambda p, r: p.get("/api/v1/sightings/")),
    (
        "sighting-detail",
        "sightings:write",
        200,
        lambda p, r: p.get(f"/api/v1/sightings/{r.sighting}/"),
    ),
    (
        "webhook-create",
        "webhooks:manage",
        201,
        lambda p, r: p.post(
            "/api/v1/webhooks/",
            {"url": "https://hooks.ministry.example/more", "events": ["phase.completed"]},
        ),
    ),
    ("webhook-list", "webhooks:manage", 200, lambda p, r: p.get("/api/v1/webhooks/")),
    (
        "webhook-detail",
        "webhooks:manage",
        200,
        lambda p, r: p.get(f"/api/v1/webhooks/{r.webhook}/"),
    ),
    (
        "webhook-delete",
        "webhooks:manage",
        204,
        lambda p, r: p.client.delete(f"/api/v1/webhooks/{r.webhook}/"),
    ),
    (
        "phase-transfers-export",
        "registry:read",
        200,
        lambda p, r: p.get(f"/api/v1/phases/{r.phase}/transfers.csv"),
    ),
    (
        "release-list-rows-export",
        "lists:submit",
        200,
        lambda p, r: p.get(f"/api/v1/release-lists/{r.release_list}/rows.xlsx"),
    ),
]


@pytest.mark.parametrize("allowed", [True, False], ids=["with-scope", "without-scope"])
@pytest.mark.parametrize(
    ("scope", "expected", "call"),
    [pytest.param(s, e, c, id=name) for name, s, e, c in ENDPOINTS],
)
def test_scope_matrix(scope: str, expected: int, call: Call, allowed: bool) -> None:
    scopes = SCOPES if allowed else SCOPES - {scope}
    caller = Partner("ministry", scopes)
    records = seed(caller.token.partner)

    response = call(caller, records)

    assert response.status_code == (expected if allowed else 403), response.content


def test_the_matrix_covers_every_endpoint_of_the_schema() -> None:
    schema = yaml.safe_load((Path(__file__).parents[2] / "docs" / "openapi.yaml").read_text())
    operations = sum(len(methods) for methods in schema["paths"].values())

    assert operations == len(ENDPOINTS)
    assert {scope for _, scope, _, _ in ENDPOINTS} == SCOPES
