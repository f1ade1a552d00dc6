from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from config.admin import ReadOnlyAdmin
from inquiries.forms import ContactRuleChecked
from inquiries.models import Erasure, ErasureRequest, Inquiry, Sighting


@admin.register(Inquiry)
class InquiryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["reference", "sought_full_name", "relationship", "state", "created_at"]
    list_filter = ["state"]
    exclude = ["pin_hash"]
    raw_id_fields = ["captive"]
    readonly_fields = ["closed_at", "erased_at"]
    form = ContactRuleChecked

    def save_model(self, request: HttpRequest, obj: Inquiry, form: Any, change: bool) -> None:
        if change and "state" in form.changed_data:
            # Closing (or reopening) here starts (or stops) the retention period, as in the
            # services.
            new, obj.state = obj.state, form.initial["state"]
            obj.move_to(Inquiry.State(new), at=timezone.now())
        super().save_model(request, obj, form, change)


@admin.register(Sighting)
class SightingAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["seen_full_name", "facility", "seen_on", "reporter"]
    raw_id_fields = ["reporter", "seen_captive", "recognised_from"]


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["inquiry", "reason", "at", "by"]
    list_filter = ["reason"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ["inquiry", "state", "requested_at", "decided_at", "decided_by"]
    list_filter = ["state"]
