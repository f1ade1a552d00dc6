"""The debriefing gallery's pages, for caseworkers (``inquiries.gallery``). Nothing here may be
kept by a browser or a proxy: the pages and photos say ``private, no-store``; each gallery
opened and each photo served is a line of the access log."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts import access
from accounts.access import role_required
from accounts.access_log import record_access
from accounts.models import AccessLogEntry
from captives.models import Captive
from config.errors import DomainError
from inquiries.forms import GalleryEntryForm, RecognitionForm
from inquiries.gallery import (
    NO_LONGER_SHOWN,
    gallery_of,
    record_recognition,
    returnees,
    shown_to,
    tile_inquiry_id,
)
from inquiries.models import Inquiry
from inquiries.views import log_opening


@never_cache
@role_required(access.INQUIRY_HANDLERS)
def gallery_start(request: HttpRequest) -> HttpResponse:
    """Whose debriefing: the returnee's record, by its identifier."""
    form = GalleryEntryForm(request.GET or None)
    if form.is_valid():
        return redirect("inquiries:gallery", form.cleaned_data["returnee"].public_id)
    return render(request, "inquiries/gallery_start.html", {"form": form})


@never_cache
@role_required(access.INQUIRY_HANDLERS)
def gallery(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The photos this returnee may be shown, those held where and when they were first."""
    returnee = get_object_or_404(returnees(), public_id=public_id)
    shown = gallery_of(returnee)
    record_access(
        user=request.user,
        kind=AccessLogEntry.Kind.GALLERY,
        object_ref=f"captive:{returnee.public_id}",
        at=timezone.now(),
    )
    context = {
        "returnee": returnee,
        "gallery": shown,
        # Nothing to narrow by: everyone at once.
        "everyone": request.GET.get("everyone") == "1" or not shown.periods,
    }
    return render(request, "inquiries/gallery.html", context)


@never_cache
@role_required(access.INQUIRY_HANDLERS)
def gallery_photo(request: HttpRequest, public_id: UUID, token: str) -> FileResponse:
    """A tile's photo, while its relative's consent stands."""
    returnee = get_object_or_404(returnees(), public_id=public_id)
    inquiry = _tile_inquiry(returnee, token)
    if inquiry is None:
        raise Http404
    log_opening(request, inquiry, AccessLogEntry.Kind.PHOTO)  # named as on the inquiry's page
    return FileResponse(inquiry.photo.open("rb"), content_type="image/jpeg")


def _tile_inquiry(returnee: Captive, token: str) -> Inquiry | None:
    inquiry_id = tile_inquiry_id(returnee, token)
    if inquiry_id is None:
        return None
    return shown_to(returnee).filter(pk=inquiry_id).first()


@never_cache
@role_required(access.INQUIRY_HANDLERS)
def gallery_tile(request: HttpRequest, public_id: UUID, token: str) -> HttpResponse:
    """ "I saw him, there, then": the sighting of the person on one tile."""
    returnee = get_object_or_404(returnees(), public_id=public_id)
    back = reverse("inquiries:gallery", args=[returnee.public_id])
    shown = gallery_of(returnee)
    inquiry_id = tile_inquiry_id(returnee, token)
    tile = shown.tile(inquiry_id) if inquiry_id is not None else None
    if tile is None:
        messages.error(request, str(NO_LONGER_SHOWN))
        return redirect(back)
    last_stay = shown.periods[-1].place if shown.periods else None
    form = RecognitionForm(
        request.POST or None, initial={"place": tile.place or last_stay}, today=timezone.localdate()
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_recognition(
                returnee=returnee,
                inquiry=Inquiry.objects.get(pk=tile.inquiry_id),
                by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(back)
        messages.success(
            request,
            _("Photo %(number)s: the sighting is recorded and queued for caseworkers.")
            % {"number": tile.number},
        )
        section = "" if tile.place else "?everyone=1"  # the others are shown on request
        return redirect(f"{back}{section}#tile-{tile.number}")
    context = {"returnee": returnee, "tile": tile, "form": form}
    return render(request, "inquiries/gallery_tile.html", context)
