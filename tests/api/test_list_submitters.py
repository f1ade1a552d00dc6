"""A partner sees only its own lists: the same file from another submitter is a list of its own,
and tells it nothing of the first; the same file again from the same one is its own list back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from exchanges.confirmation import listing_of
from exchanges.models import Phase, ReleaseList, Transfer
from exchanges.reconciliation import receive_release_list, reconcile_release_list
from tests.api.conftest import Partner, World
from tests.factories import make_user, sign_in
from webhooks.models import AllowedHost, Delivery, Event, EventType
from webhooks.services import register_endpoint
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
LIST = "ПІБ;Дата народження\nШевченко Олександр Петрович;14.03.1990\n".encode("cp1251")
# What the answer says of a list: none of it may come from another submitter's list.
THEIRS = ("id", "original_name", "uploaded_at", "state", "rows_total", "unreadable", "error")


def send(partner: Partner, phase: Phase, name: str = "список.csv") -> Any:
    body = {"file": SimpleUploadedFile(name, LIST), "received_on": "2025-05-21"}
    return partner.post(f"/api/v1/phases/{phase.pk}/release-lists/", body)


def officials_upload(phase: Phase, name: str) -> ReleaseList:
    client = Client()
    sign_in(client, make_user(Role.OFFICIAL))
    client.post(
        f"/exchanges/phases/{phase.pk}/lists/new/",
        {
            "file": SimpleUploadedFile(name, LIST),
            "received_on": "2025-05-20",
            "sent_by": "other_side",
        },
    )
    return ReleaseList.objects.get(phase=phase, partner=None)


def test_another_partner_sending_the_same_file_gets_a_list_of_its_own(
    partner: Partner, other_partner: Partner, world: World
) -> None:
    first = send(partner, world.phase, "ministry.csv")
    ReleaseList.objects.filter(pk=first.json()["id"]).update(state="failed", error="Boom")

    second = send(other_partner, world.phase, "ombudsman.csv")

    assert second.status_code == 202
    body = second.json()
    assert body["id"] != first.json()["id"]
    assert (body["original_name"], body["state"], body["error"]) == (
        "ombudsman.csv",
        "received",
        "",
    )
    mine = ReleaseList.objects.get(pk=body["id"])
    assert (mine.partner, mine.uploaded_by) == (other_partner.token.partner,) * 2
    assert mine.rows.count() == 1
    assert [r["id"] for r in other_partner.get("/api/v1/release-lists/").json()["results"]] == [
        mine.pk
    ]


def test_a_partner_sending_an_officials_file_gets_its_own_list_not_the_officials(
    partner: Partner, world: World
) -> None:
    officials = officials_upload(world.phase, "секретний-список-СБУ.csv")

    response = send(partner, world.phase, "list.csv")

    assert response.status_code == 202
    assert response.json()["id"] != officials.pk
    assert response.json()["original_name"] == "list.csv"
    assert "СБУ" not in response.content.decode()


def test_an_official_uploading_a_partners_file_gets_the_officials_own_list(
    partner: Partner, world: World
) -> None:
    partners = send(partner, world.phase).json()["id"]

    officials = officials_upload(world.phase, "from-the-mediator.csv")

    assert officials.pk != partners
    assert officials.original_name == "from-the-mediator.csv"


def test_a_partner_sending_its_own_file_again_gets_its_own_list_back(
    partner: Partner, other_partner: Partner, world: World
) -> None:
    send(other_partner, world.phase)
    first = send(partner, world.phase)

    again = send(partner, world.phase, "renamed.csv")

    assert again.status_code == 202
    assert {k: again.json()[k] for k in THEIRS} == {k: first.json()[k] for k in THEIRS}
    assert ReleaseList.objects.filter(partner=partner.token.partner).count() == 1


def test_each_partner_hears_list_reconciled_for_its_own_list(
    partner: Partner, other_partner: Partner, world: World
) -> None:
    AllowedHost.objects.create(host="hooks.example")
    endpoints = {
        p.token.partner.pk: register_endpoint(
            token=p.token, url=f"https://hooks.example/{p.token.pk}", events=["list.reconciled"]
        )
        for p in (partner, other_partner)
    }
    ids = {p.token.partner.pk: send(p, world.phase).json()["id"] for p in (partner, other_partner)}

    for list_id in ids.values():
        reconcile_release_list(release_list_id=list_id, now=timezone.now())

    heard = {
        (d.endpoint_id, d.event.payload["list"])
        for d in Delivery.objects.filter(event__type=EventType.LIST_RECONCILED)
    }
    assert heard == {(endpoints[p].pk, ids[p]) for p in ids}
    assert Event.objects.filter(type=EventType.LIST_RECONCILED).count() == 2


def test_two_lists_naming_the_same_people_list_each_person_once(
    partner: Partner, other_partner: Partner, world: World
) -> None:
    """The same file from two submitters: each row matches, each person is named by two rows,
    and is listed (and counted) once."""
    someone = world.captive  # Шевченко Олександр Петрович, 14.03.1990
    for p in (partner, other_partner):
        reconcile_release_list(
            release_list_id=send(p, world.phase).json()["id"], now=timezone.now()
        )
    official = make_user(Role.OFFICIAL)

    assert list(listing_of(world.phase).to_list) == [someone]
    propose_confirmation(phase=world.phase, by=official, at=timezone.now())

    assert list(Transfer.objects.filter(phase=world.phase).values_list("captive", flat=True)) == [
        someone.pk
    ]
    assert Transfer.objects.filter(phase=world.phase).tally().total == 1


def _receive_as_officials(phase: Phase, by: User) -> ReleaseList:
    release_list, _ = receive_release_list(
        phase=phase,
        data=LIST,
        filename="list.csv",
        received_on=date(2025, 5, 21),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=by,
    )
    return release_list


def test_the_officials_are_one_submitter_whoever_of_them_uploads(world: World) -> None:
    first = _receive_as_officials(world.phase, make_user(Role.OFFICIAL))

    assert _receive_as_officials(world.phase, make_user(Role.ADMINISTRATOR)) == first
