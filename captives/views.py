from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts import access
from accounts.access import role_required
from accounts.roles import has_any_role
from captives.forms import MergeForm
from captives.models import Captive
from captives.queries import query_refusal, search_registry

SEARCH_LIMIT = 50


@role_required(access.REGISTRY_SEARCHERS)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = search_registry(query, SEARCH_LIMIT) if query else []
    context = {"query": query, "results": results, "refusal": query_refusal(query)}
    return render(request, "captives/search.html", context)


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
