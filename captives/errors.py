from __future__ import annotations

from config.errors import DomainError


class TransitionError(DomainError):
    """A status change that makes no sense for the captive's current status."""
