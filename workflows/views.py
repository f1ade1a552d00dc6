"""The pages that start a workflow crossing apps: a phase's confirmation, a merge and its undo.

Each parses the form, calls one workflow and says what happened; the rules are in the workflow.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import access
from accounts.access import role_required
from captives.forms import MergeForm
from captives.models import Captive, Merge
from config.errors import DomainError
from exchanges.confirmation import to_bring_home
from exchanges.errors import ProposalOutdatedError
from exchanges.models import Phase
from exchanges.tally import declared_against_named
from workflows.confirmation import approve_confirmation, propose_confirmation
from workflows.forms import ApprovalForm
from workflows.merging import merge_captives, undo_merge
from workflows.news import release_listed_news

# Names shown on the approval page at once: a phase of a thousand people is read page by page.
PEOPLE_PER_PAGE = 100


@require_POST
@role_required(access.EXCHANGE_EDITORS)
def phase_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose the confirmation of a phase: a different official approves it."""
    phase = get_object_or_404(Phase, pk=pk)
    try:
        propose_confirmation(phase=phase, by=request.user, at=timezone.now())  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Confirmation proposed."))
    return redirect("exchanges:phase", phase.pk)


@role_required(access.EXCHANGE_EDITORS)
def phase_approval(request: HttpRequest, pk: int) -> HttpResponse:
    """The approval page: who will be marked returned, declared against named, the handover
    day; approving there confirms the phase."""
    phase = get_object_or_404(Phase.objects.select_related("exchange", "proposed_by"), pk=pk)
    form = ApprovalForm(request.POST if request.method == "POST" else None, phase=phase)
    if request.method == "POST" and form.is_valid():
        try:
            approve_confirmation(
                phase=phase,
                by=request.user,  # type: ignore[arg-type]
                at=timezone.now(),
                seen=form.seen(),
                handed_over_on=form.handover_day(),
                acknowledged_gap=form.acknowledged_gap(),
            )
        except ProposalOutdatedError as error:  # withdrawn: it is proposed again first
            messages.error(request, str(error))
            return redirect("exchanges:phase", phase.pk)
        except DomainError as error:
            form.add_error(None, str(error))  # said above the form, what was entered kept
        else:
            messages.success(request, _("Phase confirmed."))
            return redirect("exchanges:phase", phase.pk)
    declared, named = phase.declared(), phase.derived()
    context = {
        "phase": phase,
        "form": form,
        "page": Paginator(to_bring_home(phase), PEOPLE_PER_PAGE).get_page(request.GET.get("page")),
        "columns": declared_against_named(declared, named),
        "gap": (declared - named).total,
    }
    return render(request, "workflows/approval.html", context)


@require_POST
@role_required(access.EXCHANGE_EDITORS)
def listed_news_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Officials release the "listed" news of a phase: families are told who is listed."""
    phase = get_object_or_404(Phase, pk=pk)
    try:
        told = release_listed_news(phase=phase, by=request.user, at=timezone.now())  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "The “listed” news is released: %(n)s message to families is on its way.",
                "The “listed” news is released: %(n)s messages to families are on their way.",
                told,
            )
            % {"n": told},
        )
    return redirect("exchanges:phase", phase.pk)


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
