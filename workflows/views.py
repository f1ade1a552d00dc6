"""The pages that start a workflow crossing apps: a phase's confirmation, a merge and its undo.

Each parses the form, calls one workflow and says what happened; the rules are in the workflow.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.access import role_required
from accounts.models import User
from captives.forms import MergeForm
from captives.models import Captive, Merge
from config.errors import DomainError
from exchanges.models import Phase
from workflows.confirmation import approve_confirmation, propose_confirmation
from workflows.merging import merge_captives, undo_merge

CONFIRMATION_STEPS = ("propose", "approve")


@require_POST
@role_required(access.EXCHANGE_EDITORS)
def phase_confirmation(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Propose, or approve, the confirmation of a phase (two different officials)."""
    if step not in CONFIRMATION_STEPS:
        raise Http404  # a mistyped step approves nothing
    phase = get_object_or_404(Phase, pk=pk)
    official: User = request.user  # type: ignore[assignment]
    try:
        if step == "propose":
            propose_confirmation(phase=phase, by=official, at=timezone.now())
        else:
            approve_confirmation(
                phase=phase, by=official, at=timezone.now(), seen=_seen_proposal(request)
            )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        done = _("Confirmation proposed.") if step == "propose" else _("Phase confirmed.")
        messages.success(request, done)
    return redirect("exchanges:phase", phase.pk)


def _seen_proposal(request: HttpRequest) -> datetime:
    """When the proposal on the approver's page was made, as the form says. A form that does
    not say (an old page, a crafted request) saw no proposal: the epoch, which none matches."""
    try:
        return datetime.fromisoformat(request.POST.get("proposed_at", ""))
    except ValueError:
        return datetime.fromtimestamp(0, tz=UTC)


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
