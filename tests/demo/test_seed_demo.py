from __future__ import annotations

import random
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from accounts.models import User
from captives.lifecycle import Status
from captives.models import Captive
from demo.people import crowd, ukrainian
from exchanges.models import Exchange, Outcome, ReleaseList
from exchanges.reconciliation import reconcile_release_list
from exchanges.tally import Tally
from inquiries.models import Inquiry


def test_the_crowd_is_the_same_for_a_seed_and_has_namesakes() -> None:
    first = crowd(random.Random(5), 600, ukrainian, "serviceman")
    again = crowd(random.Random(5), 600, ukrainian, "serviceman")
    names = [(p.family_name, p.given_name, p.patronymic) for p in first]

    assert first == again
    assert len(set(names)) < len(names)


@pytest.mark.django_db
def test_demo_refuses_to_load_without_debug(settings: Settings) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Exchange.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_loads_the_exchange_the_accounts_and_the_history(
    settings: Settings, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DEBUG = True

    with django_capture_on_commit_callbacks() as queued:
        call_command("seed_demo", captives=1200)

    for username, group in (
        ("official", "official"),
        ("official2", "official"),  # a second official: one proposes, the other approves
        ("reviewer", "reviewer"),
        ("caseworker", "caseworker"),
        ("admin", "administrator"),
    ):
        user = User.objects.get(username=username)
        assert user.check_password("homecoming-demo")
        assert user.groups.filter(name=group).exists()
    phase = Exchange.objects.get(name="1000 for 1000").phases.get(number=1)
    assert phase.date.strftime("%A") == "Friday"
    assert phase.declared() == phase.derived() == Tally(270, 120, 270, 120)
    # Confirmed by two officials, as its protocol names them (it said "Not recorded").
    officials = (phase.proposed_by, phase.approved_by)
    assert [o.username if o else None for o in officials] == ["official", "official2"]
    assert phase.proposed_at is not None
    assert phase.approved_at is not None
    assert phase.proposed_at < phase.approved_at
    home = Captive.objects.filter(status=Status.RETURNED, held_by="theirs").first()
    assert home is not None
    statuses = [h.status for h in home.history.order_by("history_date", "history_id")]
    assert statuses[-2:] == [Status.LISTED, Status.RETURNED]
    assert home.history.filter(history_user__username="official").count() == len(statuses)
    release_list = ReleaseList.objects.get()
    assert release_list.rows.count() == 91
    reconciling = [c for c in queued if getattr(c, "__name__", "") != "match_changes_after_commit"]
    assert len(reconciling) == 1  # its reconciliation, queued after commit
    assert release_list.rows.model.history.filter(release_list_id=release_list.pk).count() == 91
    # The last line is a stranger under another surname who shares the rest with a held man.
    reconcile_release_list(release_list_id=release_list.pk, now=timezone.now())
    stranger = release_list.rows.get(line_number=91)
    assert (stranger.outcome, stranger.reason) == (Outcome.UNMATCHED, "other_name")
    assert stranger.candidates  # the man is shown beside the row, not proposed
    traced = Inquiry.objects.exclude(captive=None)
    assert traced.exists()
    for inquiry in traced:  # each tracing step in its history, by the caseworker
        latest = inquiry.history.latest("history_id")
        assert (latest.captive_id, latest.history_user.username) == (
            inquiry.captive_id,
            "caseworker",
        )


@pytest.mark.slow
@pytest.mark.django_db
def test_a_second_run_changes_nothing(settings: Settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", captives=1200)
    counts = Captive.objects.count(), Captive.history.count(), User.objects.count()

    call_command("seed_demo", captives=1200)

    assert (Captive.objects.count(), Captive.history.count(), User.objects.count()) == counts
