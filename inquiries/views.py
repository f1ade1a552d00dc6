from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access
from accounts.access import role_required
from accounts.access_log import record_access
from accounts.models import AccessLogEntry, User
from captives.models import Captive
from captives.queries import query_refusal
from config import limits
from config.client import client_address
from config.errors import DomainError
from inquiries.devices import remember_device, trusted_device
from inquiries.erasure import pending_request, request_erasure
from inquiries.forms import (
    ErasureAskForm,
    InquiryForm,
    PinAgainForm,
    SightingForm,
    StatusForm,
    VerificationForm,
)
from inquiries.gallery import (
    consent_form_inquiry,
    consent_form_token,
    give_photo_consent,
    withdraw_photo_consent,
)
from inquiries.limits import INQUIRY_PER_IP, STATUS_PER_IP, pin_guesses
from inquiries.matching import Answer, decide_suggestion
from inquiries.models import ErasureRequest, Inquiry, Sighting, Suggestion, state_label
from inquiries.own_copy import own_copy_json
from inquiries.queries import search_inquiries
from inquiries.services import (
    allow_disclosure,
    confirm_sighting,
    file_inquiry,
    find_inquiry,
    homecoming_of,
    link_inquiry,
    public_state,
    record_sighting,
    return_of,
    sighting_suggestions,
    suggested_captives,
    verify_relative,
)
from inquiries.wording import came_home

RECEIPTS_KEY = "inquiry-receipts"  # reference → PIN, until shown
SEARCH_LIMIT = 50


def _refund_right_pin(guesses: list[tuple[limits.Rule, str]]) -> None:
    # If the store is down now, the attempt stays counted: a lockout a little early, never late.
    with contextlib.suppress(limits.LimitStoreDown):
        for rule, key in guesses:
            limits.refund(rule, key)


@never_cache
def new_inquiry(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(request.POST or None, request.FILES or None, today=timezone.localdate())
    if request.method == "POST":
        refused = limits.refusal(request, [(INQUIRY_PER_IP, client_address(request))])
        if refused:
            return refused
        if form.is_valid():
            form.instance.language = request.LANGUAGE_CODE
            if form.cleaned_data["photo"]:
                form.instance.photo = form.cleaned_data["photo"]  # stored outside the web root
            receipt = file_inquiry(
                inquiry=form.instance,
                at=timezone.now(),
                photo_to_returnees=form.cleaned_data["show_photo_to_returnees"],
            )
            # Post, redirect, get: reloading the page that shows the PIN must not file again.
            # Kept by reference: two inquiries filed in two tabs each find their own PIN.
            reference = receipt.inquiry.reference
            request.session[RECEIPTS_KEY] = request.session.get(RECEIPTS_KEY, {}) | {
                reference: receipt.pin
            }
            response = redirect(f"{reverse('inquiries:filed')}?{urlencode({'r': reference})}")
            remember_device(request, response, reference)  # the browser that filed it
            return response
    return render(request, "inquiries/new.html", {"form": form})


@never_cache
def inquiry_filed(request: HttpRequest) -> HttpResponse:
    """The reference and the PIN, once: taken out of the session as they are shown, so that a
    reload, or the next person at a shared computer, finds them gone."""
    reference = request.GET.get("r", "")
    receipts: dict[str, str] = request.session.get(RECEIPTS_KEY, {})
    pin = receipts.pop(reference, None)
    request.session[RECEIPTS_KEY] = receipts
    receipt = {"reference": reference, "pin": pin} if pin else None
    context = {"receipt": receipt, "call_back_days": settings.TRACING_CALL_BACK_DAYS}
    return render(request, "inquiries/filed.html", context)


@dataclass(frozen=True)
class Lookup:
    """What a reference and PIN opened: the inquiry, or a lock's answer, or neither (then the
    page says "not found", with the tries left)."""

    inquiry: Inquiry | None = None
    refused: HttpResponse | None = None
    tries_left: int | None = None


def _look_up(request: HttpRequest, form: StatusForm) -> Lookup:
    """One answer for every failure: a wrong reference reads exactly like a wrong PIN, and a
    lock reads the same whether the reference exists or not. The status page, the relative's
    copy and the erasure request all come through here.

    Wrong PINs are counted as OWASP's device cookies count them (``inquiries.limits``): a
    browser the reference trusts on its own, every other client per address and per reference,
    so that strangers lock out strangers and not the relative. Each attempt counts as a wrong
    PIN before the PIN is checked, and is taken back if it was right: counted afterwards,
    guesses sent at once would all pass the check before any of them was counted.
    """
    reference = form.cleaned_data["reference"].strip().upper()
    address = client_address(request)
    device = trusted_device(request, reference)
    guesses = pin_guesses(reference=reference, address=address, device=device)
    # Counted as before, the address's lookups first; each lock says which it is.
    refused = limits.refusal(
        request,
        [(STATUS_PER_IP, address)],
        template="inquiries/locked.html",
        context={"trusted": device is not None, "wrong_pins": False},
    ) or limits.refusal(
        request,
        guesses,
        template="inquiries/locked.html",
        context={"trusted": device is not None, "wrong_pins": True},
    )
    if refused:
        return Lookup(refused=refused)
    inquiry = find_inquiry(reference=reference, pin=form.cleaned_data["pin"])
    if inquiry is None:
        return Lookup(tries_left=_tries_left([(STATUS_PER_IP, address), *guesses]))
    _refund_right_pin(guesses)
    return Lookup(inquiry=inquiry)


@never_cache
def inquiry_status(request: HttpRequest) -> HttpResponse:
    """The relative's page: their inquiry's state, with its reference and PIN (``_look_up``)."""
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _answer(request, form, _look_up(request, form))
    return render(request, "inquiries/status.html", {"form": form})


def _proved_again(request: HttpRequest) -> tuple[StatusForm, Lookup, Inquiry] | HttpResponse:
    """A relative's POST that gives the reference and PIN again (their copy, their erasure
    request): the form, the lookup and the inquiry, or the status page's own answer to
    anything else (a GET goes to the page; a wrong PIN reads and costs as it does there)."""
    if request.method != "POST":
        return redirect("inquiries:status")
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render(request, "inquiries/status.html", {"form": form})
    found = _look_up(request, form)
    if found.inquiry is None:
        return _answer(request, form, found)
    return form, found, found.inquiry


def _answer(request: HttpRequest, form: StatusForm, found: Lookup, **more: object) -> HttpResponse:
    """The status page for what ``_look_up`` found: a lock, "not found", or the status."""
    if found.refused:
        return found.refused
    if found.inquiry is None:
        context = {"form": form, "not_found": True, "tries_left": found.tries_left}
        return render(request, "inquiries/status.html", context)
    context = _status_of(found.inquiry) | more
    response = render(request, "inquiries/status.html", {"form": form} | context)
    remember_device(request, response, found.inquiry.reference)
    return response


@never_cache
def inquiry_copy(request: HttpRequest) -> HttpResponse:
    """The relative's own copy, as a file, for their reference and PIN given again in this
    POST; any failure answers as the status page does. Logged, as every opening is."""
    proved = _proved_again(request)
    if isinstance(proved, HttpResponse):
        return proved
    inquiry = proved[2]
    at = timezone.now()
    record_access(
        user=None,
        kind=AccessLogEntry.Kind.RELATIVE_COPY,
        object_ref=f"inquiry:{inquiry.reference}",
        at=at,
    )
    response = HttpResponse(
        own_copy_json(inquiry, at=at), content_type="application/json; charset=utf-8"
    )
    name = f"homecoming-{inquiry.reference}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    remember_device(request, response, inquiry.reference)
    return response


@never_cache
def inquiry_erasure_ask(request: HttpRequest) -> HttpResponse:
    """The relative asks that their data be erased, with their reference and PIN given again;
    a caseworker confirms or declines. Any failure answers as the status page does."""
    proved = _proved_again(request)
    if isinstance(proved, HttpResponse):
        return proved
    form, found, inquiry = proved
    ask = ErasureAskForm(request.POST, auto_id="erase_%s")
    if not (ask.is_valid() and ask.cleaned_data["understood"]):
        ask.add_error("understood", _("Tick the box to say you understand what erasure means."))
        return _answer(request, form, found, erase_form=ask)
    try:
        request_erasure(inquiry=inquiry, at=timezone.now())
    except DomainError as error:
        return _answer(request, form, found, erasure_refused=str(error))
    return _answer(request, form, found, erasure_asked=True)


@never_cache
@require_POST
def withdraw_photo(request: HttpRequest) -> HttpResponse:
    """The status page's button: caseworkers no longer show the photo to returnees, at once."""
    return _photo_choice(
        request,
        lambda inquiry: withdraw_photo_consent(inquiry=inquiry),
        _("Caseworkers no longer show your photo to returnees."),
    )


@never_cache
@require_POST
def show_photo(request: HttpRequest) -> HttpResponse:
    """The status page's other button: caseworkers may show the photo to returnees from now on,
    as the box on the form would have let them."""
    return _photo_choice(
        request,
        lambda inquiry: give_photo_consent(inquiry=inquiry, at=timezone.now()),
        _("Caseworkers may now show your photo to people who have come back from captivity."),
    )


def _photo_choice(
    request: HttpRequest, choose: Callable[[Inquiry], Inquiry], said: str
) -> HttpResponse:
    """The relative's choice about their photo, then their status page again.

    The button sends no reference or PIN, only what the status page gave the relative once
    their PIN was right (``consent_form_token``, an hour's signature): nothing here can be
    guessed, and the status page's own lookups and their cost stay as they are.
    """
    inquiry = consent_form_inquiry(request.POST.get("token", ""))
    context: dict[str, object] = {"form": StatusForm()}
    if inquiry is None:
        context["expired"] = True
        return render(request, "inquiries/status.html", context)
    inquiry = choose(inquiry)
    messages.success(request, said)
    return render(request, "inquiries/status.html", context | _status_of(inquiry))


def _tries_left(checks: list[tuple[limits.Rule, str]]) -> int | None:
    """Wrong PINs left before the page locks, or None if the limit store cannot say."""
    try:
        return max(0, limits.left(checks))
    except limits.LimitStoreDown:
        return None


def _status_of(inquiry: Inquiry) -> dict[str, object]:
    """What the relative may read: the state, said of the person sought, and a return's day."""
    state = public_state(inquiry)
    home = homecoming_of(inquiry)
    pending = pending_request(inquiry)
    declined = (
        None
        if pending
        else inquiry.erasure_requests.filter(state=ErasureRequest.State.DECLINED).last()
    )
    return {
        "inquiry": inquiry,
        "copy_form": PinAgainForm(initial={"reference": inquiry.reference}, auto_id="copy_%s"),
        "erase_form": ErasureAskForm(initial={"reference": inquiry.reference}, auto_id="erase_%s"),
        "erasure_pending": pending,
        "erasure_declined": declined,
        "state": state,
        "state_label": state_label(state, inquiry.sought_sex),
        "came_home": came_home(home, inquiry.sought_sex) if home else "",
        "call_back_days": settings.TRACING_CALL_BACK_DAYS,
        "photo_form_token": consent_form_token(inquiry),
        "retention_days": settings.INQUIRY_RETENTION_DAYS,
    }


@role_required(access.INQUIRY_HANDLERS)
def inquiry_list(request: HttpRequest) -> HttpResponse:
    """Every inquiry, newest first; or those a search names, best first."""
    query = request.GET.get("q", "").strip()
    if query:
        refusal = query_refusal(query)
        found = [] if refusal else search_inquiries(query, SEARCH_LIMIT)
        context = {"query": query, "rows": found, "refusal": refusal}
        return render(request, "inquiries/list.html", context)
    inquiries = Inquiry.objects.select_related("captive")
    page = Paginator(inquiries, 50).get_page(request.GET.get("page"))
    return render(request, "inquiries/list.html", {"rows": page, "page": page})


@role_required(access.INQUIRY_HANDLERS)
def inquiry_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A caseworker's view of one inquiry: who asks, whom they seek, who in the registry fits."""
    inquiry = get_object_or_404(Inquiry.objects.select_related("captive"), reference=reference)
    if request.method == "POST":
        _act(request, inquiry)
        return redirect("inquiries:detail", inquiry.reference)
    log_opening(request, inquiry, AccessLogEntry.Kind.INQUIRY)
    home = return_of(inquiry.captive_id) if inquiry.captive_id else None
    context = {
        "inquiry": inquiry,
        "erasure_pending": pending_request(inquiry),
        "erasure": getattr(inquiry, "erasure", None),
        "suggestions": suggested_captives(inquiry) if inquiry.captive is None else [],
        "verify_form": VerificationForm(),
        "notifications": inquiry.notifications.all(),
        "leads": inquiry.sighting_leads.select_related("sighting__reporter"),
        "came_home": came_home(home, inquiry.sought_sex) if home else "",
    }
    return render(request, "inquiries/detail.html", context)


def log_opening(request: HttpRequest, inquiry: Inquiry, kind: AccessLogEntry.Kind) -> None:
    suffix = ":photo" if kind == AccessLogEntry.Kind.PHOTO else ""
    record_access(
        user=request.user,
        kind=kind,
        object_ref=f"inquiry:{inquiry.reference}{suffix}",
        at=timezone.now(),
    )


def _act(request: HttpRequest, inquiry: Inquiry) -> None:
    by: User = request.user  # type: ignore[assignment]
    action = request.POST.get("action")
    try:
        if action == "link":
            captive = get_object_or_404(Captive, public_id=request.POST.get("captive"))
            link_inquiry(inquiry=inquiry, captive=captive, by=by, at=timezone.now())
        elif action == "verify":
            form = VerificationForm(request.POST)
            method = form.cleaned_data["method"] if form.is_valid() else ""
            verify_relative(inquiry=inquiry, method=method, by=by, at=timezone.now())
        elif action in ("disclose", "withhold"):
            allow_disclosure(inquiry=inquiry, allowed=action == "disclose", by=by)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))


@role_required(access.INQUIRY_HANDLERS)
def sighting_new(request: HttpRequest) -> HttpResponse:
    form = SightingForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        sighting = record_sighting(sighting=form.save(commit=False), by=request.user)  # type: ignore[arg-type]
        return redirect("inquiries:sighting", sighting.pk)
    return render(request, "inquiries/sighting_new.html", {"form": form})


@role_required(access.INQUIRY_HANDLERS)
def sighting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What a returnee reported, and who in the registry the person seen may be."""
    sighting = get_object_or_404(
        Sighting.objects.select_related("reporter", "seen_captive", "recognised_from", "place"),
        pk=pk,
    )
    if request.method == "POST":
        captive = get_object_or_404(Captive, public_id=request.POST.get("captive"))
        try:
            confirm_sighting(sighting=sighting, captive=captive, by=request.user, at=timezone.now())  # type: ignore[arg-type]
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
        return redirect("inquiries:sighting", sighting.pk)
    suggestions = sighting_suggestions(sighting) if sighting.seen_captive is None else []
    return render(
        request, "inquiries/sighting.html", {"sighting": sighting, "suggestions": suggestions}
    )


@never_cache
@role_required(access.INQUIRY_HANDLERS)
def inquiry_photo(request: HttpRequest, reference: str) -> FileResponse:
    """The photo a relative sent, to caseworkers only: no public URL leads to it, and no cache
    keeps it."""
    inquiry = get_object_or_404(Inquiry, reference=reference)
    if not inquiry.photo:
        raise Http404
    log_opening(request, inquiry, AccessLogEntry.Kind.PHOTO)
    return FileResponse(inquiry.photo.open("rb"), content_type="image/jpeg")


@role_required(access.INQUIRY_HANDLERS)
def suggestion_queue(request: HttpRequest) -> HttpResponse:
    """Registry people the engine thinks families are looking for: confirm or reject each."""
    if request.method == "POST":
        suggestion = get_object_or_404(Suggestion, pk=request.POST.get("suggestion"))
        try:
            answer = decide_suggestion(
                suggestion=suggestion,
                confirmed=request.POST.get("answer") == "confirm",
                by=request.user,  # type: ignore[arg-type]
                at=timezone.now(),
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            _say_what_was_undone(request, answer)
        return redirect("inquiries:suggestions")
    open_ones = Suggestion.objects.filter(state=Suggestion.State.OPEN).select_related(
        "inquiry", "captive"
    )
    page = Paginator(open_ones, 30).get_page(request.GET.get("page"))
    return render(request, "inquiries/suggestions.html", {"page": page})


def _say_what_was_undone(request: HttpRequest, answer: Answer) -> None:
    """A rejection that unlinked inquiries says which, and whose relatives must be called."""
    if not answer.unlinked:
        return
    name = answer.suggestion.captive.full_name
    messages.warning(
        request,
        _(
            "No longer linked to %(name)s: %(references)s. Their relatives are told again only "
            "that the inquiry was received."
        )
        % {"name": name, "references": ", ".join(each.reference for each in answer.unlinked)},
    )
    if answer.told:
        messages.warning(
            request,
            _("Relatives already sent news of %(name)s: %(references)s. Call them to correct it.")
            % {"name": name, "references": ", ".join(each.reference for each in answer.told)},
        )
