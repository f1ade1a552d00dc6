"""The access log: who opened which record about a person, and when (after the ICRC Handbook on
Data Protection in Humanitarian Action: personal data are read by those who need to, and it is
known who did)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from accounts.models import AccessLogEntry, User


def record_access(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    kind: AccessLogEntry.Kind,
    object_ref: str,
    at: datetime,
) -> None:
    """Write one line of the access log: ``user`` (None or anonymous: a relative with their
    reference and PIN) opened ``object_ref`` of ``kind`` at ``at``."""
    AccessLogEntry.objects.create(
        user=user if isinstance(user, User) else None,
        kind=kind,
        object_ref=object_ref[:120],
        at=at,
    )
