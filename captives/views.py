from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.access import role_required
from accounts.access_log import record_access
from accounts.models import AccessLogEntry
from accounts.roles import has_any_role
from captives.forms import MergeForm
from captives.matching import Candidate
from captives.models import Captive, Category, full_name, status_label
from captives.queries import query_refusal, ranked_for_query

SEARCH_LIMIT = 50
_ANY_ID = UUID(int=0)


@dataclass(frozen=True)
class Listed:
    """A row of the search page with its text ready. Left to the template (the address
    reversed, the date filtered, the labels looked up, for each of up to 50 rows) it took
    ~150 µs a row, a third of a search's CPU (``bench/load.py``); these take ~20."""

    url: str
    full_name: str
    born: str
    category: str
    status: str


# The columns a row of the search page shows: reading only these, not whole captives, halves
# the time the page spends in the database and building models (~0.9 ms of ~1.4 for 50 rows).
LISTED_COLUMNS: tuple[str, ...] = (
    "pk",
    "public_id",
    "family_name",
    "given_name",
    "patronymic",
    "birth_date",
)
LISTED_COLUMNS += ("category", "status", "sex")


def listed(candidates: Sequence[Candidate]) -> list[Listed]:
    """The candidates' rows for the search page, in the engine's order."""
    rows = {
        row[0]: row
        for row in Captive.objects.filter(pk__in=[c.person_id for c in candidates]).values_list(
            *LISTED_COLUMNS
        )
    }
    # One reverse for the page (~55 µs each): the addresses differ only by the public id.
    address = reverse("registry:captive", args=[_ANY_ID])
    categories = {value: str(label) for value, label in Category.choices}
    return [
        Listed(
            url=address.replace(str(_ANY_ID), str(public_id)),
            full_name=full_name(family, given, patronymic),
            born=born.strftime("%d.%m.%Y") if born else "—",
            category=categories[category],
            status=status_label(status, sex),
        )
        for _pk, public_id, family, given, patronymic, born, category, status, sex in (
            rows[c.person_id] for c in candidates if c.person_id in rows
        )
    ]


@role_required(access.REGISTRY_SEARCHERS)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = listed(ranked_for_query(query, SEARCH_LIMIT)) if query else []
    context = {"query": query, "results": results, "refusal": query_refusal(query)}
    return render(request, "captives/search.html", context)


@role_required(access.REGISTRY_SEARCHERS)
def captive_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    captive = get_object_or_404(Captive, public_id=public_id)
    record_access(
        user=request.user,
        kind=AccessLogEntry.Kind.CAPTIVE,
        object_ref=f"captive:{captive.public_id}",
        at=timezone.now(),
    )
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
