from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.access import role_required
from accounts.roles import has_any_role
from captives.forms import MergeForm
from captives.merging import merge_captives, undo_merge
from captives.models import Captive, Merge
from captives.queries import search_registry
from config.errors import DomainError

SEARCH_LIMIT = 50


@role_required(access.REGISTRY_SEARCHERS)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = search_registry(query, SEARCH_LIMIT) if query else []
    return render(request, "captives/search.html", {"query": query, "results": results})


@role_required(access.REGISTRY_SEARCHERS)
def captive_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    captive = get_object_or_404(Captive, public_id=public_id)
    history = captive.history.select_related("history_user", "provenance").order_by(
        "-history_date", "-history_id"
    )
    context = {
        "captive": captive,
        "history": history,
        "transfers": captive.transfers.select_related("phase__exchange"),
        "spellings": captive.spellings.all(),
        "sightings": captive.sightings.select_related("reporter"),
        "merges": captive.merges_kept.select_related("duplicate", "merged_by"),
        "merged_into": captive.merged_into,
        "can_merge": has_any_role(request.user, access.REGISTRY_EDITORS),
        "merge_form": MergeForm(),
        "inquiries": (
            captive.inquiries.all() if has_any_role(request.user, access.INQUIRY_HANDLERS) else None
        ),
    }
    return render(request, "captives/detail.html", context)


@require_POST
@role_required(access.REGISTRY_EDITORS)
def captive_merge(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Merge the record named in the form into this one: both are one person."""
    kept = get_object_or_404(Captive, public_id=public_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        try:
            merge_captives(
                kept=kept,
                duplicate=form.cleaned_data["duplicate"],
                by=request.user,  # type: ignore[arg-type]
                at=timezone.now(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Records merged. The merge can be undone below."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("registry:captive", kept.public_id)


@require_POST
@role_required(access.REGISTRY_EDITORS)
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(Merge.objects.select_related("kept"), pk=pk)
    try:
        undo_merge(merge=merge, by=request.user, at=timezone.now())  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Merge undone."))
    return redirect("registry:captive", merge.kept.public_id)
