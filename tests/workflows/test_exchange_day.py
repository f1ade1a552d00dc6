"""The exchange day cannot lie: a state machine drives the real services, on PostgreSQL, through
random sequences of what officials, reviewers, caseworkers and relatives do, and after every step
checks what a family may be told and what the records keep.

Each sequence starts from an empty database (a savepoint rolled back at its end): a registry of
15 people, a few of them namesakes or one person recorded twice, and a clock. The steps record
agreements and phases, upload and reconcile lists, decide rows, propose, approve, take people
off lists, merge and undo, file, verify and link inquiries, decide suggestions, record and
confirm sightings, allow disclosure, run the hourly jobs and move the clock. Callbacks after
commit never fire (the savepoint is never committed): the hourly jobs and the re-matching step
stand in for them, and the invariants read the rows the services wrote.

Every service is called from one small adapter method (``_propose``, ``_approve``…), so that a
changed signature is changed in one place. A refusal (a ``DomainError`` or ``ValidationError``
with its sentence) is a normal outcome of a random step; anything else fails the test.

Budget: ``HOMECOMING_STATEFUL_EXAMPLES`` sequences (a bounded number in the test command,
``make stateful`` runs 500); the number explored is printed at the end of the session.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any, ClassVar, TypeVar
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import models, transaction
from hypothesis import HealthCheck
from hypothesis import Phase as HypothesisPhase
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.models import User
from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive, Category, Merge, Side
from captives.services import Identity
from config.errors import DomainError
from exchanges.agreements import record_exchange
from exchanges.models import (
    Exchange,
    Outcome,
    Phase,
    ReleaseList,
    ReleaseListRow,
    Resolution,
    Transfer,
)
from exchanges.reconciliation import (
    receive_release_list,
    reconcile_release_list,
    rereconcile_open_rows,
)
from exchanges.review import record_new_captive, resolve_row
from exchanges.services import record_phase, take_off_list
from exchanges.tally import Tally
from inquiries.matching import (
    decide_suggestion,
    match_changes,
    match_sightings_to_inquiries,
    rematch_open_inquiries,
)
from inquiries.models import Inquiry, Notification, Sighting, Suggestion
from inquiries.notifications import tell_untold_returns
from inquiries.services import (
    allow_disclosure,
    confirm_sighting,
    file_inquiry,
    link_inquiry,
    public_state,
    record_sighting,
    suggested_captives,
    verify_relative,
)
from tests.factories import make_captive, make_user
from workflows.confirmation import approve_confirmation, propose_confirmation
from workflows.merging import merge_captives, undo_merge
from workflows.news import release_listed_news

T = TypeVar("T")
KYIV = ZoneInfo("Europe/Kyiv")
FIRST_DAY = date(2026, 3, 2)
EXAMPLES = int(os.environ.get("HOMECOMING_STATEFUL_EXAMPLES", "20"))
STEPS = int(os.environ.get("HOMECOMING_STATEFUL_STEPS", "40"))
# Shrinking a failing sequence to its shortest takes minutes: asked for, or in the long run.
SHRINK = os.environ.get("HOMECOMING_STATEFUL_SHRINK", str(int(EXAMPLES > 50))) == "1"
# For diagnosis only: the reasons of refusals, counted (``HOMECOMING_STATEFUL_WHY=1``).
WHY = os.environ.get("HOMECOMING_STATEFUL_WHY") == "1"
# For diagnosis only: check some invariants alone (``HOMECOMING_STATEFUL_ONLY=1,7``), so that
# one failing early does not hide another. All seven are checked unless asked.
ONLY = {int(n) for n in os.environ.get("HOMECOMING_STATEFUL_ONLY", "1,2,3,4,5,6,7").split(",")}

# Family, given name, patronymic, born, category, held by, status: namesakes (Шевченко,
# Коваленко), one person recorded twice (Мельник), one held by our side.
REGISTRY: tuple[tuple[str, str, str, date | None, Category, Side, Status], ...] = (
    (
        "Шевченко",
        "Олександр",
        "Петрович",
        date(1990, 3, 14),
        Category.SERVICEMAN,
        Side.THEIRS,
        Status.CONFIRMED_CAPTIVE,
    ),
    (
        "Шевченко",
        "Олександр",
        "Петрович",
        date(1985, 7, 2),
        Category.SERVICEMAN,
        Side.THEIRS,
        Status.CONFIRMED_CAPTIVE,
    ),
    ("Шевченко", "Олександр", "Іванович", None, Category.SERVICEMAN, Side.THEIRS, Status.MISSING),
    (
        "Гнатюк",
        "Дмитро",
        "Юрійович",
        date(1998, 12, 3),
        Category.SERVICEMAN,
        Side.THEIRS,
        Status.CONFIRMED_CAPTIVE,
    ),
    (
        "Гнатюк",
        "Тарас",
        "Іванович",
        date(1979, 5, 11),
        Category.SERVICEMAN,
        Side.THEIRS,
        Status.MISSING,
    ),
    (
        "Коваленко",
        "Андрій",
        "Миколайович",
        date(1993, 1, 20),
        Category.SERVICEMAN,
        Side.THEIRS,
        Status.CONFIRMED_CAPTIVE,
    ),
    ("Коваленко", "Андрій", "Миколайович", None, Category.SERVICEMAN, Side.THEIRS, Status.MISSING),
    (
        "Бондаренко",
        "Сергій",
        "Васильович",
        date(1988, 9, 9),
        Category.SERVICEMAN,
        Side.THEIRS,
        Status.CONFIRMED_CAPTIVE,
    ),
    (
        "Ткаченко",
        "Ігор",
        "Олегович",
        date(2000, 2, 29),
        Category.SERVICEMAN,
        Side.THEIRS,
        Status.CONFIRMED_CAPTIVE,
    ),
    (
        "Кравчук",
        "Віталій",
        "Степанович",
        date(1975, 11, 30),
        Category.SERVICEMAN,
        Side.THEIRS,
        Status.DECEASED,
    ),
    (
        "Мельник",
        "Олег",
        "Богданович",
        date(1996, 6, 6),
        Category.SERVICEMAN,
        Side.THEIRS,
        Status.CONFIRMED_CAPTIVE,
    ),
    (
        "Мельник",
        "Олег",
        "Богданович",
        date(1996, 6, 6),
        Category.SERVICEMAN,
        Side.THEIRS,
        Status.MISSING,
    ),
    (
        "Лисенко",
        "Наталія",
        "Петрівна",
        date(1982, 4, 4),
        Category.CIVILIAN,
        Side.THEIRS,
        Status.CONFIRMED_CAPTIVE,
    ),
    (
        "Савченко",
        "Юрій",
        "Анатолійович",
        date(1991, 8, 15),
        Category.SERVICEMAN,
        Side.OURS,
        Status.CONFIRMED_CAPTIVE,
    ),
    (
        "Поліщук",
        "Роман",
        "Васильович",
        date(1987, 12, 12),
        Category.CIVILIAN,
        Side.THEIRS,
        Status.CONFIRMED_CAPTIVE,
    ),
)
STRANGERS: tuple[tuple[str, date | None], ...] = (
    ("Вайнштейн Аркадій Левович", date(1970, 1, 1)),
    ("Петренко Максим Ігорович", date(1994, 10, 10)),
    ("Іваненко Денис Олегович", None),
)

INDEX = st.integers(min_value=0, max_value=30)
# A line of a list: whom it names (a registry person, the person a family seeks as they wrote
# them, a stranger, or a line of the list again),
# which of them, with the birth date or not, with the patronymic or not.
LINE = st.tuples(
    st.sampled_from(["person", "person", "sought", "stranger", "again"]),
    INDEX,
    st.booleans(),
    st.booleans(),
)
DECISIONS = st.sampled_from(
    [
        Resolution.CONFIRMED,
        Resolution.OTHER_CHOSEN,
        Resolution.NOT_OURS,
        Resolution.DEFERRED,
        Resolution.NEW_CAPTIVE,
    ]
)
REFUSED = (DomainError, ValidationError)
# What a family hears beyond "received": the exchange's news.
NEWS_STATES = (Inquiry.State.NEWS, Inquiry.State.RETURNED)


def _pick(items: list[T], index: int) -> T:
    return items[index % len(items)]


class ExchangeDay(RuleBasedStateMachine):
    """One sequence of the exchange's days, from an empty database."""

    explored: ClassVar[Counter[str]] = Counter()  # sequences, steps, and each step by outcome

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        ExchangeDay.explored["sequences"] += 1
        self.today = FIRST_DAY
        self.tick = 0
        self.officials = [make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)]
        self.people = [
            make_captive(
                family_name=family,
                given_name=given,
                patronymic=patronymic,
                birth_date=born,
                category=category,
                held_by=side,
                status=status,
            ).pk
            for family, given, patronymic, born, category, side, status in REGISTRY
        ]
        self.exchanges = 0
        self.phases = 0
        # What the machine knows and the database need not: links a caseworker rejected, and
        # each completed phase as it was when it completed.
        self.rejected: set[tuple[int, int]] = set()
        self.completed: dict[int, dict[str, Any]] = {}

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    # -- the clock -------------------------------------------------------------------------

    def at(self) -> datetime:
        """A moment of today in Kyiv, later than every moment before it."""
        self.tick += 1
        return datetime.combine(self.today, time(9, 0), tzinfo=KYIV) + timedelta(seconds=self.tick)

    def attempt(self, step: str, action: Callable[[], object]) -> None:
        """Run one step; a refusal with its sentence is an outcome, anything else a failure."""
        ExchangeDay.explored["steps"] += 1
        try:
            action()
        except REFUSED as refusal:
            ExchangeDay.explored[f"{step}: refused"] += 1
            if WHY:
                ExchangeDay.explored[f"{step}: refused: {str(refusal)[:70]}"] += 1
        else:
            ExchangeDay.explored[f"{step}: done"] += 1

    def current_people(self) -> list[Captive]:
        return list(Captive.objects.current().order_by("pk"))

    # -- adapters: one service call each ---------------------------------------------------

    def _record_exchange(self, *, agreed_on: date) -> Exchange:
        exchange = Exchange(
            name=f"Обмін {self.exchanges + 1}",
            agreed_on=agreed_on,
            agreed_returned_servicemen=20,
            agreed_returned_civilians=10,
            agreed_handed_over_servicemen=20,
            agreed_handed_over_civilians=10,
        )
        return record_exchange(
            exchange=exchange, by=self.officials[0], reason="Recorded", today=self.today
        )

    def _record_phase(self, *, phase: Phase, fields: tuple[str, ...] | None = None) -> Phase:
        phase.full_clean()  # what the phase form checks first
        if fields is None:
            return record_phase(phase=phase, by=self.officials[0], reason="Recorded")
        return record_phase(phase=phase, by=self.officials[0], reason="Edited", fields=fields)

    def _upload(self, *, phase: Phase, data: bytes, sender: ReleaseList.Sender) -> None:
        release_list, _new = receive_release_list(
            phase=phase,
            data=data,
            filename="list.csv",
            received_on=self.today,
            sent_by=sender,
            by=self.officials[0],
        )
        if release_list.state == ReleaseList.State.RECEIVED:  # the worker's job, done now
            reconcile_release_list(release_list_id=release_list.pk, now=self.at())

    def _resolve(
        self,
        *,
        row: ReleaseListRow,
        resolution: Resolution,
        captive: Captive | None,
        duplicate_of: ReleaseListRow | None = None,
    ) -> None:
        resolve_row(
            row=row,
            resolution=resolution,
            by=self.officials[1],
            at=self.at(),
            version=row.version,
            captive=captive,
            duplicate_of=duplicate_of,
        )

    def _record_new_captive(self, *, row: ReleaseListRow) -> None:
        family, given, *rest = [*row.full_name.split(), "Невідомий"]
        identity = Identity(
            family_name=family,
            given_name=given,
            patronymic=rest[0] if len(rest) > 1 else "",
            birth_date=row.birth_date,
        )
        record_new_captive(
            row=row,
            identity=identity,
            held_by=Side.THEIRS,
            by=self.officials[1],
            at=self.at(),
            version=row.version,
        )

    def _propose(self, *, phase: Phase, by: User) -> None:
        propose_confirmation(phase=phase, by=by, at=self.at())

    def _approve(self, *, phase: Phase, by: User, later: int = 0, acknowledge: bool = True) -> None:
        """As an official who read the approval page: the gap it shows acknowledged (or not),
        the handover day the phase's date or ``later`` days after it (maybe still to come)."""
        shown = Phase.objects.get(pk=phase.pk).named_gap()
        approve_confirmation(
            phase=phase,
            by=by,
            at=self.at(),
            handed_over_on=phase.date + timedelta(days=later) if later else None,
            acknowledged_gap=shown if acknowledge else None,
        )

    def _release_listed_news(self, *, phase: Phase) -> None:
        release_listed_news(phase=phase, by=self.officials[0], at=self.at())

    def _take_off(self, *, transfer: Transfer) -> None:
        take_off_list(
            transfers=[transfer], by=self.officials[0], reason="Not on the bus", at=self.at()
        )

    def _merge(self, *, kept: Captive, duplicate: Captive) -> None:
        merge_captives(
            kept=kept, duplicate=duplicate, by=self.officials[0], at=self.at(), reason="One man"
        )

    def _undo_merge(self, *, merge: Merge) -> None:
        undo_merge(merge=merge, by=self.officials[0], at=self.at())

    def _file_inquiry(self, *, sought: str, born: date | None, phone: bool) -> None:
        n = Inquiry.objects.count() + 1
        inquiry = Inquiry(
            relative_name=f"Родич {n}",
            relationship="mother",
            email=f"relative{n}@example.org",
            phone=f"+38050000{n:04d}" if phone else "",
            sought_full_name=sought,
            sought_birth_date=born,
            language="uk",
        )
        receipt = file_inquiry(inquiry=inquiry, at=self.at())
        # What the task queued after commit does: who in the registry fits?
        match_changes(inquiry_ids=[receipt.inquiry.pk], at=self.at())

    def _background_job(self, job: str) -> None:
        if job == "rematch":
            rematch_open_inquiries(at=self.at())
        elif job == "rematch sightings":
            match_sightings_to_inquiries()
        elif job == "tell untold":
            tell_untold_returns(at=self.at())
        else:
            rereconcile_open_rows(day=self.today)

    def _verify(self, *, inquiry: Inquiry) -> None:
        verify_relative(inquiry=inquiry, method="Passport", by=self.officials[1], at=self.at())

    def _link(self, *, inquiry: Inquiry, captive: Captive) -> None:
        link_inquiry(inquiry=inquiry, captive=captive, by=self.officials[1], at=self.at())

    def _decide_suggestion(self, *, suggestion: Suggestion, confirmed: bool) -> None:
        decide_suggestion(
            suggestion=suggestion, confirmed=confirmed, by=self.officials[1], at=self.at()
        )

    def _allow_disclosure(self, *, inquiry: Inquiry, allowed: bool) -> None:
        allow_disclosure(inquiry=inquiry, allowed=allowed, by=self.officials[1])

    def _record_sighting(self, *, reporter: Captive, seen: str) -> None:
        sighting = Sighting(
            reporter=reporter,
            seen_full_name=seen,
            facility="Колонія №1",
            seen_on=self.today - timedelta(days=30),
        )
        record_sighting(sighting=sighting, by=self.officials[1])
        match_changes(sighting_ids=[sighting.pk], at=self.at())  # the task queued after commit

    def _confirm_sighting(self, *, sighting: Sighting, captive: Captive) -> None:
        confirm_sighting(sighting=sighting, captive=captive, by=self.officials[1], at=self.at())

    # -- steps -----------------------------------------------------------------------------

    @initialize(
        days_ago=st.integers(min_value=0, max_value=10),
        days=st.integers(-3, 6),
        lines=st.lists(LINE, min_size=1, max_size=4),
    )
    def an_agreement_with_a_phase(
        self, days_ago: int, days: int, lines: list[tuple[str, int, bool, bool]]
    ) -> None:
        """Every sequence starts with an agreement and one phase with its first list: the
        exchange is the story, and most sequences reach its approval."""
        self.record_agreement(days_ago)
        self.record_a_phase(0, days, planned=False, declared=2)
        self.upload_a_list(0, lines, mediator=False)

    @precondition(lambda self: self.exchanges < 2)
    @rule(days_ago=st.integers(min_value=0, max_value=10))
    def record_agreement(self, days_ago: int) -> None:
        def step() -> None:
            self._record_exchange(agreed_on=self.today - timedelta(days=days_ago))
            self.exchanges += 1

        self.attempt("record agreement", step)

    @precondition(lambda self: self.exchanges > 0 and self.phases < 3)
    @rule(
        which=INDEX,
        days=st.integers(min_value=-3, max_value=6),
        planned=st.booleans(),
        declared=st.integers(min_value=0, max_value=4),
    )
    def record_a_phase(self, which: int, days: int, planned: bool, declared: int) -> None:
        exchange = _pick(list(Exchange.objects.order_by("pk")), which)

        def step() -> None:
            self._record_phase(
                phase=Phase(
                    exchange=exchange,
                    number=exchange.phases.count() + 1,
                    date=max(self.today + timedelta(days=days), exchange.agreed_on),
                    state=Phase.State.PLANNED if planned else Phase.State.UNDER_WAY,
                    declared_returned_servicemen=declared,
                )
            )
            self.phases += 1

        self.attempt("record phase", step)

    @precondition(lambda self: self.phases > 0)
    @rule(which=INDEX, days=st.integers(min_value=-3, max_value=6), declared=INDEX)
    def edit_a_phase(self, which: int, days: int, declared: int) -> None:
        phase = _pick(list(Phase.objects.order_by("pk")), which)
        phase.date = max(self.today + timedelta(days=days), phase.exchange.agreed_on)
        phase.declared_returned_servicemen = declared % 6
        fields = ("date", "declared_returned_servicemen")
        self.attempt("edit phase", lambda: self._record_phase(phase=phase, fields=fields))

    @precondition(lambda self: self.phases > 0)
    @rule(
        which=INDEX,
        lines=st.lists(LINE, min_size=1, max_size=5),
        mediator=st.booleans(),
    )
    def upload_a_list(
        self, which: int, lines: list[tuple[str, int, bool, bool]], mediator: bool
    ) -> None:
        phase = _pick(list(Phase.objects.order_by("pk")), which)
        written: list[tuple[str, date | None]] = []
        for kind, index, with_birth_date, full in lines:
            if kind == "again" and written:
                written.append(_pick(written, index))
                continue
            sought = list(
                Inquiry.objects.order_by("pk").values_list("sought_full_name", "sought_birth_date")
            )
            if kind == "stranger":
                name, born = _pick(list(STRANGERS), index)
            elif kind == "sought" and sought:
                name, born = _pick(sought, index)
            else:
                name, born = _registry_line(index, full)
            written.append((name, born if with_birth_date else None))
        text = "№;ПІБ;Дата народження\n" + "".join(
            f"{n};{name};{born:%d.%m.%Y}\n" if born else f"{n};{name};\n"
            for n, (name, born) in enumerate(written, start=1)
        )
        sender = ReleaseList.Sender.MEDIATOR if mediator else ReleaseList.Sender.OTHER_SIDE
        self.attempt(
            "upload list", lambda: self._upload(phase=phase, data=text.encode(), sender=sender)
        )

    @precondition(lambda self: self.phases > 0)
    @rule(which=INDEX, open_only=st.booleans(), decision=DECISIONS, person=INDEX)
    def decide_a_row(self, which: int, open_only: bool, decision: Resolution, person: int) -> None:
        rows = ReleaseListRow.objects.order_by("pk")
        if open_only:
            rows = rows.filter(resolution__in=["", Resolution.DEFERRED]).exclude(
                outcome=Outcome.MATCHED, resolution=""
            )
        found = list(rows)
        if not found:
            return
        row = _pick(found, which)
        if decision == Resolution.NEW_CAPTIVE:
            self.attempt("record new captive", lambda: self._record_new_captive(row=row))
            return
        chosen = _pick(self.current_people(), person)
        self.attempt(
            f"decide row: {decision.value}",
            lambda: self._resolve(row=row, resolution=decision, captive=chosen),
        )

    @precondition(lambda self: self.phases > 0)
    @rule(which=INDEX, official=st.integers(min_value=0, max_value=1))
    def propose(self, which: int, official: int) -> None:
        phase = _pick(list(Phase.objects.order_by("pk")), which)
        self.attempt("propose", lambda: self._propose(phase=phase, by=self.officials[official]))

    @precondition(lambda self: _proposed().exists())
    @rule(which=INDEX, later=st.sampled_from([0, 0, 1, 5]), acknowledge=st.booleans())
    def approve(self, which: int, later: int, acknowledge: bool) -> None:
        """The second official approves a proposed phase (a gap acknowledged or not, the
        handover day entered or not)."""
        phase = _pick(list(_proposed()), which)
        second = next(u for u in self.officials if u.pk != phase.proposed_by_id)
        self.attempt(
            "approve",
            lambda: self._approve(phase=phase, by=second, later=later, acknowledge=acknowledge),
        )

    @precondition(lambda self: self.phases > 0)
    @rule(which=INDEX)
    def release_listed_news(self, which: int) -> None:
        phase = _pick(list(Phase.objects.order_by("pk")), which)
        self.attempt("release listed news", lambda: self._release_listed_news(phase=phase))

    @precondition(lambda self: self.phases > 0)
    @rule(which=INDEX, other=INDEX)
    def decide_a_line_repeats_another(self, which: int, other: int) -> None:
        """A reviewer finds a line names the person another line of the phase names."""
        rows = list(ReleaseListRow.objects.order_by("pk"))
        if len(rows) < 2:
            return
        row, first = _pick(rows, which), _pick(rows, other)
        self.attempt(
            "decide row: duplicate",
            lambda: self._resolve(
                row=row, resolution=Resolution.DUPLICATE, captive=None, duplicate_of=first
            ),
        )

    @precondition(lambda self: self.phases > 0)
    @rule(which=INDEX, confirm=st.booleans())
    def review_a_phase(self, which: int, confirm: bool) -> None:
        """A reviewer's session: every open row of a phase's lists decided, one by one: the
        engine's best candidate confirmed (or, with none, a new captive), or "not ours"."""
        self.review_phase(_pick(list(Phase.objects.order_by("pk")), which), confirm)

    def review_phase(self, phase: Phase, confirm: bool) -> None:
        open_rows = (
            ReleaseListRow.objects.filter(release_list__phase=phase)
            .filter(resolution__in=["", Resolution.DEFERRED])
            .exclude(outcome=Outcome.MATCHED, resolution="")
            .order_by("pk")
        )
        for row in open_rows:
            action: Callable[[], object]
            if not confirm:
                step = "review: not_ours"
                action = partial(
                    self._resolve, row=row, resolution=Resolution.NOT_OURS, captive=None
                )
            elif row.candidates and (named := _naming(phase, row)) is not None:
                step = "review: duplicate"
                action = partial(
                    self._resolve,
                    row=row,
                    resolution=Resolution.DUPLICATE,
                    captive=None,
                    duplicate_of=named,
                )
            elif row.candidates:
                step = "review: confirmed"
                action = partial(
                    self._resolve, row=row, resolution=Resolution.CONFIRMED, captive=None
                )
            else:
                step, action = "review: new captive", partial(self._record_new_captive, row=row)
            self.attempt(step, action)

    @precondition(lambda self: self.phases > 0)
    @rule(which=INDEX, confirm=st.booleans())
    def officials_day(self, which: int, confirm: bool) -> None:
        """Review and propose, then approve on the phase's day, as two officials do: the steps
        above one by one, so that sequences reach completed phases often."""
        # A phase with a list, where there is one: an empty phase is refused at once.
        with_lists = Phase.objects.filter(release_lists__isnull=False).distinct().order_by("pk")
        phase = _pick(list(with_lists) or list(Phase.objects.order_by("pk")), which)
        self.review_phase(phase, confirm)
        self.attempt("propose", lambda: self._propose(phase=phase, by=self.officials[0]))
        # The approval waits for the day the people cross: the clock moves on to it.
        self.today = max(self.today, phase.date)
        self.attempt("approve", lambda: self._approve(phase=phase, by=self.officials[1]))

    @precondition(lambda self: self.phases > 0)
    @rule(which=INDEX)
    def take_someone_off_a_list(self, which: int) -> None:
        listed = list(Transfer.objects.filter(state=Transfer.State.LISTED).order_by("pk"))
        if listed:
            transfer = _pick(listed, which)
            self.attempt("take off list", lambda: self._take_off(transfer=transfer))

    @rule(kept=INDEX, duplicate=INDEX)
    def merge(self, kept: int, duplicate: int) -> None:
        people = self.current_people()
        one, other = _pick(people, kept), _pick(people, duplicate)
        self.attempt("merge", lambda: self._merge(kept=one, duplicate=other))

    @rule(which=INDEX)
    def undo_a_merge(self, which: int) -> None:
        merges = list(Merge.objects.filter(undone_at__isnull=True).order_by("pk"))
        if merges:
            merge = _pick(merges, which)
            self.attempt("undo merge", lambda: self._undo_merge(merge=merge))

    @rule(stranger=st.booleans(), which=INDEX, with_birth_date=st.booleans(), phone=st.booleans())
    def file_an_inquiry(
        self, stranger: bool, which: int, with_birth_date: bool, phone: bool
    ) -> None:
        name, born = _pick(list(STRANGERS), which) if stranger else _registry_line(which, True)
        self.attempt(
            "file inquiry",
            lambda: self._file_inquiry(
                sought=name, born=born if with_birth_date else None, phone=phone
            ),
        )

    @rule(which=INDEX)
    def verify_a_relative(self, which: int) -> None:
        inquiries = list(Inquiry.objects.order_by("pk"))
        if inquiries:
            inquiry = _pick(inquiries, which)
            self.attempt("verify relative", lambda: self._verify(inquiry=inquiry))

    @rule(which=INDEX, person=INDEX)
    def link_an_inquiry(self, which: int, person: int) -> None:
        inquiries = list(Inquiry.objects.order_by("pk"))
        if not inquiries:
            return
        inquiry, captive = _pick(inquiries, which), _pick(self.current_people(), person)

        def step() -> None:
            self._link(inquiry=inquiry, captive=captive)
            self.rejected.discard((inquiry.pk, captive.pk))  # the caseworker changed their mind

        self.attempt("link inquiry", step)

    @rule(which=INDEX, disclose=st.booleans())
    def caseworker_takes_up(self, which: int, disclose: bool) -> None:
        """Verify a relative, link their inquiry to the engine's best suggestion and decide
        disclosure in a row, as a caseworker does: so that families with news are common."""
        inquiries = list(Inquiry.objects.order_by("pk"))
        if not inquiries:
            return
        inquiry = _pick(inquiries, which)
        self.attempt("verify relative", lambda: self._verify(inquiry=inquiry))
        suggested = suggested_captives(inquiry)
        if suggested:
            captive = suggested[0][0]
            self.attempt("link inquiry", lambda: self._link(inquiry=inquiry, captive=captive))
            self.rejected.discard((inquiry.pk, captive.pk))
        self.attempt(
            "disclosure", lambda: self._allow_disclosure(inquiry=inquiry, allowed=disclose)
        )

    @rule(which=INDEX, confirmed=st.booleans())
    def decide_a_suggestion(self, which: int, confirmed: bool) -> None:
        suggestions = list(Suggestion.objects.order_by("pk"))
        if not suggestions:
            return
        suggestion = _pick(suggestions, which)

        def step() -> None:
            was_open = suggestion.state == Suggestion.State.OPEN
            self._decide_suggestion(suggestion=suggestion, confirmed=confirmed)
            if was_open and not confirmed:
                self.rejected.add((suggestion.inquiry_id, suggestion.captive_id))

        self.attempt(f"{'confirm' if confirmed else 'reject'} suggestion", step)

    @rule(which=INDEX, allowed=st.booleans())
    def allow_disclosure(self, which: int, allowed: bool) -> None:
        inquiries = list(Inquiry.objects.order_by("pk"))
        if inquiries:
            inquiry = _pick(inquiries, which)
            self.attempt(
                "disclosure", lambda: self._allow_disclosure(inquiry=inquiry, allowed=allowed)
            )

    @rule(reporter=INDEX, seen=INDEX, full=st.booleans())
    def record_a_sighting(self, reporter: int, seen: int, full: bool) -> None:
        returnee = _pick(self.current_people(), reporter)
        name, _born = _registry_line(seen, full)
        self.attempt("record sighting", lambda: self._record_sighting(reporter=returnee, seen=name))

    @rule(which=INDEX, person=INDEX)
    def confirm_a_sighting(self, which: int, person: int) -> None:
        sightings = list(Sighting.objects.order_by("pk"))
        if sightings:
            sighting, captive = _pick(sightings, which), _pick(self.current_people(), person)
            self.attempt(
                "confirm sighting",
                lambda: self._confirm_sighting(sighting=sighting, captive=captive),
            )

    @rule(job=st.sampled_from(["rematch", "rematch sightings", "tell untold", "rereconcile"]))
    def background_job(self, job: str) -> None:
        """What Celery would run after commit, or every hour: here, when the machine says."""
        self.attempt(job, lambda: self._background_job(job))

    @rule(days=st.integers(min_value=1, max_value=4))
    def next_days(self, days: int) -> None:
        ExchangeDay.explored["steps"] += 1
        self.today += timedelta(days=days)

    # -- invariants ------------------------------------------------------------------------

    @precondition(lambda _self: 1 in ONLY)
    @invariant()
    def nobody_is_told_returned_before_a_completed_phase_brought_them_home(self) -> None:
        """1. A RETURNED message, or a relative's page saying "returned", only for a person
        a completed phase dated no later than today brought home (and not a person the
        caseworker rejected for that inquiry)."""
        home = _home_today(self.today)
        canon = _canonical()
        for note in Notification.objects.filter(event=Notification.Event.RETURNED):
            assert canon[note.captive_id] in home, (
                f"inquiry {note.inquiry_id} was told that captive {note.captive_id} returned on "
                f"{note.created_at:%d.%m.%Y}, before any completed phase dated by {self.today} "
                "brought them home"
            )
        for inquiry in Inquiry.objects.all():
            if public_state(inquiry) != Inquiry.State.RETURNED:
                continue
            assert inquiry.captive_id is not None
            assert (inquiry.pk, inquiry.captive_id) not in self.rejected, (
                f"inquiry {inquiry.pk} still says captive {inquiry.captive_id} returned though "
                "the caseworker rejected them as the person sought"
            )
            assert canon[inquiry.captive_id] in home, (
                f"inquiry {inquiry.pk}'s page says captive {inquiry.captive_id} returned, on "
                f"{self.today}, before a completed phase dated by then brought them home"
            )

    @precondition(lambda _self: 2 in ONLY)
    @invariant()
    def nobody_comes_home_twice(self) -> None:
        """2. At most one confirmed transfer per person (records merged into one are one)."""
        canon = _canonical()
        confirmed = Counter(
            canon[captive]
            for captive in Transfer.objects.filter(state=Transfer.State.CONFIRMED).values_list(
                "captive_id", flat=True
            )
        )
        twice = {person: n for person, n in confirmed.items() if n > 1}
        assert not twice, f"confirmed more than once: {twice}"

    @precondition(lambda _self: 3 in ONLY)
    @invariant()
    def tallies_count_people_not_listings(self) -> None:
        """3. Every phase's and agreement's derived counts are of distinct people."""
        canon = _canonical()
        moving = list(
            Transfer.objects.moving().values_list(
                "phase_id", "phase__exchange_id", "captive_id", "direction", "captive__category"
            )
        )
        for phase in Phase.objects.all():
            mine = [(canon[c], d, k) for p, _e, c, d, k in moving if p == phase.pk]
            assert phase.derived() == _tally(mine), f"phase {phase.pk} counts listings"
        for exchange in Exchange.objects.all():
            mine = [(canon[c], d, k) for _p, e, c, d, k in moving if e == exchange.pk]
            assert exchange.derived() == _tally(mine), f"agreement {exchange.pk} counts listings"

    @precondition(lambda _self: 4 in ONLY)
    @invariant()
    def a_completed_phase_never_changes(self) -> None:
        """4. A completed phase keeps its fields, transfers, lists and rows as they were when it
        completed (rows moved by a merge to the record the person is kept as are the same)."""
        canon = _canonical()
        for pk in Phase.objects.filter(state=Phase.State.COMPLETED).values_list("pk", flat=True):
            now = _phase_record(pk)
            then = self.completed.setdefault(pk, now)
            assert _same_people(then, canon) == _same_people(now, canon), (
                f"completed phase {pk} changed:\n{_difference(then, now)}"
            )

    @precondition(lambda _self: 5 in ONLY)
    @invariant()
    def each_message_is_written_once(self) -> None:
        """5. One message per inquiry, person, event and channel (records merged are one)."""
        canon = _canonical()
        written = Counter(
            (inquiry, canon[captive], event, channel)
            for inquiry, captive, event, channel in Notification.objects.values_list(
                "inquiry_id", "captive_id", "event", "channel"
            )
        )
        again = [key for key, n in written.items() if n > 1]
        assert not again, f"the same news written more than once: {again}"

    @precondition(lambda _self: 6 in ONLY)
    @invariant()
    def every_change_has_a_history_row(self) -> None:
        """6. Each tracked record's latest history row says what the record says now."""
        for model in (Exchange, Phase, Transfer, ReleaseListRow, Captive, Inquiry, Sighting):
            history = model.history.model
            names = [f.attname for f in history._meta.fields if not f.name.startswith("history_")]
            latest = {
                row["id"]: row
                for row in history.objects.order_by("id", "-history_id")
                .distinct("id")
                .values(*names)
            }
            for current in model._default_manager.values(*names):
                assert latest.get(current["id"]) == current, (
                    f"{model.__name__} {current['id']} changed without a history row: "
                    f"now {current}, history says {latest.get(current['id'])}"
                )

    @precondition(lambda _self: 7 in ONLY)
    @invariant()
    def no_family_hears_anything_before_approval(self) -> None:
        """7. No "listed" message (nor its correction) unless officials released listed news for
        a phase listing the person; no "returned" message, and no page beyond "being traced",
        before the approval of a phase that brought the person home."""
        canon = _canonical()
        released = {
            canon[captive]
            for phase in Phase.objects.all()
            if getattr(phase, "listed_news_released", False)
            for captive in phase.transfers.values_list("captive_id", flat=True)
        }
        approvals = {
            canon[captive]: approved_at
            for captive, approved_at in Transfer.objects.filter(
                state=Transfer.State.CONFIRMED,
                phase__state=Phase.State.COMPLETED,
                phase__approved_at__isnull=False,
            ).values_list("captive_id", "phase__approved_at")
        }
        for note in Notification.objects.exclude(event=Notification.Event.SIGHTED):
            person = canon[note.captive_id]
            if note.event in (Notification.Event.LISTED, Notification.Event.UNLISTED):
                assert person in released, (
                    f"inquiry {note.inquiry_id} was told captive {note.captive_id} is "
                    f"{note.event}, with no phase's listed news released"
                )
            else:
                approved = approvals.get(person)
                assert approved is not None, (
                    f"inquiry {note.inquiry_id} was told captive {note.captive_id} returned "
                    "with no approval bringing them home"
                )
                assert approved <= note.created_at, (
                    f"inquiry {note.inquiry_id} was told captive {note.captive_id} returned "
                    f"at {note.created_at}, before the approval at {approved}"
                )
        for inquiry in Inquiry.objects.all():
            if public_state(inquiry) in NEWS_STATES:
                assert inquiry.captive_id is not None
                assert canon[inquiry.captive_id] in approvals, (
                    f"inquiry {inquiry.pk}'s page says “{public_state(inquiry).label}” about "
                    f"captive {inquiry.captive_id} with no approved phase bringing them home"
                )


def _proposed() -> models.QuerySet[Phase]:
    return Phase.objects.filter(proposed_by__isnull=False).exclude(state=Phase.State.COMPLETED)


def _naming(phase: Phase, row: ReleaseListRow) -> ReleaseListRow | None:
    """Another line of the phase's lists naming the row's best candidate, if one does."""
    return (
        ReleaseListRow.objects.filter(
            release_list__phase=phase, captive_id=row.candidates[0]["captive_id"]
        )
        .exclude(pk=row.pk)
        .order_by("pk")
        .first()
    )


def _registry_line(index: int, full: bool) -> tuple[str, date | None]:
    family, given, patronymic, born, *_rest = _pick(list(REGISTRY), index)
    return " ".join([family, given, patronymic] if full else [family, given]), born


def _canonical() -> dict[int, int]:
    """Each captive record's id → the id of the record the person is kept as, after merges."""
    into = dict(Captive.objects.values_list("pk", "merged_into_id"))

    def kept(pk: int) -> int:
        seen = set()
        while into.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = into[pk]
        return pk

    return {pk: kept(pk) for pk in into}


def _home_today(today: date) -> set[int]:
    """People (as kept after merges) a completed phase dated no later than today brought home."""
    canon = _canonical()
    return {
        canon[captive]
        for captive in Transfer.objects.filter(
            state=Transfer.State.CONFIRMED,
            phase__state=Phase.State.COMPLETED,
            phase__date__lte=today,
            phase__handed_over_on__lte=today,
        ).values_list("captive_id", flat=True)
    }


def _tally(people: list[tuple[int, str, str]]) -> Tally:
    counts = Counter((direction, category) for _person, direction, category in set(people))
    return Tally(
        returned_servicemen=counts["returned", Category.SERVICEMAN],
        returned_civilians=counts["returned", Category.CIVILIAN],
        handed_over_servicemen=counts["handed_over", Category.SERVICEMAN],
        handed_over_civilians=counts["handed_over", Category.CIVILIAN],
    )


def _fields(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _phase_record(pk: int) -> dict[str, Any]:
    """A phase, its transfers, lists and rows, as plain values."""
    return {
        "phase": _fields(Phase.objects.get(pk=pk)),
        "transfers": [_fields(t) for t in Transfer.objects.filter(phase_id=pk).order_by("pk")],
        "lists": [_fields(r) for r in ReleaseList.objects.filter(phase_id=pk).order_by("pk")],
        "rows": [
            _fields(r)
            for r in ReleaseListRow.objects.filter(release_list__phase_id=pk).order_by("pk")
        ],
    }


def _same_people(record: dict[str, Any], canon: dict[int, int]) -> dict[str, Any]:
    """The record with every captive named by the record the person is kept as."""

    def kept(values: dict[str, Any]) -> dict[str, Any]:
        captive = values.get("captive_id")
        return values | {"captive_id": canon.get(captive, captive)} if captive else values

    return {
        "phase": record["phase"],
        "transfers": [kept(t) for t in record["transfers"]],
        "lists": record["lists"],
        "rows": [kept(r) for r in record["rows"]],
    }


def _difference(then: dict[str, Any], now: dict[str, Any]) -> str:
    return "\n".join(
        f"  {part}: was {then[part]}\n  {part}: now {now[part]}"
        for part in ("phase", "transfers", "lists", "rows")
        if then[part] != now[part]
    )


BUDGET = hypothesis_settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
    phases=[p for p in HypothesisPhase if SHRINK or p != HypothesisPhase.shrink],
)


@pytest.mark.django_db
def test_the_exchange_day_keeps_its_promises() -> None:
    run_state_machine_as_test(ExchangeDay, settings=BUDGET)
