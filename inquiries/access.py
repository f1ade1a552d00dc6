"""What an API caller may read of inquiries and sightings: a partner system those it filed or
recorded itself (another partner's are "not found"); staff by their roles."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.request import Request

from accounts import access
from accounts.roles import has_any_role
from inquiries.models import Inquiry, Sighting


def inquiries_visible_to(request: Request) -> QuerySet[Inquiry]:
    if access.by_partner(request):
        return Inquiry.objects.filter(partner_filing__partner=request.user.pk)
    if has_any_role(request.user, access.INQUIRY_HANDLERS):
        return Inquiry.objects.all()
    return Inquiry.objects.none()


def sightings_visible_to(request: Request) -> QuerySet[Sighting]:
    if access.by_partner(request):
        return Sighting.objects.filter(recorded_by=request.user.pk)
    if has_any_role(request.user, access.INQUIRY_HANDLERS):
        return Sighting.objects.all()
    return Sighting.objects.none()
