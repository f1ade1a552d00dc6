"""Who may do what. Roles are Django groups created by a data migration; access is checked here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICIAL = "official", _("Official")
    REVIEWER = "reviewer", _("Reviewer")
    CASEWORKER = "caseworker", _("Caseworker")
    ADMINISTRATOR = "administrator", _("Administrator")
    PARTNER = "partner", _("Partner system")
    RELATIVE = "relative", _("Relative")


STAFF_ROLES = frozenset({Role.OFFICIAL, Role.REVIEWER, Role.CASEWORKER, Role.ADMINISTRATOR})

# The page each role starts on, in order of precedence for a person with several roles.
START_PAGES: tuple[tuple[Role, str], ...] = (
    (Role.ADMINISTRATOR, "exchanges:list"),
    (Role.OFFICIAL, "exchanges:list"),
    (Role.REVIEWER, "review:queue"),
    (Role.CASEWORKER, "registry:search"),
)


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """The roles a user holds; superusers hold the administrator role."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_homecoming_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        cached = frozenset(role for role in Role if role.value in names)
        if getattr(user, "is_superuser", False):
            cached |= {Role.ADMINISTRATOR}
        setattr(user, "_homecoming_roles", cached)  # noqa: B010 - a per-request cache on the user
    return cached


def has_any_role(user: AbstractBaseUser | AnonymousUser, roles: frozenset[Role]) -> bool:
    return bool(roles_of(user) & roles)


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the user is staff: holds a staff role, or the admin's staff flag. Staff, and only
    staff, sign in with a second factor."""
    return has_any_role(user, STAFF_ROLES) or bool(getattr(user, "is_staff", False))


def start_page(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The URL name of the user's start page, or None for someone with no staff role."""
    held = roles_of(user)
    return next((page for role, page in START_PAGES if role in held), None)
