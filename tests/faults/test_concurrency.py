"""Two people doing the same thing at the same moment: real threads, each with its own
PostgreSQL connection and transaction, started together. Exactly one effect each time.

The sequential cases (a second approval after the first, a stale review) are in
``tests/exchanges``; here the two calls overlap. To be sure they do, the first call to reach a
point inside its transaction waits there a moment, so the other arrives while it holds its
lock or its unique key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
import redis
from django.db import connection

from accounts.roles import Role
from captives import importing
from captives.lifecycle import Status
from captives.models import Captive, Provenance, Spelling
from captives.registry_file import RegistryEntry
from captives.services import change_status
from config.errors import ConflictError
from exchanges import reconciliation, review
from exchanges.listfile import read_release_list
from exchanges.models import (
    Outcome,
    Phase,
    RejectedCandidate,
    ReleaseList,
    ReleaseListRow,
    Resolution,
    Transfer,
)
from exchanges.reconciliation import reconcile_release_list
from exchanges.review import StaleRowError, resolve_row
from inquiries.models import Inquiry, Notification
from inquiries.notifications import correct_listed_news, notify_relatives
from inquiries.services import mark_returned
from tests.factories import approve_phase, make_captive, make_matched_list, make_phase, make_user
from tests.faults.conftest import PrivateRedis
from tests.faults.lists import upload
from workflows import confirmation as workflow
from workflows.confirmation import propose_confirmation
from workflows.news import release_listed_news

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
DAY = datetime(2025, 5, 23, 15, 0, tzinfo=UTC)
HOLD_SECONDS = 1.0


@pytest.fixture(autouse=True)
def roles() -> None:
    from tests.conftest import grant_roles

    grant_roles()  # an earlier flushing test may have emptied the tables


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at once; each result, or the exception it raised."""
    results: list[Any] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(n: int) -> None:
        start.wait()
        try:
            results[n] = calls[n]()
        except Exception as error:  # the test inspects what each call raised
            results[n] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def holding_first(original: Callable[..., Any]) -> Callable[..., Any]:
    """The first caller waits inside its transaction; later callers go straight on."""
    first = threading.Lock()

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if first.acquire(blocking=False):
            time.sleep(HOLD_SECONDS)
        return original(*args, **kwargs)

    return wrapped


def _matched_phase(people: int) -> tuple[Phase, list[Captive]]:
    phase = make_phase()
    release_list = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="d" * 64, rows_total=people
    )
    captives = []
    for n in range(1, people + 1):
        captive = make_captive(family_name=f"Коваль{n}", status=Status.CONFIRMED_CAPTIVE)
        ReleaseListRow.objects.create(
            release_list=release_list,
            line_number=n,
            full_name=captive.full_name,
            outcome=Outcome.MATCHED,
            captive=captive,
        )
        captives.append(captive)
    Inquiry.objects.create(
        reference="HC-RACE-0001",
        pin_hash="x",
        relative_name="Марія",
        relationship="mother",
        email="maria@example.org",
        consent_given_at=DAY,
        sought_full_name=captives[0].full_name,
        captive=captives[0],
        verified_at=DAY,
        verification_method="Passport seen",
    )
    return phase, captives


def test_two_officials_approving_one_phase_at_once_bring_everyone_home_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proposer, one, other = (make_user(Role.OFFICIAL) for _ in range(3))
    phase, people = _matched_phase(3)
    propose_confirmation(phase=phase, by=proposer, at=DAY)
    monkeypatch.setattr(workflow, "mark_returned", holding_first(mark_returned))

    results = race(
        lambda: approve_phase(phase=phase, by=one, at=DAY),
        lambda: approve_phase(phase=phase, by=other, at=DAY),
    )

    [approved] = [r for r in results if isinstance(r, Phase)]
    [refused] = [r for r in results if isinstance(r, Exception)]
    assert isinstance(refused, ConflictError)
    assert Phase.objects.get(pk=phase.pk).approved_by == approved.approved_by
    assert Transfer.objects.filter(phase=phase, state=Transfer.State.CONFIRMED).count() == 3
    for captive in people:
        assert captive.history.filter(status=Status.RETURNED).count() == 1
    assert Notification.objects.filter(event=Notification.Event.RETURNED).count() == 1


def test_two_officials_proposing_one_phase_at_once_list_everyone_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one, other = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    phase, people = _matched_phase(3)
    release_listed_news(phase=phase, by=one, at=DAY)  # so that proposing tells the family
    monkeypatch.setattr(workflow, "notify_relatives", holding_first(notify_relatives))

    results = race(
        lambda: propose_confirmation(phase=phase, by=one, at=DAY),
        lambda: propose_confirmation(phase=phase, by=other, at=DAY),
    )

    assert all(isinstance(r, Phase) for r in results)  # the second proposal adds nobody
    assert Transfer.objects.filter(phase=phase, state=Transfer.State.LISTED).count() == 3
    for captive in people:
        assert captive.history.filter(status=Status.LISTED).count() == 1
    assert Notification.objects.filter(event=Notification.Event.LISTED).count() == 1


def test_two_reviewers_resolving_one_row_at_once_one_decides_the_other_is_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = make_captive(
        family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович", birth_date=None
    )
    release_list = ReleaseList.objects.create(
        phase=make_phase(), received_on=date(2025, 5, 21), sha256="c" * 64, rows_total=1
    )
    ReleaseListRow.objects.create(
        release_list=release_list, line_number=1, full_name="Hnatiuk Dmytro Yuriiovych"
    )
    reconcile_release_list(release_list_id=release_list.pk, now=DAY)
    row = release_list.rows.get()
    assert row.candidates
    assert row.candidates[0]["captive_id"] == person.pk
    one, other = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    monkeypatch.setattr(review, "_remember", holding_first(review._remember))

    results = race(
        lambda: resolve_row(
            row=row, resolution=Resolution.CONFIRMED, by=one, at=DAY, version=row.version
        ),
        lambda: resolve_row(
            row=row, resolution=Resolution.NOT_OURS, by=other, at=DAY, version=row.version
        ),
    )

    [decided] = [r for r in results if isinstance(r, ReleaseListRow)]
    [told] = [r for r in results if isinstance(r, Exception)]
    assert isinstance(told, StaleRowError)
    stored = ReleaseListRow.objects.get(pk=row.pk)
    assert (stored.resolution, stored.resolved_by, stored.version) == (
        decided.resolution,
        decided.resolved_by,
        row.version + 1,
    )
    assert stored.history.filter(history_change_reason__startswith="Review:").count() == 1
    spellings = Spelling.objects.filter(captive=person).count()
    rejections = RejectedCandidate.objects.count()
    if decided.resolution == Resolution.CONFIRMED:
        assert (spellings, rejections) == (1, 0)
    else:
        assert (spellings, rejections) == (0, 1)


def test_the_same_list_uploaded_twice_at_once_is_stored_and_queued_once(
    private_broker: PrivateRedis, monkeypatch: pytest.MonkeyPatch
) -> None:
    phase = make_phase()
    data = "ПІБ;Дата народження\n" + "".join(
        f"Коваль{n} Іван Петрович;01.02.1985\n" for n in range(1, 51)
    )
    parsed: list[int] = []

    def counting_read(data: bytes, filename: str) -> Any:
        parsed.append(1)
        return read_release_list(data, filename)

    monkeypatch.setattr(reconciliation, "read_release_list", counting_read)
    monkeypatch.setattr(reconciliation, "_row", holding_first(reconciliation._row))

    results = race(lambda: upload(phase, data.encode()), lambda: upload(phase, data.encode()))

    assert len(parsed) == 2  # both got past the "stored already?" check: a true race
    assert results[0].pk == results[1].pk
    assert ReleaseList.objects.filter(phase=phase).count() == 1
    assert ReleaseListRow.objects.filter(release_list__phase=phase).count() == 50
    queue = redis.Redis.from_url(private_broker.url)
    try:
        assert queue.llen("lists") == 1  # one reconciliation queued, on its own queue
    finally:
        queue.close()


def test_a_status_changed_while_an_import_runs_is_not_written_back_by_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = make_captive(family_name="Гнатюк", status=Status.CONFIRMED_CAPTIVE)
    entry = RegistryEntry(
        line=2,
        external_id=person.external_id,
        family_name="Гнатюк",
        given_name=person.given_name,
        patronymic=person.patronymic,
        date_of_birth=person.birth_date,
        sex="m",
        citizenship="UA",
        category="serviceman",
        military_unit="А0777",  # the file changes the unit, and says nothing new of the status
        service_number="",
        status=Status.CONFIRMED_CAPTIVE,
    )
    monkeypatch.setattr(importing, "_update", holding_first(importing._update))

    def change() -> Captive:
        time.sleep(HOLD_SECONDS / 2)  # the import has read the person and holds on
        return change_status(
            captive=person,
            to=Status.LISTED,
            by=None,
            reason="Listed by hand",
            provenance=Provenance.objects.create(kind=Provenance.Kind.OFFICIAL),
        )

    results = race(
        lambda: importing.import_registry(
            entries=[entry], source=person.source, description="file", by=None, at=DAY
        ),
        change,
    )

    assert not [r for r in results if isinstance(r, Exception)]
    stored = Captive.objects.get(pk=person.pk)
    assert (stored.status, stored.military_unit) == (Status.LISTED, "А0777")


def test_a_person_taken_off_one_phase_while_another_lists_them_stays_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Phase A's proposal takes X off its list (a reviewer said "not ours") and holds its
    transaction open; phase B's proposal lists X meanwhile. B must wait for A: had it not, A
    would make X a confirmed captive again with B's listing standing, and B could never be
    approved (a confirmed captive cannot come home without being listed)."""
    official, approver = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    reviewer = make_user(Role.REVIEWER)
    person = make_captive(family_name="Бойко", status=Status.CONFIRMED_CAPTIVE)
    first = make_phase()
    second = make_phase(first.exchange, number=2)
    make_matched_list(first, [person], sha256="1" * 64)
    make_matched_list(second, [person], sha256="2" * 64)
    propose_confirmation(phase=first, by=official, at=DAY)
    row = ReleaseListRow.objects.get(release_list__phase=first)
    resolve_row(row=row, resolution=Resolution.NOT_OURS, by=reviewer, at=DAY, version=row.version)
    taken_off = threading.Event()
    real_correct = correct_listed_news

    def correct_then_hold(**kwargs: Any) -> int:
        if not taken_off.is_set():  # phase A, inside its transaction, X already taken off
            taken_off.set()
            time.sleep(HOLD_SECONDS)
        return real_correct(**kwargs)

    monkeypatch.setattr(workflow, "correct_listed_news", correct_then_hold)

    def propose_first() -> None:
        try:
            propose_confirmation(phase=first, by=official, at=DAY)
        finally:
            connection.close()

    thread = threading.Thread(target=propose_first)
    thread.start()
    assert taken_off.wait(10)
    propose_confirmation(phase=second, by=official, at=DAY)
    thread.join(30)

    assert Captive.objects.get(pk=person.pk).status == Status.LISTED
    assert list(
        Transfer.objects.filter(captive=person).order_by("phase__number").values_list("state")
    ) == [(Transfer.State.WITHDRAWN,), (Transfer.State.LISTED,)]
    approve_phase(phase=second, by=approver, at=DAY)
    assert Captive.objects.get(pk=person.pk).status == Status.RETURNED
