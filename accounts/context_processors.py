from __future__ import annotations

from django.http import HttpRequest

from accounts import access
from accounts.roles import has_any_role
from accounts.second_factor import needs_second_factor


def roles(request: HttpRequest) -> dict[str, bool]:
    """Which menus the current user sees; the views check the same sets again.

    Staff who have not yet proved their second factor see none: every link would lead back to
    the code step.
    """
    user = request.user
    signed_in = not needs_second_factor(user)
    return {
        "can_read_exchanges": signed_in and has_any_role(user, access.EXCHANGE_READERS),
        "can_edit": signed_in and has_any_role(user, access.EXCHANGE_EDITORS),
        "can_search_registry": signed_in and has_any_role(user, access.REGISTRY_SEARCHERS),
        "can_review_lists": signed_in and has_any_role(user, access.LIST_REVIEWERS),
        "can_handle_inquiries": signed_in and has_any_role(user, access.INQUIRY_HANDLERS),
        "can_read_access_log": signed_in and has_any_role(user, access.ACCESS_LOG_READERS),
        "can_administer": signed_in and bool(getattr(user, "is_staff", False)),
    }
