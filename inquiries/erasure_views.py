"""The caseworkers' side of a relative's erasure request: the requests waiting, and the page
that confirms one (the relative's data erased, an open inquiry closed) or declines it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.access import role_required
from accounts.models import AccessLogEntry, User
from config.errors import DomainError
from inquiries.erasure import confirm_erasure, decline_erasure, pending_request
from inquiries.forms import DeclineErasureForm
from inquiries.models import ErasureRequest, Inquiry
from inquiries.views import log_opening


@role_required(access.INQUIRY_HANDLERS)
def erasure_requests(request: HttpRequest) -> HttpResponse:
    """Relatives' erasure requests waiting for a caseworker, the oldest first."""
    pending = ErasureRequest.objects.filter(state=ErasureRequest.State.PENDING).select_related(
        "inquiry"
    )
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "inquiries/erasure_requests.html", {"page": page})


@role_required(access.INQUIRY_HANDLERS)
def erasure_decision(request: HttpRequest, reference: str) -> HttpResponse:
    """Confirm a relative's erasure request (their data are erased; an open inquiry is closed,
    which this page says first) or decline it, saying why."""
    inquiry = get_object_or_404(Inquiry, reference=reference)
    pending = pending_request(inquiry)
    if pending is None:
        messages.info(request, _("No erasure request waits on this inquiry."))
        return redirect("inquiries:detail", inquiry.reference)
    form = DeclineErasureForm(request.POST if request.POST.get("action") == "decline" else None)
    if request.method == "POST":
        by: User = request.user  # type: ignore[assignment]
        try:
            if request.POST.get("action") == "confirm":
                confirm_erasure(erasure_request=pending, by=by, at=timezone.now())
                messages.success(request, _("The relative's data were erased."))
                return redirect("inquiries:detail", inquiry.reference)
            if form.is_valid():
                decline_erasure(
                    erasure_request=pending,
                    because=form.cleaned_data["because"],
                    by=by,
                    at=timezone.now(),
                )
                messages.success(request, _("The request was declined; the relative is told why."))
                return redirect("inquiries:detail", inquiry.reference)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("inquiries:detail", inquiry.reference)
    log_opening(request, inquiry, AccessLogEntry.Kind.INQUIRY)  # it names the relative
    context = {"inquiry": inquiry, "pending": pending, "form": form}
    return render(request, "inquiries/erasure_decision.html", context)
