"""Sending to the outside world (partners' webhooks, messages to families), at least once.

Each send is a row that a worker claims with a conditional UPDATE before it sends (so a task
delivered twice sends once), with the time of the claim. A failure puts the row back with a
growing wait; a worker that dies after claiming leaves it claimed, and a periodic sweep hands it
out again after ``CLAIM_EXPIRES``, as it does rows whose task message Redis lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(hours=6)
CLAIM_EXPIRES = timedelta(minutes=5)
# A retry's message may arrive a moment before its due time (clocks, ETA precision): it still
# counts, rather than leaving the row to the sweeper minutes later.
EARLY = timedelta(seconds=2)


@dataclass(frozen=True)
class Outcome:
    state: str
    retry_in: timedelta | None = None  # when the next attempt is due, if there is one


def backoff(attempt: int, *, jitter: float) -> timedelta:
    """The wait after the ``attempt``-th failure: 30 s doubling each time, capped at six hours,
    plus up to a quarter more (``jitter`` in [0, 1)) so that retries to one place spread out."""
    base: timedelta = min(FIRST_DELAY * 2 ** (attempt - 1), LONGEST_DELAY)
    return base * (1 + 0.25 * jitter)


class Undeliverable(Exception):  # noqa: N818 (it says what happened, as ValueError does)
    """Raised by a sender when no later attempt can succeed: the provider refused this recipient
    or this message (a number that is not a phone's, a recipient who opted out). The send fails
    at once, with the reason, rather than trying for hours."""


def worth_retrying(status: int) -> bool:
    """Whether a provider's HTTP refusal may pass: its own trouble (5xx), too many requests
    (429), a timeout (408), or our credentials or account (401, 403, 404), which the deployment
    fixes, after which the message should still leave. Any other 4xx is about this message."""
    return status >= 500 or status in {401, 403, 404, 408, 429}
