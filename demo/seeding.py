"""Writes the demo: accounts, the "1000 for 1000" exchange with its three phases, a registry
whose history shows each person's path, inquiries, sightings and a list waiting for review.

Everything is bulk-written (the demo must load in seconds on SQLite), history rows included:
each one carries the demo official as its author and a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from captives import wording
from captives.lifecycle import Status
from captives.models import Captive, Provenance, Side
from demo.people import DemoPerson
from exchanges.models import Direction, Exchange, Phase, Transfer

KYIV = ZoneInfo("Europe/Kyiv")
PASSWORD = "homecoming-demo"  # noqa: S105 - the published demo password, DEBUG only
# Two officials: one proposes a phase's confirmation, the other approves it (four eyes).
ACCOUNTS = {
    "official": "official",
    "official2": "official",
    "reviewer": "reviewer",
    "caseworker": "caseworker",
    "admin": "administrator",
}
# (number, day, returned servicemen, returned civilians, named returned servicemen) — the
# handed-over side mirrors the declared numbers. Phase 3 names two fewer than it declares.
PHASES = (
    (1, date(2025, 5, 23), 270, 120, 270),
    (2, date(2025, 5, 24), 205, 102, 205),
    (3, date(2025, 5, 25), 215, 88, 213),
)
HistoryStep = tuple[Status, datetime, str]


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=KYIV)


def accounts() -> dict[str, User]:
    users = {}
    for username, role in ACCOUNTS.items():
        admin = role == "administrator"
        user = User(username=username, is_staff=admin, is_superuser=admin)
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users


@dataclass
class Registry:
    """Captives waiting to be written, each with the steps of its history."""

    captives: list[Captive] = field(default_factory=list)
    steps: list[list[HistoryStep]] = field(default_factory=list)

    def add(
        self, person: DemoPerson, side: Side, provenance: Provenance, steps: list[HistoryStep]
    ) -> Captive:
        captive = Captive(
            source="demo-registry",
            external_id=f"DEMO-{len(self.captives) + 1:05d}",
            held_by=side,
            status=steps[-1][0],
            provenance=provenance,
            **person.__dict__,
        )
        captive.store_name_keys()
        self.captives.append(captive)
        self.steps.append(steps)
        return captive

    def save(self, author: User) -> None:
        Captive.objects.bulk_create(self.captives, batch_size=1000)
        saved = {
            external_id: (pk, public_id)
            for external_id, pk, public_id in Captive.objects.filter(
                source="demo-registry"
            ).values_list("external_id", "pk", "public_id")
        }
        for captive in self.captives:  # SQLite's bulk_create does not hand back primary keys
            captive.pk, captive.public_id = saved[captive.external_id]
        history = Captive.history.model
        tracked = [f.attname for f in history._meta.fields if f.attname in _captive_fields()]
        rows = []
        for captive, steps in zip(self.captives, self.steps, strict=True):
            snapshot = {name: getattr(captive, name) for name in tracked}
            for i, (status, when, reason) in enumerate(steps):
                rows.append(
                    history(
                        **(snapshot | {"status": status}),
                        history_date=when,
                        history_type="+" if i == 0 else "~",
                        history_user=author,
                        history_change_reason=reason,
                    )
                )
        history.objects.bulk_create(rows, batch_size=2000)


def _captive_fields() -> set[str]:
    return {f.attname for f in Captive._meta.concrete_fields}


def path_home(
    registered: date, confirmed: date | None, phase: date, final: Status
) -> list[HistoryStep]:
    """missing (or confirmed at once) → confirmed captive → listed → the final status."""
    steps: list[HistoryStep] = [(Status.MISSING, at(registered), wording.REPORTED_MISSING())]
    if confirmed:
        steps.append((Status.CONFIRMED_CAPTIVE, at(confirmed), wording.CONFIRMED_BY_ICRC()))
    steps.append((Status.LISTED, at(phase - timedelta(days=3)), wording.ON_THEIR_LIST()))
    if final is Status.RETURNED:
        steps.append((Status.RETURNED, at(phase, 15), wording.CAME_HOME_IN_THE_EXCHANGE()))
    return steps


def exchange_1000(proposer: User, approver: User) -> tuple[Exchange, list[Phase]]:
    """The May 2025 exchange, its three phases completed: each confirmed by two officials, one
    proposing on the day, the other approving (as the phase protocol names them)."""
    exchange = Exchange.objects.create(
        name="1000 for 1000",
        agreed_on=date(2025, 5, 16),
        venue="Istanbul",
        mediators="Türkiye",
        agreed_returned_servicemen=690,
        agreed_returned_civilians=310,
        agreed_handed_over_servicemen=690,
        agreed_handed_over_civilians=310,
    )
    phases = [
        Phase.objects.create(
            exchange=exchange,
            number=number,
            date=day,
            place="Belarus-Ukraine border",
            state=Phase.State.COMPLETED,
            handed_over_on=day,
            declared_returned_servicemen=servicemen,
            declared_returned_civilians=civilians,
            declared_handed_over_servicemen=servicemen,
            declared_handed_over_civilians=civilians,
            proposed_by=proposer,
            proposed_at=at(day, 16),
            approved_by=approver,
            approved_at=at(day, 17),
        )
        for number, day, servicemen, civilians, _named in PHASES
    ]
    return exchange, phases


def transfers(
    phase: Phase, captives: list[Captive], direction: Direction, author: User, confirmed: bool
) -> None:
    state = Transfer.State.CONFIRMED if confirmed else Transfer.State.LISTED
    rows = [
        Transfer(
            phase=phase,
            captive=captive,
            direction=direction,
            state=state,
            confirmed_by=author if confirmed else None,
            confirmed_at=at(phase.date, 15) if confirmed else None,
        )
        for captive in captives
    ]
    reason = "Confirmed on the day" if confirmed else "Listed for exchange"
    bulk_create_with_history(
        rows,
        Transfer,
        batch_size=1000,
        default_user=author,
        default_change_reason=reason,
        default_date=at(phase.date, 15),
    )
