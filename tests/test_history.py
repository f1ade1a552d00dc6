"""History rows are append-only in the database itself, not only by convention."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from accounts.models import User
from captives.lifecycle import Status
from captives.models import Captive
from captives.services import change_status
from exchanges.services import list_for_phase
from inquiries.models import Inquiry
from tests.factories import make_captive, make_phase, make_provenance

pytestmark = pytest.mark.django_db
HistoricalCaptive = Captive.history.model


def test_history_rows_cannot_be_rewritten() -> None:
    captive = make_captive()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        HistoricalCaptive.objects.filter(id=captive.pk).update(family_name="Forged")
    assert HistoricalCaptive.objects.get(id=captive.pk).family_name == captive.family_name


def test_history_rows_cannot_be_deleted() -> None:
    captive = make_captive()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        HistoricalCaptive.objects.filter(id=captive.pk).delete()
    assert HistoricalCaptive.objects.filter(id=captive.pk).count() == 1


def test_every_tracked_change_leaves_a_row_with_who(official: User) -> None:
    captive = make_captive(status=Status.MISSING, by=official)
    change_status(
        captive=captive,
        to=Status.CONFIRMED_CAPTIVE,
        by=official,
        reason="ICRC visit",
        provenance=make_provenance(),
    )
    phase = make_phase()
    transfer = list_for_phase(
        phase=phase, captive=captive, by=official, provenance=make_provenance()
    )

    assert [(h.status, h.history_user) for h in captive.history.order_by("history_id")] == [
        (Status.MISSING, official),
        (Status.CONFIRMED_CAPTIVE, official),
        (Status.LISTED, official),
    ]
    assert transfer.history.get().history_user == official
    assert phase.history.count() == 1


def test_inquiry_history_never_stores_the_pin_hash() -> None:
    fields = {f.name for f in Inquiry.history.model._meta.get_fields()}
    assert "pin_hash" not in fields
    assert "state" in fields
