"""A completed phase's protocol: the record officials print, sign and file, of who crossed that
day in each direction, the counts declared beside those named, and the two officials whose
four-eyes confirmation completed it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import User
from captives.models import Category
from exchanges.errors import PhaseNotCompletedError
from exchanges.models import Direction, Phase, Transfer
from exchanges.tally import Tally, declared_against_named


@dataclass(frozen=True)
class Signatory:
    """One of the two officials: who proposed the confirmation, or who approved it."""

    role: str
    name: str | None  # None: a phase recorded as completed without its approval (the demo's)
    at: datetime | None


@dataclass(frozen=True)
class Protocol:
    phase: Phase
    returned: list[Transfer]
    handed_over: list[Transfer]
    signatories: list[Signatory]

    @property
    def named(self) -> Tally:
        """The people the protocol lists, so that its counts and its tables never disagree."""
        people = [*self.returned, *self.handed_over]

        def count(direction: Direction, category: Category) -> int:
            return sum(
                1 for t in people if t.direction == direction and t.captive.category == category
            )

        return Tally(
            returned_servicemen=count(Direction.RETURNED, Category.SERVICEMAN),
            returned_civilians=count(Direction.RETURNED, Category.CIVILIAN),
            handed_over_servicemen=count(Direction.HANDED_OVER, Category.SERVICEMAN),
            handed_over_civilians=count(Direction.HANDED_OVER, Category.CIVILIAN),
        )

    def columns(self) -> list[tuple[str, Tally]]:
        return declared_against_named(self.phase.declared(), self.named)


def phase_protocol(phase: Phase) -> Protocol:
    """The protocol of a completed ``phase`` (loaded with its exchange and both officials), in
    one query for its people whatever their number. PhaseNotCompletedError for any other: until
    a second official approves, nobody has crossed and there is nothing to sign."""
    if phase.state != Phase.State.COMPLETED:
        raise PhaseNotCompletedError(
            _("Phase %(n)s is not completed: its protocol is drawn up once it is approved.")
            % {"n": phase.number}
        )
    crossed = (
        Transfer.objects.filter(phase=phase, state=Transfer.State.CONFIRMED)
        .select_related("captive")
        .alphabetical()
    )
    people = list(crossed)
    return Protocol(
        phase=phase,
        returned=[t for t in people if t.direction == Direction.RETURNED],
        handed_over=[t for t in people if t.direction == Direction.HANDED_OVER],
        signatories=[
            Signatory(
                _("First official: proposed the confirmation"),
                official_name(phase.proposed_by),
                phase.proposed_at,
            ),
            Signatory(
                _("Second official: approved it"),
                official_name(phase.approved_by),
                phase.approved_at,
            ),
        ],
    )


def official_name(user: User | None) -> str | None:
    """The name a signature line is for: the full name with the login, or the login alone."""
    if user is None:
        return None
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()
