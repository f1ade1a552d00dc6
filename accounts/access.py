"""The few functions that decide who may open what. Views call these, never their own `if`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from accounts.models import PartnerToken
from accounts.roles import Role, has_any_role, is_staff_member

EXCHANGE_READERS = frozenset({Role.OFFICIAL, Role.REVIEWER, Role.ADMINISTRATOR})
EXCHANGE_EDITORS = frozenset({Role.OFFICIAL, Role.ADMINISTRATOR})
REGISTRY_SEARCHERS = frozenset({Role.OFFICIAL, Role.REVIEWER, Role.CASEWORKER, Role.ADMINISTRATOR})
REGISTRY_EDITORS = frozenset({Role.OFFICIAL, Role.ADMINISTRATOR})
LIST_REVIEWERS = frozenset({Role.REVIEWER, Role.OFFICIAL, Role.ADMINISTRATOR})
INQUIRY_HANDLERS = frozenset({Role.CASEWORKER, Role.ADMINISTRATOR})
EXPORTERS = frozenset({Role.OFFICIAL, Role.ADMINISTRATOR})  # files leave the system: not reviewers
# Who opened what about whom is itself personal data: administrators alone read the access log.
ACCESS_LOG_READERS = frozenset({Role.ADMINISTRATOR})

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def role_required(allowed: frozenset[Role]) -> Callable[[View], View]:
    """Let the view run for a user holding one of ``allowed``; send strangers to the login page.

    A signed-in user without the role gets 403, so that a denial never looks like a missing page.
    """
    return _required(lambda user: has_any_role(user, allowed))


def staff_required(view: View) -> View:
    """Let the view run for staff (``accounts.roles.is_staff_member``), as ``role_required``
    does for a role: the second factor's pages, which protect nothing for anyone else."""
    return _required(is_staff_member)(view)


def _required(test: Callable[[AbstractBaseUser | AnonymousUser], bool]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def by_partner(request: HttpRequest) -> bool:
    """Whether an API call comes from a partner system's token (not a signed-in person): a
    partner reads only what it submitted itself, whoever else submitted the same."""
    return isinstance(getattr(request, "auth", None), PartnerToken)
