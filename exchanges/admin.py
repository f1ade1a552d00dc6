from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from config.admin import FormFieldsOnlyAdmin, ReadOnly, model_fields
from exchanges.models import Exchange, Phase, ReleaseList, ReleaseListRow, Transfer
from exchanges.services import record_phase


@admin.register(Exchange)
class ExchangeAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["name", "agreed_on", "venue"]


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["exchange", "number", "date", "place", "state"]
    list_filter = ["state", "exchange"]
    # Two officials complete a phase (workflows/confirmation.py); nobody edits that here.
    readonly_fields = ["state", "proposed_by", "proposed_at", "approved_by", "approved_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Phase | None = None) -> list[str]:
        moved = ["exchange"] if obj is not None else []  # a phase stays with its agreement
        return [*self.readonly_fields, *moved]

    def save_model(
        self, request: HttpRequest, obj: Phase, form: ModelForm[Any], change: bool
    ) -> None:
        user: User = request.user  # type: ignore[assignment]
        record_phase(
            phase=obj, by=user, reason="Changed in the admin", fields=model_fields(obj, form)
        )


@admin.register(Transfer)
class TransferAdmin(ReadOnly, FormFieldsOnlyAdmin):
    """Read only: a transfer is made by proposing a phase and confirmed by approving it, each
    moving the person's status with it; one added, moved or deleted here would not."""

    list_display = ["captive", "phase", "direction", "state", "confirmed_at"]
    list_filter = ["direction", "state", "phase__exchange"]
    raw_id_fields = ["captive", "phase"]


@admin.register(ReleaseList)
class ReleaseListAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A list arrives by upload, its rows read from the file, and stays with its phase: added,
    moved or deleted here, a phase's confirmation would no longer say what its lists say."""

    list_display = ["phase", "original_name", "sent_by", "state", "rows_done", "rows_total"]
    readonly_fields = [
        "phase",
        "file",
        "sha256",
        "state",
        "rows_total",
        "rows_done",
        "heartbeat_at",
        "claimed_by",  # the job's own bookkeeping (exchanges/jobs.py)
        "error",
        "unreadable",
        "uploaded_by",
        "partner",  # who may read it, and one of its keys: never reassigned
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ReleaseListRow)
class ReleaseListRowAdmin(FormFieldsOnlyAdmin):
    list_display = ["release_list", "line_number", "full_name", "outcome", "resolution"]
    list_filter = ["outcome", "resolution"]
    # A row is decided only through the review (resolve_row), which locks the phase, checks
    # the row's version and teaches the engine.
    readonly_fields = [
        "outcome",
        "captive",
        "resolution",
        "resolved_by",
        "resolved_at",
        "version",
    ]
