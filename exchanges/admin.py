from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from exchanges.models import Exchange, Phase, ReleaseList, ReleaseListRow, Transfer


@admin.register(Exchange)
class ExchangeAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["name", "agreed_on", "venue"]


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["exchange", "number", "date", "place", "state"]
    list_filter = ["state", "exchange"]


@admin.register(Transfer)
class TransferAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["captive", "phase", "direction", "state", "confirmed_at"]
    list_filter = ["direction", "state", "phase__exchange"]
    raw_id_fields = ["captive", "phase"]
    # Confirmation goes through the exchange services, which update the captive as well.
    readonly_fields = ["state", "confirmed_by", "confirmed_at"]


@admin.register(ReleaseList)
class ReleaseListAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["phase", "original_name", "sent_by", "state", "rows_done", "rows_total"]
    readonly_fields = ["sha256", "state", "rows_total", "rows_done", "error"]


@admin.register(ReleaseListRow)
class ReleaseListRowAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["release_list", "line_number", "full_name", "outcome", "resolution"]
    list_filter = ["outcome", "resolution"]
    raw_id_fields = ["captive"]
