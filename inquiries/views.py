from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts import access
from accounts.access import role_required
from inquiries.forms import InquiryForm, StatusForm
from inquiries.models import Inquiry
from inquiries.services import file_inquiry, find_inquiry, public_state


@never_cache
def new_inquiry(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.language = request.LANGUAGE_CODE
        receipt = file_inquiry(inquiry=form.instance, at=timezone.now())
        return render(request, "inquiries/filed.html", {"receipt": receipt}, status=201)
    return render(request, "inquiries/new.html", {"form": form})


@never_cache
def inquiry_status(request: HttpRequest) -> HttpResponse:
    """One answer for every failure: a wrong reference reads exactly like a wrong PIN."""
    form = StatusForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        inquiry = find_inquiry(
            reference=form.cleaned_data["reference"], pin=form.cleaned_data["pin"]
        )
        if inquiry is None:
            context["not_found"] = True
        else:
            context["inquiry"] = inquiry
            context["state"] = public_state(inquiry)
    return render(request, "inquiries/status.html", context)


@role_required(access.INQUIRY_HANDLERS)
def inquiry_list(request: HttpRequest) -> HttpResponse:
    inquiries = Inquiry.objects.select_related("captive")
    page = Paginator(inquiries, 50).get_page(request.GET.get("page"))
    return render(request, "inquiries/list.html", {"page": page})
