from __future__ import annotations

from config.errors import ConflictError, DomainError


class TransferError(DomainError):
    """A transfer that cannot be listed or confirmed as asked."""


class AlreadyConfirmedError(ConflictError):
    """Someone confirmed this person's return already."""


class PhaseCompletedError(ConflictError):
    """Two officials confirmed the phase: what it says happened stays as it is."""


class ProposalOutdatedError(ConflictError):
    """The phase's lists changed since its confirmation was proposed: it must be proposed again."""


class PhaseNotCompletedError(DomainError):
    """Nobody has crossed in the phase yet: it has no protocol."""
