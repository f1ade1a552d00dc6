"""What an API caller may read of the release lists: a partner system the lists it submitted
(another partner's are "not found"); staff by their roles."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.request import Request

from accounts import access
from accounts.roles import has_any_role
from exchanges.models import ReleaseList


def release_lists_visible_to(request: Request) -> QuerySet[ReleaseList]:
    if access.by_partner(request):
        return ReleaseList.objects.filter(partner=request.user.pk)
    if has_any_role(request.user, access.EXCHANGE_READERS):
        return ReleaseList.objects.all()
    return ReleaseList.objects.none()
