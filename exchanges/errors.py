from __future__ import annotations

from config.errors import ConflictError, DomainError


class TransferRefused(DomainError):
    """A transfer that cannot be listed or confirmed as asked."""


class AlreadyConfirmed(ConflictError):
    """Someone confirmed this person's return already."""
