"""Administrators keep the allow-list of hosts, see partners' endpoints and switch them off,
and read the delivery log. Endpoints, events and deliveries are made by the services only."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import ReadOnlyAdmin
from webhooks.models import AllowedHost, Delivery, DeliveryAttempt, Endpoint, Event


@admin.register(AllowedHost)
class AllowedHostAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["host", "port", "note", "added_at"]
    search_fields = ["host", "note"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["url", "partner", "events", "is_active", "created_at", "removed_at"]
    list_filter = ["is_active", "partner"]
    fields = ["partner", "token", "url", "events", "is_active", "created_at", "removed_at"]
    readonly_fields = ["partner", "token", "url", "events", "created_at", "removed_at"]
    actions = ["disable"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # partners register endpoints through the API, and get the secret there

    @admin.action(description=_("Disable the selected endpoints"))
    def disable(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        count = queryset.update(is_active=False)
        self.message_user(
            request,
            ngettext("%(n)d endpoint disabled.", "%(n)d endpoints disabled.", count) % {"n": count},
        )


class AttemptInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DeliveryAttempt
    fields = ["number", "at", "status_code", "error", "duration_ms"]
    readonly_fields = ["number", "at", "status_code", "error", "duration_ms"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["type", "subject", "event_id", "occurred_at"]
    list_filter = ["type"]
    search_fields = ["event_id", "subject"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event", "endpoint", "state", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["state", "endpoint__partner"]
    inlines = [AttemptInline]
