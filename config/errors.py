from __future__ import annotations


class DomainError(Exception):
    """A change the domain refuses. The message is shown to the person who asked for it; the
    API answers 422, the request being well formed and refused by a rule."""

    status_code = 422


class ConflictError(DomainError):
    """The change collides with another one (someone else got there first)."""

    status_code = 409
