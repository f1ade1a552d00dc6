"""What an API caller may read of the records partners create: a partner system its own
submissions only (another partner's are "not found"); staff by their roles."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.request import Request

from accounts import access
from accounts.models import PartnerToken
from accounts.roles import has_any_role
from exchanges.models import ReleaseList
from inquiries.models import Inquiry, Sighting


def _is_partner(request: Request) -> bool:
    return isinstance(request.auth, PartnerToken)


def release_lists_visible_to(request: Request) -> QuerySet[ReleaseList]:
    if _is_partner(request):
        return ReleaseList.objects.filter(uploaded_by=request.user.pk)
    if has_any_role(request.user, access.EXCHANGE_READERS):
        return ReleaseList.objects.all()
    return ReleaseList.objects.none()


def inquiries_visible_to(request: Request) -> QuerySet[Inquiry]:
    if _is_partner(request):
        return Inquiry.objects.filter(partner_filing__partner=request.user.pk)
    if has_any_role(request.user, access.INQUIRY_HANDLERS):
        return Inquiry.objects.all()
    return Inquiry.objects.none()


def sightings_visible_to(request: Request) -> QuerySet[Sighting]:
    if _is_partner(request):
        return Sighting.objects.filter(recorded_by=request.user.pk)
    if has_any_role(request.user, access.INQUIRY_HANDLERS):
        return Sighting.objects.all()
    return Sighting.objects.none()
