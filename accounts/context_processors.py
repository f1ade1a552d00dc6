from __future__ import annotations

from django.http import HttpRequest

from accounts import access
from accounts.roles import has_any_role


def roles(request: HttpRequest) -> dict[str, bool]:
    """Which menus the current user sees; the views check the same sets again."""
    user = request.user
    return {
        "can_read_exchanges": has_any_role(user, access.EXCHANGE_READERS),
        "can_edit": has_any_role(user, access.EXCHANGE_EDITORS),
        "can_search_registry": has_any_role(user, access.REGISTRY_SEARCHERS),
        "can_review_lists": has_any_role(user, access.LIST_REVIEWERS),
        "can_handle_inquiries": has_any_role(user, access.INQUIRY_HANDLERS),
    }
