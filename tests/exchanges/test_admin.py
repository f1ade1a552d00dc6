"""The admin shows a phase's confirmation and a row's decision, and changes neither: not by
its change form, nor by reverting to an earlier version on the history page."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from accounts.roles import Role
from exchanges.models import Outcome, Phase, ReleaseListRow, Resolution, Transfer
from exchanges.review import resolve_row
from tests.factories import approve_phase, make_captive, make_matched_list, make_phase, make_user
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
DAY = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)


def _completed_phase() -> Phase:
    phase = make_phase()
    make_matched_list(phase, [make_captive()])
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=DAY)
    return Phase.objects.get(pk=phase.pk)


def _phase_form(phase: Phase, **changes: Any) -> dict[str, Any]:
    """Every field the phase's admin form ever had, as a browser would post it."""
    return {
        "exchange": phase.exchange_id,
        "number": phase.number,
        "date": phase.date.isoformat(),
        "place": phase.place,
        "state": "planned",
        "proposed_by": "",
        "proposed_at_0": "",
        "proposed_at_1": "",
        "approved_by": "",
        "approved_at_0": "",
        "approved_at_1": "",
        "declared_returned_servicemen": 0,
        "declared_returned_civilians": 0,
        "declared_handed_over_servicemen": 0,
        "declared_handed_over_civilians": 0,
    } | changes


def _unchanged_confirmation(phase: Phase) -> bool:
    stored = Phase.objects.get(pk=phase.pk)
    return (stored.state, stored.proposed_by, stored.approved_by, stored.approved_at) == (
        Phase.State.COMPLETED,
        phase.proposed_by,
        phase.approved_by,
        phase.approved_at,
    )


def test_the_phase_admin_edits_the_place_but_never_the_state_or_the_approval(
    admin_client: Client,
) -> None:
    phase = _completed_phase()
    url = f"/admin/exchanges/phase/{phase.pk}/change/"

    page = admin_client.get(url).content.decode()
    response = admin_client.post(url, _phase_form(phase, place="Sumy region"))

    assert response.status_code == 302
    assert 'name="state"' not in page
    assert 'name="approved_by"' not in page
    assert _unchanged_confirmation(phase)
    assert Phase.objects.get(pk=phase.pk).place == "Sumy region"


def test_reverting_a_phase_in_the_admin_history_keeps_its_confirmation(
    admin_client: Client,
) -> None:
    phase = _completed_phase()
    before = phase.history.earliest("history_id")
    url = f"/admin/exchanges/phase/{phase.pk}/history/{before.history_id}/"

    admin_client.post(url, _phase_form(phase, state=before.state))

    assert _unchanged_confirmation(phase)


def _decided_row() -> ReleaseListRow:
    release_list = make_matched_list(make_phase(), [make_captive()])
    row = release_list.rows.get()
    other = make_captive(family_name="Мельник")
    return resolve_row(
        row=row,
        resolution=Resolution.OTHER_CHOSEN,
        by=make_user(Role.REVIEWER),
        at=DAY,
        version=row.version,
        captive=other,
    )


def _row_form(row: ReleaseListRow, **changes: Any) -> dict[str, Any]:
    return {
        "release_list": row.release_list_id,
        "line_number": row.line_number,
        "cells": json.dumps({"ПІБ": row.full_name}),
        "full_name": row.full_name,
        "outcome": Outcome.REVIEW,
        "captive": "",
        "candidates": json.dumps(row.candidates),
        "resolution": "",
        "resolved_by": "",
        "resolved_at_0": "",
        "resolved_at_1": "",
        "version": 0,
    } | changes


def _unchanged_decision(row: ReleaseListRow) -> bool:
    stored = ReleaseListRow.objects.get(pk=row.pk)
    return (stored.outcome, stored.captive_id, stored.resolution, stored.version) == (
        row.outcome,
        row.captive_id,
        row.resolution,
        row.version,
    )


def test_the_row_admin_never_changes_a_decision(admin_client: Client) -> None:
    row = _decided_row()
    url = f"/admin/exchanges/releaselistrow/{row.pk}/change/"

    page = admin_client.get(url).content.decode()
    response = admin_client.post(url, _row_form(row))

    assert response.status_code == 302
    assert 'name="resolution"' not in page
    assert _unchanged_decision(row)


def test_reverting_a_row_in_the_admin_history_keeps_its_decision(admin_client: Client) -> None:
    row = _decided_row()
    before = row.history.earliest("history_id")
    url = f"/admin/exchanges/releaselistrow/{row.pk}/history/{before.history_id}/"

    admin_client.post(url, _row_form(row, outcome=before.outcome, captive=before.captive_id))

    assert _unchanged_decision(row)


def test_transfers_and_lists_are_not_added_moved_or_deleted_in_the_admin(
    admin_client: Client,
) -> None:
    phase = _completed_phase()
    transfer = phase.transfers.get()
    release_list = phase.release_lists.get()

    pages = {
        "transfer add": admin_client.get("/admin/exchanges/transfer/add/"),
        "transfer delete": admin_client.post(
            f"/admin/exchanges/transfer/{transfer.pk}/delete/", {"post": "yes"}
        ),
        "list add": admin_client.get("/admin/exchanges/releaselist/add/"),
        "list delete": admin_client.post(
            f"/admin/exchanges/releaselist/{release_list.pk}/delete/", {"post": "yes"}
        ),
    }
    moved = admin_client.post(
        f"/admin/exchanges/transfer/{transfer.pk}/change/",
        {"captive": make_captive(family_name="Мельник").pk, "phase": phase.pk},
    )

    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 403)
    assert moved.status_code == 403
    assert Transfer.objects.get(pk=transfer.pk).captive_id == transfer.captive_id
    assert release_list.rows.exists()


def test_a_lists_partner_cannot_be_reassigned_in_the_admin(admin_client: Client) -> None:
    """Whose list it is decides who reads it: the admin's form shows it and changes it not."""
    release_list = make_matched_list(make_phase(), [make_captive()])
    owner, other = make_user(Role.PARTNER), make_user(Role.PARTNER)
    release_list.partner = release_list.uploaded_by = owner
    release_list.save(update_fields=["partner", "uploaded_by"])

    answer = admin_client.post(
        f"/admin/exchanges/releaselist/{release_list.pk}/change/",
        {
            "sent_by": "other_side",
            "received_on": "2025-05-21",
            "original_name": "list.csv",
            "partner": other.pk,
        },
    )

    assert answer.status_code == 302
    release_list.refresh_from_db()
    assert release_list.partner == owner
