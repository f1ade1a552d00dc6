from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.roles import STAFF_ROLES, Role, has_any_role


class IsStaffRole(BasePermission):
    """API calls from a signed-in member of staff or a partner system's account."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_any_role(request.user, STAFF_ROLES | {Role.PARTNER})
