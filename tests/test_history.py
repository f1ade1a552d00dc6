"""History rows are append-only in the database itself, not only by convention."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.db import DatabaseError, transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from captives.lifecycle import Status
from captives.models import Captive
from captives.services import change_status
from config.history import attribute_change
from exchanges.models import Direction, Transfer
from exchanges.services import list_for_phase
from inquiries.models import Inquiry
from tests.factories import make_captive, make_phase, make_provenance, make_user

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


def test_an_attributed_change_leaves_a_row_with_who_and_why(official: User) -> None:
    captive = make_captive()
    captive.family_name = "Гнатюк"
    attribute_change(captive, by=official, reason="Spelling from the passport")
    captive.save(update_fields=["family_name"])

    latest = captive.history.latest("history_id")
    assert (latest.family_name, latest.history_user, latest.history_change_reason) == (
        "Гнатюк",
        official,
        "Spelling from the passport",
    )


def test_an_attributed_reason_is_cut_to_the_column_and_saves(official: User) -> None:
    captive = make_captive()
    attribute_change(captive, by=official, reason="Merged: " + "я" * 300)
    captive.save(update_fields=["updated_at"])

    assert captive.history.latest("history_id").history_change_reason == "Merged: " + "я" * 92


def test_a_change_attributed_to_no_one_keeps_a_bulk_writes_default_user(official: User) -> None:
    transfer = Transfer(phase=make_phase(), captive=make_captive(), direction=Direction.RETURNED)
    attribute_change(transfer, by=None, reason="Listed by hand")
    bulk_create_with_history([transfer], Transfer, default_user=official)

    row = Transfer.history.get(captive=transfer.captive)
    assert (row.history_user, row.history_change_reason) == (official, "Listed by hand")


def test_a_change_attributed_to_someone_names_them_over_a_bulk_default(official: User) -> None:
    clerk = make_user(None, "clerk")
    transfer = Transfer(phase=make_phase(), captive=make_captive(), direction=Direction.RETURNED)
    attribute_change(transfer, by=clerk, reason="Listed by hand")
    bulk_create_with_history([transfer], Transfer, default_user=official)

    assert Transfer.history.get(captive=transfer.captive).history_user == clerk


def test_inquiry_history_never_stores_the_pin_hash() -> None:
    fields = {f.name for f in Inquiry.history.model._meta.get_fields()}
    assert "pin_hash" not in fields
    assert "state" in fields


# Every model whose changes keep history rows (django-simple-history).
TRACKED = {
    "captives.Captive",
    "captives.Place",
    "captives.Detention",
    "exchanges.Exchange",
    "exchanges.Phase",
    "exchanges.Transfer",
    "exchanges.ReleaseListRow",
    "inquiries.Inquiry",
    "inquiries.Sighting",
}
# Written in bulk or in place (``bulk_create``, ``.update()``) with no history row, on purpose:
# the fields so written, and why no history.
EXEMPT = {
    "exchanges.ReleaseList": (
        {"state", "rows_done", "heartbeat_at", "claimed_by", "error"},
        "the reconciliation job's claim, progress counter and heartbeat: a machine's "
        "bookkeeping, redone on every retry; the rows it decides keep history",
    ),
    "inquiries.Notification": (
        {
            "state",
            "claimed_at",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "error",
            "body",
            "recipient",
        },
        "a message is its own log: its attempts, last error and sending time; erasing the "
        "relative's data blanks its recipient and text (the Erasure row records it)",
    ),
    "inquiries.Suggestion": (
        {"state", "score", "probability", "explanation"},
        "the engine's offer and the caseworker's answer to it; the link an answer makes or "
        "undoes keeps history on the inquiry",
    ),
    "webhooks.Delivery": (
        {"state", "claimed_at", "attempts", "next_attempt_at", "delivered_at"},
        "a delivery's attempts are logged one row each (DeliveryAttempt)",
    ),
    "webhooks.Endpoint": ({"is_active", "removed_at"}, "removal is dated on the endpoint"),
    "webhooks.Event": (set(), "created once, never changed: the event is the record"),
    "accounts.PartnerToken": ({"revoked_at"}, "revocation is dated on the token"),
    "exchanges.RejectedCandidate": (set(), "created once with who and when, never changed"),
    "captives.Provenance": (set(), "created once with who and when: a source is itself a record"),
}
# Bulk writes that build their history rows themselves: how many, per module.
WRITE_THEIR_OWN_HISTORY = {
    "demo/seeding.py": 1,  # the demo's captives, each with the history of its story, dated
}
WRITES_IN_BULK = {"bulk_create", "bulk_update", "update", "delete"}
APPS = ("accounts", "captives", "config", "demo", "exchanges", "inquiries", "webhooks")


def test_the_models_written_without_history_are_these_and_keep_no_history() -> None:
    tracked = {m._meta.label for m in apps.get_models() if hasattr(m, "history")}
    assert tracked == TRACKED
    for label, (fields, why) in EXEMPT.items():
        model = apps.get_model(label)
        assert not hasattr(model, "history"), label
        assert fields <= {f.name for f in model._meta.concrete_fields}, label
        assert why


def _bulk_writes_to_tracked_models(source: str) -> list[int]:
    """Lines where a tracked model's manager, or a relation leading to one, is written in bulk
    without ``bulk_*_with_history``."""
    tracked = {label.split(".")[1] for label in TRACKED}
    tracked_models = {apps.get_model(label) for label in TRACKED}
    relations = {
        relation.get_accessor_name()
        for model in apps.get_models()
        for relation in model._meta.related_objects
        if relation.related_model in tracked_models
    }
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES_IN_BULK
        ):
            continue
        receiver: ast.expr = node.func.value
        while True:
            if isinstance(receiver, ast.Attribute):
                if receiver.attr in relations or (
                    receiver.attr in ("objects", "_default_manager")
                    and isinstance(receiver.value, ast.Name)
                    and receiver.value.id in tracked
                ):
                    found.append(node.lineno)
                    break
                receiver = receiver.value
            elif isinstance(receiver, ast.Call):
                receiver = receiver.func
            else:
                break
    return found


def test_no_tracked_model_is_written_in_bulk_without_its_history_rows() -> None:
    """A bulk write to a tracked model goes through simple_history's bulk_*_with_history (or
    writes its history rows itself); ``save()`` writes them anyway."""
    root = Path(__file__).resolve().parent.parent
    found = Counter(
        str(path.relative_to(root))
        for app in APPS
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        for _line in _bulk_writes_to_tracked_models(path.read_text())
    )
    assert found == Counter(WRITE_THEIR_OWN_HISTORY)


def test_the_check_finds_a_bulk_write_that_bypasses_history() -> None:
    source = (
        "ReleaseListRow.objects.bulk_update(rows, ['outcome'])\n"
        "release_list.rows.filter(outcome='pending').update(outcome='matched')\n"
        "Notification.objects.filter(pk=1).update(state='sent')\n"
        "bulk_update_with_history(rows, ReleaseListRow, ['outcome'])\n"
    )
    assert _bulk_writes_to_tracked_models(source) == [1, 2]
