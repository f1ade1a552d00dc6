from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.mail.message import EmailMessage
from django.test import Client
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive, Sex
from config.celery import app as celery_app
from exchanges.models import Outcome, Phase, ReleaseList, ReleaseListRow
from inquiries.models import Inquiry, Notification
from inquiries.notifications import (
    MAX_ATTEMPTS,
    due_notifications,
    notify_relatives,
    send_notification,
)
from inquiries.tasks import (
    requeue_due_notifications_task,
    send_notification_task,
    tell_untold_returns_task,
)
from tests.factories import (
    approve_phase,
    make_captive,
    make_matched_list,
    make_phase,
    make_user,
    sign_in,
)
from tests.workers import wait_for
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 23, 16, 0, tzinfo=UTC)


class MailServer(EmailBackend):
    """The outside world: a mail server that refuses the next ``down`` sends, then accepts
    (into ``mail.outbox``), unless it takes the worker down with it."""

    down = 0
    kills_the_worker = False

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if MailServer.kills_the_worker:
            raise SystemExit("worker killed while sending")
        if MailServer.down:
            MailServer.down -= 1
            raise ConnectionRefusedError("[Errno 111] Connection refused")
        return super().send_messages(messages)


@pytest.fixture
def mail_server(settings: Any) -> type[MailServer]:
    settings.EMAIL_BACKEND = f"{__name__}.MailServer"
    MailServer.down, MailServer.kills_the_worker = 0, False
    return MailServer


def _inquiry(
    captive_id: int, *, verified: bool, disclosable: bool = False, **extra: Any
) -> Inquiry:
    fields: dict[str, Any] = {
        "reference": f"HC-{captive_id:04d}-{Inquiry.objects.count():04d}",
        "pin_hash": "x",
        "relative_name": "Марія",
        "relationship": "mother",
        "email": "maria@example.org",
        "consent_given_at": NOW,
        "sought_full_name": "Гнатюк Дмитро",
        "captive_id": captive_id,
        "disclosable": disclosable,
        "verified_at": NOW if verified else None,
        "verification_method": "Birth certificate" if verified else "",
    }
    return Inquiry.objects.create(**(fields | extra))


def test_only_verified_relatives_are_told_and_each_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    captive = make_captive()
    told = _inquiry(captive.pk, verified=True, disclosable=True, phone="+380501234567")
    _inquiry(captive.pk, verified=False)

    with django_capture_on_commit_callbacks() as queued:
        first = notify_relatives(
            captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW
        )
    again = notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)

    assert (first, again) == (2, 0)  # email and SMS for the verified relative, then nothing
    assert len(queued) == 1  # one step after commit hands both to Celery
    assert set(Notification.objects.values_list("inquiry_id", flat=True)) == {told.pk}


def test_a_return_is_named_only_where_staff_allowed_it() -> None:
    captive = make_captive()
    allowed = _inquiry(captive.pk, verified=True, disclosable=True, language="en")
    withheld = _inquiry(captive.pk, verified=True, language="en", email="otto@example.org")

    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)

    assert "has come home" in allowed.notifications.get().body
    assert "has come home" not in withheld.notifications.get().body
    assert "There is news" in withheld.notifications.get().body


@pytest.mark.parametrize(
    ("sex", "said"),
    [
        (Sex.MALE, "Гнатюк Дмитро повернувся додому."),
        (Sex.FEMALE, "Гнатюк Дмитро повернулася додому."),
        (Sex.UNKNOWN, "Підтверджено повернення додому: Гнатюк Дмитро."),
    ],
)
def test_messages_speak_the_relatives_language_of_the_person_as_their_sex_is(
    sex: Sex, said: str
) -> None:
    captive = make_captive(sex=sex)
    inquiry = _inquiry(captive.pk, verified=True, disclosable=True, language="uk")

    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)

    assert said in inquiry.notifications.get().body


def test_a_womans_return_with_its_day_is_told_in_the_feminine() -> None:
    daughter = make_captive(sex=Sex.FEMALE, status=Status.LISTED)
    inquiry = _inquiry(daughter.pk, verified=True, disclosable=True, language="uk")
    phase = make_phase()
    make_matched_list(phase, [daughter])
    propose_confirmation(phase=phase, by=make_user(Role.OFFICIAL), at=NOW)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL), at=NOW)

    body = inquiry.notifications.get().body

    assert f"Гнатюк Дмитро повернулася додому {phase.date:%d.%m.%Y}, на етапі" in body


def test_the_sending_task_run_twice_sends_one_email() -> None:
    captive = make_captive()
    _inquiry(captive.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    note = Notification.objects.get()

    send_notification_task.apply(args=(note.pk,))
    send_notification_task.apply(args=(note.pk,))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maria@example.org"]
    assert Notification.objects.get().state == Notification.State.SENT


def test_a_send_that_fails_is_kept_and_retried_and_the_relative_gets_one_message(
    mail_server: type[MailServer],
) -> None:
    captive = make_captive()
    _inquiry(captive.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    pk = Notification.objects.get().pk
    mail_server.down = 1

    failed = send_notification(notification_id=pk, at=NOW, jitter=0.0)
    kept = Notification.objects.get()
    too_early = send_notification(notification_id=pk, at=NOW + timedelta(seconds=10), jitter=0.0)
    retried = send_notification(notification_id=pk, at=NOW + timedelta(seconds=30), jitter=0.0)
    again = send_notification(notification_id=pk, at=NOW + timedelta(seconds=60), jitter=0.0)

    assert (failed.state, failed.retry_in) == (Notification.State.QUEUED, timedelta(seconds=30))
    assert kept.attempts == 1
    assert kept.error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert kept.next_attempt_at == NOW + timedelta(seconds=30)
    assert [too_early.state, retried.state, again.state] == ["queued", "sent", "sent"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maria@example.org"]
    assert Notification.objects.get().attempts == 2


def test_a_message_the_mail_server_never_takes_fails_for_good_with_the_reason(
    mail_server: type[MailServer],
) -> None:
    captive = make_captive()
    _inquiry(captive.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    pk = Notification.objects.get().pk
    mail_server.down = MAX_ATTEMPTS + 1
    at = NOW

    for _attempt in range(MAX_ATTEMPTS):
        outcome = send_notification(notification_id=pk, at=at, jitter=0.0)
        at += outcome.retry_in or timedelta(0)
    later = due_notifications(now=at + timedelta(days=1))

    note = Notification.objects.get()
    assert (outcome.state, outcome.retry_in) == (Notification.State.FAILED, None)
    assert (note.state, note.attempts) == (Notification.State.FAILED, MAX_ATTEMPTS)
    assert "Connection refused" in note.error
    assert later == []
    assert mail.outbox == []


def test_the_sweep_hands_out_messages_whose_task_was_lost_or_whose_worker_died(
    mail_server: type[MailServer],
) -> None:
    captive = make_captive()
    _inquiry(captive.pk, verified=True, disclosable=True)
    _inquiry(captive.pk, verified=True, disclosable=True, email="petro@example.org")
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    lost, stuck = Notification.objects.order_by("pk").values_list("pk", flat=True)
    mail_server.kills_the_worker = True
    with pytest.raises(SystemExit):
        send_notification(notification_id=stuck, at=NOW, jitter=0.0)
    mail_server.kills_the_worker = False

    soon = due_notifications(now=NOW + timedelta(minutes=1))
    later = due_notifications(now=NOW + timedelta(minutes=5))
    for pk in later:
        send_notification(notification_id=pk, at=NOW + timedelta(minutes=5), jitter=0.0)

    assert soon == []  # the claim is fresh, and the lost task may just be slow
    assert sorted(later) == [lost, stuck]
    assert sorted(m.to[0] for m in mail.outbox) == ["maria@example.org", "petro@example.org"]
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}


def test_a_send_that_never_comes_back_is_given_up_after_the_last_attempt(
    mail_server: type[MailServer],
) -> None:
    captive = make_captive()
    _inquiry(captive.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    note = Notification.objects.get()
    mail_server.kills_the_worker = True  # every attempt: the worker dies mid-send
    moment, handed_out = NOW, 1
    with pytest.raises(SystemExit):
        send_notification(notification_id=note.pk, at=moment, jitter=0.0)
    for _ in range(MAX_ATTEMPTS + 3):  # the sweep hands it out again while it may
        moment += timedelta(minutes=6)
        if note.pk not in due_notifications(now=moment):
            break
        handed_out += 1
        with pytest.raises(SystemExit):
            send_notification(notification_id=note.pk, at=moment, jitter=0.0)

    note.refresh_from_db()
    assert (note.state, note.attempts) == (Notification.State.FAILED, MAX_ATTEMPTS)
    assert handed_out == MAX_ATTEMPTS
    assert "no worker came back" in note.error


def test_a_message_for_an_inquiry_closed_meanwhile_is_not_sent(
    mail_server: type[MailServer],
) -> None:
    captive = make_captive()
    inquiry = _inquiry(captive.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    Inquiry.objects.filter(pk=inquiry.pk).update(state=Inquiry.State.CLOSED)

    outcome = send_notification(notification_id=Notification.objects.get().pk, at=NOW, jitter=0.0)

    assert outcome.state == Notification.State.FAILED
    assert mail.outbox == []
    assert "closed" in Notification.objects.get().error


def test_a_message_about_a_person_the_inquiry_was_unlinked_from_meanwhile_is_not_sent(
    mail_server: type[MailServer],
) -> None:
    captive = make_captive()
    inquiry = _inquiry(captive.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    Inquiry.objects.filter(pk=inquiry.pk).update(captive=None, state=Inquiry.State.RECEIVED)

    outcome = send_notification(notification_id=Notification.objects.get().pk, at=NOW, jitter=0.0)

    assert outcome.state == Notification.State.FAILED
    assert mail.outbox == []
    assert "no longer linked" in Notification.objects.get().error


def test_a_message_about_a_record_merged_since_into_the_linked_one_is_sent(
    mail_server: type[MailServer],
) -> None:
    duplicate, kept = make_captive(), make_captive()
    inquiry = _inquiry(duplicate.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[duplicate.pk], event=Notification.Event.RETURNED, at=NOW)
    Captive.objects.filter(pk=duplicate.pk).update(merged_into=kept)
    Inquiry.objects.filter(pk=inquiry.pk).update(captive=kept)

    send_notification(notification_id=Notification.objects.get().pk, at=NOW, jitter=0.0)

    assert len(mail.outbox) == 1


def test_a_return_waiting_to_be_sent_is_not_named_once_disclosure_is_withdrawn(
    mail_server: type[MailServer],
) -> None:
    captive = make_captive(sex=Sex.MALE)
    inquiry = _inquiry(captive.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    named = Notification.objects.get().body
    Inquiry.objects.filter(pk=inquiry.pk).update(disclosable=False)

    send_notification(notification_id=Notification.objects.get().pk, at=NOW, jitter=0.0)

    [letter] = mail.outbox
    assert "повернувся додому" in named or "has come home" in named
    assert "повернувся додому" not in letter.body
    assert "has come home" not in letter.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_approval_while_the_broker_is_down_is_confirmed_and_the_families_told_later(
    mail_server: type[MailServer],
) -> None:
    """The phase page answers, the phase is confirmed, the message waits; the sweep sends it."""
    from tests.conftest import grant_roles
    from tests.webhooks.conftest import partner_token
    from webhooks.models import AllowedHost, Delivery
    from webhooks.services import register_endpoint

    grant_roles()
    first, second = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    captive = make_captive()
    phase = make_phase()
    release_list = ReleaseList.objects.create(
        phase=phase, received_on=date(2025, 5, 21), sha256="d"
    )
    ReleaseListRow.objects.create(
        release_list=release_list,
        line_number=1,
        full_name=captive.full_name,
        outcome=Outcome.MATCHED,
        captive=captive,
    )
    _inquiry(captive.pk, verified=True, disclosable=True)
    AllowedHost.objects.create(host="hooks.partner.example")
    token, _ = partner_token(scopes=["webhooks:manage", "registry:read"])
    register_endpoint(
        token=token, url="https://hooks.partner.example/in", events=["phase.completed"]
    )
    propose_confirmation(phase=phase, by=first, at=NOW)
    official = Client()
    sign_in(official, second)

    with mock.patch.object(celery_app, "send_task", side_effect=BrokerDown("Connection refused")):
        response = official.post(
            f"/exchanges/phases/{phase.pk}/confirmation/approve/",
            {
                "proposed_at": Phase.objects.get(pk=phase.pk).proposed_at.isoformat(),  # type: ignore[union-attr]
                "gap": "-1",  # it declares nobody, and names one: the approver knows
                "acknowledge": "on",
            },
        )

    assert response.status_code == 302
    assert Phase.objects.get(pk=phase.pk).state == Phase.State.COMPLETED
    assert Delivery.objects.get().state == Delivery.State.PENDING  # the webhook's sweep sends it
    news = Notification.objects.get(event=Notification.Event.RETURNED)
    assert news.state == Notification.State.QUEUED
    later = news.next_attempt_at + timedelta(minutes=5)
    assert due_notifications(now=later) == [news.pk]
    send_notification(notification_id=news.pk, at=later, jitter=0.0)
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]


def sms_box(recipient: str, body: str) -> None:
    SENT_SMS.append((recipient, body))


SENT_SMS: list[tuple[str, str]] = []


def test_sms_goes_through_the_backend_the_settings_name(settings: Any) -> None:
    settings.SMS_BACKEND = "tests.inquiries.test_notifications.sms_box"
    captive = make_captive(sex=Sex.MALE)
    _inquiry(captive.pk, verified=True, disclosable=True, email="", phone="+380501234567")
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)

    send_notification_task.apply(args=(Notification.objects.get().pk,))

    assert [("+380501234567", SENT_SMS[0][1])] == SENT_SMS
    assert "повернувся додому" in SENT_SMS[0][1]  # in the relative's language (Ukrainian)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_delivered_twice_through_redis_is_sent_once(
    celery_worker: Any, tmp_path: Any
) -> None:
    captive = make_captive()
    _inquiry(captive.pk, verified=True, disclosable=True)
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    note = Notification.objects.get()

    send_notification_task.delay(note.pk)
    send_notification_task.delay(note.pk)  # a redelivery, as after a lost acknowledgement

    mailbox = tmp_path / "mail"
    assert wait_for(lambda: Notification.objects.get().state == Notification.State.SENT)
    assert wait_for(lambda: mailbox.exists() and len(list(mailbox.iterdir())) >= 1)
    time.sleep(2)  # give the second delivery its chance to (wrongly) send again
    assert len(list(mailbox.iterdir())) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_never_queued_is_sent_once_by_the_sweep_run_twice(
    celery_worker: Any, tmp_path: Any
) -> None:
    captive = make_captive()
    _inquiry(captive.pk, verified=True, disclosable=True)
    with mock.patch.object(celery_app, "send_task", side_effect=BrokerDown("Connection refused")):
        notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=6))

    requeue_due_notifications_task.delay()
    requeue_due_notifications_task.delay()

    mailbox = tmp_path / "mail"
    assert wait_for(lambda: Notification.objects.get().state == Notification.State.SENT)
    assert wait_for(lambda: mailbox.exists() and len(list(mailbox.iterdir())) >= 1)
    time.sleep(2)  # give the second sweep's message its chance to (wrongly) send again
    assert len(list(mailbox.iterdir())) == 1


def test_a_verified_relative_of_someone_already_home_is_told_once_by_the_hourly_task(
    mail_server: type[MailServer],
) -> None:
    """Linked to the person after the return by a path that sent nothing (migration 0009
    joined such groups): the hourly task tells them, and only once."""
    captive = make_captive(status=Status.RETURNED)
    _inquiry(captive.pk, verified=True, disclosable=True)
    _inquiry(captive.pk, verified=False, email="petro@example.org")  # not verified: nothing

    told = tell_untold_returns_task.apply().get()
    again = tell_untold_returns_task.apply().get()

    assert (told, again) == (1, 0)
    assert list(Notification.objects.values_list("recipient", "event")) == [
        ("maria@example.org", Notification.Event.RETURNED)
    ]
