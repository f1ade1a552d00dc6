"""The pages of places of detention: the list, one place with who is believed held there now,
adding and editing a place, and an ICRC notification recorded from a captive's page."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.access import role_required
from accounts.access_log import record_access
from accounts.models import AccessLogEntry
from accounts.roles import has_any_role
from captives.forms import IcrcNotificationForm, PlaceForm
from captives.models import Captive, Place
from captives.places import held_at, record_icrc_notification, save_place
from captives.views import render_detail
from config.errors import DomainError


@role_required(access.REGISTRY_SEARCHERS)
def place_list(request: HttpRequest) -> HttpResponse:
    places = Place.objects.annotate(periods=Count("detentions"))
    context = {
        "places": places,
        "can_edit": has_any_role(request.user, access.REGISTRY_EDITORS),
    }
    return render(request, "captives/places.html", context)


@role_required(access.REGISTRY_SEARCHERS)
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=pk)
    record_access(
        user=request.user,
        kind=AccessLogEntry.Kind.PLACE,
        object_ref=f"place:{pk}",
        at=timezone.now(),
    )
    context = {
        "place": place,
        "held": held_at(place),
        "can_edit": has_any_role(request.user, access.REGISTRY_EDITORS),
    }
    return render(request, "captives/place.html", context)


@role_required(access.REGISTRY_EDITORS)
def place_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a place (no ``pk``) or change one."""
    place = get_object_or_404(Place, pk=pk) if pk is not None else Place()
    title = place.name  # as saved: the form writes what was typed onto the instance
    form = PlaceForm(request.POST if request.method == "POST" else None, instance=place)
    if request.method == "POST" and form.is_valid():
        save_place(place=form.instance, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Place saved."))
        return redirect("registry:place", form.instance.pk)
    return render(
        request, "captives/place_form.html", {"form": form, "place": place, "title": title}
    )


@require_POST
@role_required(access.REGISTRY_EDITORS)
def icrc_notification(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """An ICRC notification that the person is held at a place since a day."""
    captive = get_object_or_404(Captive.objects.current(), public_id=public_id)
    form = IcrcNotificationForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        return render_detail(request, captive, form)
    try:
        record_icrc_notification(
            captive=captive,
            place=form.cleaned_data["place"],
            since=form.cleaned_data["since"],
            note=form.cleaned_data["note"],
            by=request.user,  # type: ignore[arg-type]
        )
    except DomainError as error:
        form.add_error(None, str(error))
        return render_detail(request, captive, form)
    messages.success(request, _("ICRC notification recorded."))
    return redirect("registry:captive", captive.public_id)
