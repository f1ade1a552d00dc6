"""Partner systems' tokens: issued once, stored as a digest, checked on every call."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts import access
from accounts.models import PartnerToken, User
from accounts.roles import Role, has_any_role

SCOPES = frozenset(
    {
        "registry:read",
        "registry:personal",
        "phases:write",
        "lists:submit",
        "inquiries:write",
        "sightings:write",
        "webhooks:manage",
    }
)
# A member of staff signed in with a session holds a scope through their roles instead.
SCOPE_ROLES: dict[str, frozenset[Role]] = {
    "registry:read": access.REGISTRY_SEARCHERS,
    "registry:personal": access.REGISTRY_SEARCHERS,
    "phases:write": access.EXCHANGE_EDITORS,
    "lists:submit": access.EXCHANGE_EDITORS,
    "inquiries:write": access.INQUIRY_HANDLERS,
    "sightings:write": access.INQUIRY_HANDLERS,
}
KEYWORD = "Bearer"


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(
    *, partner_name: str, scopes: list[str], now: datetime, days: int = 365
) -> tuple[PartnerToken, str]:
    """A new token for a partner (its account made if needed); the raw token is returned once."""
    unknown = set(scopes) - SCOPES
    if unknown:
        raise ValueError(f"Unknown scopes: {', '.join(sorted(unknown))}")
    raw = "hc_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        partner, _ = User.objects.get_or_create(username=partner_name)
        partner.groups.add(Group.objects.get(name=Role.PARTNER.value))
        token = PartnerToken.objects.create(
            partner=partner,
            name=f"{partner_name} {now:%Y-%m-%d}",
            prefix=raw[:8],
            digest=digest(raw),
            scopes=sorted(scopes),
            expires_at=now + timedelta(days=days),
        )
    return token, raw


def revoke_token(*, token: PartnerToken, at: datetime) -> PartnerToken:
    """Refuse the token from now on (kept, for the audit log that names it)."""
    PartnerToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=at)
    token.refresh_from_db(fields=["revoked_at"])
    return token


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer hc_…``; expired and revoked tokens are refused alike."""

    def authenticate(self, request: Request) -> tuple[User, PartnerToken] | None:
        try:  # the bytes the client sent (WSGI reads them as Latin-1): a token is ASCII
            header = authentication.get_authorization_header(request).decode("ascii").split()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header.")) from error
        if not header or header[0].lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        token = (
            PartnerToken.objects.select_related("partner")
            .filter(digest=digest(header[1]), revoked_at__isnull=True)
            .first()
        )
        if token is None or token.expires_at <= timezone.now() or not token.partner.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        request._request.partner_token = token  # type: ignore[attr-defined]  # for the audit
        return token.partner, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


def scopes_of(request: Request) -> frozenset[str]:
    """The scopes of the caller: a token's own, or those a signed-in member of staff's roles
    give."""
    token = request.auth
    if isinstance(token, PartnerToken):
        return frozenset(token.scopes)
    return frozenset(
        scope for scope, roles in SCOPE_ROLES.items() if has_any_role(request.user, roles)
    )


def sees_registry(request: Request) -> bool:
    """Captives (names, statuses, public ids), wherever they appear, a release list's
    candidates and matches included, only for ``registry:read``."""
    return "registry:read" in scopes_of(request)


def sees_personal_data(request: Request) -> bool:
    """Dates of birth, units and service numbers only for ``registry:personal``: a token's own
    scope, or a member of staff whose roles give it."""
    return "registry:personal" in scopes_of(request)


def required_scope(view: Any, method: str) -> str | None:
    """``required_scope`` for reads, ``write_scope`` (when a view has one) for writes."""
    if method not in ("GET", "HEAD", "OPTIONS") and hasattr(view, "write_scope"):
        return str(view.write_scope)
    scope = getattr(view, "required_scope", None)
    return None if scope is None else str(scope)


class HasScope(BasePermission):
    """A view names the scope it needs in ``required_scope`` (and ``write_scope``)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return required_scope(view, request.method or "GET") in scopes_of(request)
