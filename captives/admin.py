from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from captives.models import Captive, Provenance, Spelling


class SpellingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Spelling
    extra = 0
    raw_id_fields = ["provenance"]


@admin.register(Captive)
class CaptiveAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["full_name", "birth_date", "category", "held_by", "status"]
    list_filter = ["status", "category", "held_by"]
    search_fields = ["family_name", "given_name", "patronymic", "service_number", "external_id"]
    # The status moves only through the lifecycle service, which writes who and why.
    readonly_fields = ["public_id", "status", "created_at", "updated_at"]
    raw_id_fields = ["provenance"]
    inlines = [SpellingInline]


@admin.register(Provenance)
class ProvenanceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["kind", "description", "side", "dated", "recorded_by", "recorded_at"]
    list_filter = ["kind", "side"]
