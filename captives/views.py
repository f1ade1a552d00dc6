from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.access import role_required
from accounts.access_log import record_access
from accounts.models import AccessLogEntry
from accounts.roles import has_any_role
from captives.forms import IcrcNotificationForm, MergeForm
from captives.matching import Candidate
from captives.models import Captive, Category, full_name, status_label
from captives.places import trail
from captives.queries import query_refusal, ranked_for_query
from config.fragments import varies_by_fragment, wants_fragment

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
# the time the page spends in the database and building models (~0.9 ms of ~1.4 for 50 rows),
# and reading them with one plain statement saves the ORM's ~0.4 ms of building it (its query
# had been a tenth of a search's CPU).
LISTED_COLUMNS: tuple[str, ...] = (
    "id",
    "public_id",
    "family_name",
    "given_name",
    "patronymic",
    "birth_date",
    "category",
    "status",
    "sex",
)


def _listed_rows(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """The search page's columns of these captives, by id."""
    if not ids:
        return {}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in LISTED_COLUMNS)  # each field's own column
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(Captive._meta.db_table)} WHERE id IN ({marks})",  # noqa: S608 - our own table and columns
            ids,
        )
        return {row[0]: row for row in cursor.fetchall()}


def listed(candidates: Sequence[Candidate]) -> list[Listed]:
    """The candidates' rows for the search page, in the engine's order."""
    rows = _listed_rows([c.person_id for c in candidates])
    # One reverse for the page (~55 µs each): the addresses differ only by the public id.
    address = reverse("registry:captive", args=[_ANY_ID])
    categories = {value: str(label) for value, label in Category.choices}
    return [
        Listed(
            # PostgreSQL gives the id as text with dashes, SQLite as 32 hex digits.
            url=address.replace(str(_ANY_ID), str(UUID(str(public_id)))),
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
    # A search from the page's form (htmx) is answered with its results alone: the page around
    # them is already on the screen, and skipping it is a third of a search's CPU.
    template = "captives/search_results.html" if wants_fragment(request) else "captives/search.html"
    return varies_by_fragment(render(request, template, context))


@role_required(access.REGISTRY_SEARCHERS)
def captive_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    captive = get_object_or_404(Captive, public_id=public_id)
    return render_detail(request, captive, IcrcNotificationForm(today=timezone.localdate()))


def render_detail(
    request: HttpRequest, captive: Captive, icrc_form: IcrcNotificationForm
) -> HttpResponse:
    """A captive's page (each showing written to the access log); with an ICRC notification's
    form sent back with its mistakes."""
    record_access(
        user=request.user,
        kind=AccessLogEntry.Kind.CAPTIVE,
        object_ref=f"captive:{captive.public_id}",
        at=timezone.now(),
    )
    history = captive.history.select_related("history_user", "provenance").order_by(
        "-history_date", "-history_id"
    )
    editor = has_any_role(request.user, access.REGISTRY_EDITORS)
    context = {
        "captive": captive,
        "history": history,
        "trail": trail(captive),
        "transfers": captive.transfers.select_related("phase__exchange"),
        "spellings": captive.spellings.all(),
        "sightings": captive.sightings.select_related("reporter", "place"),
        "merges": captive.merges_kept.select_related("duplicate", "merged_by"),
        "merged_into": captive.merged_into,
        "can_merge": editor,
        "merge_form": MergeForm(),
        "can_record_place": editor and captive.merged_into_id is None,
        "icrc_form": icrc_form,
        "inquiries": (
            captive.inquiries.all() if has_any_role(request.user, access.INQUIRY_HANDLERS) else None
        ),
    }
    return render(request, "captives/detail.html", context)
