"""The review workspace: the queue, one row and its decision, a new captive recorded from a row.

A decision is one request. Sent by htmx (``HX-Request``), it is answered with the next row's
panel, which replaces the decided one, its address pushed into the browser's history; without
script the form posts and is redirected to the next row. A refused decision is answered with
the row's panel saying why (422), or without script with the message on the row's page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import push_url

from accounts import access
from accounts.access import role_required
from captives.models import Captive
from captives.queries import query_refusal, search_registry
from config.errors import DomainError
from config.fragments import varies_by_fragment, wants_fragment
from exchanges.forms import NewCaptiveForm, ReviewForm, ReviewScope
from exchanges.models import Phase, ReleaseListRow, Resolution
from exchanges.review import (
    first_ruled_out,
    lines_it_may_repeat,
    next_in_queue,
    primary_action,
    record_new_captive,
    resolve_row,
)
from exchanges.views import say_if_withdrawn

REFUSED = 422  # the service refused the decision: the row's panel says why


@role_required(access.LIST_REVIEWERS)
def review_queue(request: HttpRequest) -> HttpResponse:
    scope = ReviewScope(request.GET or None)
    scope.offer_choices()
    rows = scope.qs.select_related("release_list__phase__exchange")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page": page, "scope": scope, "scope_query": scope.query()}
    return render(request, "exchanges/review_queue.html", context)


@role_required(access.LIST_REVIEWERS)
def review_row(request: HttpRequest, pk: int) -> HttpResponse:
    """One row beside its candidates, and the reviewer's decision on it."""
    row = _row(pk)
    scope = ReviewScope(request.GET or None)
    if request.method != "POST":
        return _panel(request, row, scope)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _refused(request, row, scope, _("The decision could not be read: reload the row."))
    try:
        decided = resolve_row(
            row=row,
            resolution=Resolution(form.cleaned_data["resolution"]),
            by=request.user,  # type: ignore[arg-type]
            at=timezone.now(),
            version=form.cleaned_data["version"],
            captive=form.cleaned_data.get("captive"),
            duplicate_of=form.cleaned_data.get("duplicate_of"),
        )
    except DomainError as error:
        return _refused(request, row, scope, str(error))
    return _decided(request, row, decided.release_list.phase, scope)


@role_required(access.LIST_REVIEWERS)
def review_new_captive(request: HttpRequest, pk: int) -> HttpResponse:
    """The row names someone the registry does not know yet: record them, and decide the row.

    The form is on the row's page when the row is unmatched (or opened there); this page is
    where it is without script.
    """
    row = _row(pk)
    scope = ReviewScope(request.GET or None)
    form = NewCaptiveForm(
        request.POST or None, initial=NewCaptiveForm.initial_for(row), today=timezone.localdate()
    )
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            record_new_captive(
                row=row,
                identity=form.identity(),
                held_by=form.cleaned_data["held_by"],
                by=request.user,  # type: ignore[arg-type]
                at=timezone.now(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            refusal = str(error)
        else:
            phase = row.release_list.phase
            return _decided(request, row, Phase.objects.get(pk=phase.pk), scope)
    if request.method == "POST" and wants_fragment(request):
        said = refusal or _("Nothing was recorded: correct the fields marked below.")
        return _panel(request, _row(pk), scope, new_captive=form, error=said, status=REFUSED)
    if refusal:
        messages.error(request, refusal)
    context = {"row": row, "form": form, "scope_query": scope.query()}
    return render(request, "exchanges/new_captive.html", context)


def _row(pk: int) -> ReleaseListRow:
    return get_object_or_404(
        ReleaseListRow.objects.select_related(
            "release_list__phase__exchange", "resolved_by", "duplicate_of"
        ),
        pk=pk,
    )


def _address(row: ReleaseListRow, scope: ReviewScope) -> str:
    return reverse("review:row", args=[row.pk]) + scope.query()


def _decided(
    request: HttpRequest, row: ReleaseListRow, phase_after: Phase, scope: ReviewScope
) -> HttpResponse:
    """Say so, and go on to the next row of the queue as the reviewer narrowed it."""
    messages.success(request, _("Line %(n)s decided.") % {"n": row.line_number})
    say_if_withdrawn(request, row.release_list.phase, phase_after)
    following = next_in_queue(row, scope.qs)
    address = _address(following, scope) if following else reverse("review:queue") + scope.query()
    if not wants_fragment(request):
        return redirect(address)
    if following is None:
        response = render(request, "exchanges/review_done.html", {"scope_query": scope.query()})
    else:
        response = _panel(request, following, scope)
    return push_url(response, address)


def _refused(
    request: HttpRequest, row: ReleaseListRow, scope: ReviewScope, refusal: str
) -> HttpResponse:
    if wants_fragment(request):
        return _panel(request, _row(row.pk), scope, error=refusal, status=REFUSED)
    messages.error(request, refusal)
    return redirect(_address(row, scope))


def _panel(
    request: HttpRequest,
    row: ReleaseListRow,
    scope: ReviewScope,
    *,
    new_captive: NewCaptiveForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The row's panel: a whole page, or for htmx the panel alone (with its title)."""
    captives = Captive.objects.in_bulk([c["captive_id"] for c in row.candidates])
    candidates = [(c, captives.get(c["captive_id"])) for c in row.candidates]
    query = request.GET.get("q", "").strip()
    done = row.resolution not in ("", Resolution.DEFERRED)
    repeats = [] if done else lines_it_may_repeat(row)
    if new_captive is None:
        new_captive = NewCaptiveForm(
            initial=NewCaptiveForm.initial_for(row), today=timezone.localdate()
        )
    fragment = wants_fragment(request)
    context = {
        "row": row,
        "decided": done,
        "repeats": repeats,
        "candidates": candidates,
        "first_ruled_out": first_ruled_out(row),
        "last_choice": min(len(candidates), 9),
        "primary": primary_action(row, repeats),
        "new_captive": new_captive,
        "action": _address(row, scope),
        "new_captive_action": reverse("review:new-captive", args=[row.pk]) + scope.query(),
        "scope_query": scope.query(),
        "scope_given": scope.given().items(),
        "query": query,
        "others": search_registry(query, 10) if query else [],
        "refusal": query_refusal(query),
        "error": error,
        "fragment": fragment,
    }
    template = "exchanges/review_panel.html" if fragment else "exchanges/review_row.html"
    return varies_by_fragment(render(request, template, context, status=status))
