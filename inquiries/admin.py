from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inquiries.models import Inquiry, Sighting


@admin.register(Inquiry)
class InquiryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["reference", "sought_full_name", "relationship", "state", "created_at"]
    list_filter = ["state"]
    exclude = ["pin_hash"]
    raw_id_fields = ["captive"]


@admin.register(Sighting)
class SightingAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["seen_full_name", "facility", "seen_on", "reporter"]
    raw_id_fields = ["reporter", "seen_captive", "recognised_from"]
