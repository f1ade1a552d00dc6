from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Value
from django.db.models.functions import Collate, Concat
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from captives.models import Captive, Detention, Place, Provenance, Spelling
from config.admin import FormFieldsOnlyAdmin
from config.collation import UKRAINIAN


class SpellingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Spelling
    extra = 0
    raw_id_fields = ["provenance"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a spelling is added or removed, never rewritten (the index relies on it)


# The full-name column sorts as the registry does: family name, given name, patronymic.
FULL_NAME = Collate(
    Concat("family_name", Value(" "), "given_name", Value(" "), "patronymic"), UKRAINIAN
)


@admin.register(Captive)
class CaptiveAdmin(FormFieldsOnlyAdmin):
    list_display = ["full_name", "birth_date", "category", "held_by", "status"]
    list_filter = ["status", "category", "held_by"]
    search_fields = ["family_name", "given_name", "patronymic", "service_number", "external_id"]
    # The status moves only through the lifecycle service, which writes who and why.
    readonly_fields = ["public_id", "status", "created_at", "updated_at"]
    raw_id_fields = ["provenance"]
    inlines = [SpellingInline]

    @admin.display(description=_("full name"), ordering=FULL_NAME)
    def full_name(self, captive: Captive) -> str:
        return captive.full_name

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a record is merged into its duplicate, never deleted (see merging.py)

    def derive(self, obj: models.Model) -> list[str]:
        """An edit here writes the name as any service does: with the keys the index reads."""
        if not isinstance(obj, Captive):
            return []
        obj.store_name_keys()
        return ["name_keys"]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for spelling in formset.save(commit=False):
            spelling.store_name_keys()
            spelling.save()
        for removed in formset.deleted_objects:
            removed.delete()


@admin.register(Provenance)
class ProvenanceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["kind", "description", "side", "dated", "recorded_by", "recorded_at"]
    list_filter = ["kind", "side"]


@admin.register(Place)
class PlaceAdmin(FormFieldsOnlyAdmin):
    list_display = ["name", "name_as_written", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "name_as_written", "region"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # periods point at it: a place is corrected, never deleted


@admin.register(Detention)
class DetentionAdmin(FormFieldsOnlyAdmin):
    list_display = ["captive", "place", "held_from", "held_until", "provenance"]
    list_filter = ["place"]
    raw_id_fields = ["captive", "provenance"]
    search_fields = ["captive__family_name", "place__name"]
