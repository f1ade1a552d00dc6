"""Relatives' messages through real providers' APIs, served by a local HTTP server: what is sent
(address, credentials, fields, the number in E.164, the text), and which failures are tried
again on the schedule (timeouts, 5xx, 429, our credentials) and which fail at once (a number or
an address the provider refuses)."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from smtplib import SMTPRecipientsRefused
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from captives.models import Sex
from inquiries.models import Inquiry, Notification
from inquiries.notifications import notify_relatives, send_notification
from inquiries.sms import twilio_sms
from tests.factories import make_captive
from tests.inquiries.conftest import HANG, Provider

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 23, 16, 0, tzinfo=UTC)
NUMBER = "+380671234567"
# Twilio's answer to an invalid number, which quotes it: the number must not reach our error.
INVALID_NUMBER = {
    "code": 21211,
    "message": f"The 'To' number {NUMBER} is not a valid phone number.",
    "more_info": "https://www.twilio.com/docs/errors/21211",
    "status": 400,
}


@pytest.fixture
def twilio(settings: Any, provider: Provider) -> Provider:
    settings.SMS_BACKEND = "inquiries.sms.twilio_sms"
    settings.TWILIO_API_URL = provider.url
    settings.TWILIO_ACCOUNT_SID = "AC0123456789abcdef"
    settings.TWILIO_API_KEY = ""
    settings.TWILIO_AUTH_TOKEN = "twilio-auth-token"
    settings.TWILIO_FROM = "+15005550006"
    settings.SMS_CONNECT_TIMEOUT, settings.SMS_READ_TIMEOUT = 5.0, 0.5
    return provider


def _message_waiting(*, phone: str = "", email: str = "") -> int:
    captive = make_captive(sex=Sex.MALE)
    Inquiry.objects.create(
        reference=f"HC-{captive.pk:04d}-PROV",
        pin_hash="x",
        relative_name="Марія",
        relationship="mother",
        email=email,
        phone=phone,
        consent_given_at=NOW,
        sought_full_name="Гнатюк Дмитро",
        captive=captive,
        disclosable=True,
        verified_at=NOW,
        verification_method="Birth certificate",
    )
    notify_relatives(captive_ids=[captive.pk], event=Notification.Event.RETURNED, at=NOW)
    return Notification.objects.get().pk


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_an_sms_is_posted_to_the_accounts_messages_with_its_credentials_and_fields(
    twilio: Provider,
) -> None:
    pk = _message_waiting(phone=NUMBER)

    outcome = send_notification(notification_id=pk, at=NOW, jitter=0.0)

    [request] = twilio.requests
    form = parse_qs(request.body.decode(), strict_parsing=True)
    assert outcome.state == Notification.State.SENT
    assert request.path == "/2010-04-01/Accounts/AC0123456789abcdef/Messages.json"
    assert request.headers["Authorization"] == _basic("AC0123456789abcdef", "twilio-auth-token")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert set(form) == {"To", "From", "Body"}
    assert (form["To"], form["From"]) == ([NUMBER], ["+15005550006"])
    assert form["Body"] == [Notification.objects.get().body]
    assert form["Body"][0].startswith("Гнатюк Дмитро повернувся додому.")


def test_a_number_kept_as_written_before_e164_is_sent_in_e164_through_a_messaging_service(
    twilio: Provider, settings: Any
) -> None:
    settings.TWILIO_FROM = "MG0123456789abcdef"
    settings.TWILIO_API_KEY = "SK0123456789abcdef"

    twilio_sms("(067) 123-45-67", "Є новини.")

    [request] = twilio.requests
    form = parse_qs(request.body.decode())
    assert request.headers["Authorization"] == _basic("SK0123456789abcdef", "twilio-auth-token")
    assert request.path.startswith("/2010-04-01/Accounts/AC0123456789abcdef/")
    assert form == {
        "To": [NUMBER],
        "MessagingServiceSid": ["MG0123456789abcdef"],
        "Body": ["Є новини."],
    }


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (500, {"code": 20500, "message": "Internal Server Error"}),
        (503, {}),
        (429, {"code": 20429, "message": "Too Many Requests"}),
        (401, {"code": 20003, "message": "Authenticate"}),  # the deployment's to fix
    ],
)
def test_a_provider_in_trouble_or_refusing_our_credentials_is_tried_again_on_the_schedule(
    twilio: Provider, status: int, answer: dict[str, Any]
) -> None:
    pk = _message_waiting(phone=NUMBER)
    twilio.script.append((status, answer))

    failed = send_notification(notification_id=pk, at=NOW, jitter=0.0)
    sent = send_notification(notification_id=pk, at=NOW + timedelta(seconds=30), jitter=0.0)

    assert (failed.state, failed.retry_in) == (Notification.State.QUEUED, timedelta(seconds=30))
    assert sent.state == Notification.State.SENT
    assert len(twilio.requests) == 2
    assert Notification.objects.get().attempts == 2


@pytest.mark.parametrize(
    "answer",
    [
        INVALID_NUMBER,
        {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400},
        {"code": 21614, "message": f"'To' number {NUMBER} is not a mobile number", "status": 400},
    ],
)
def test_a_number_the_provider_refuses_fails_at_once_with_its_code_and_not_the_number(
    twilio: Provider, answer: dict[str, Any]
) -> None:
    pk = _message_waiting(phone=NUMBER)
    twilio.script.append((400, answer))

    outcome = send_notification(notification_id=pk, at=NOW, jitter=0.0)
    later = send_notification(notification_id=pk, at=NOW + timedelta(days=1), jitter=0.0)

    note = Notification.objects.get()
    assert (outcome.state, outcome.retry_in) == (Notification.State.FAILED, None)
    assert later.state == Notification.State.FAILED
    assert (note.state, note.attempts) == (Notification.State.FAILED, 1)
    assert f"HTTP 400, error {answer['code']}" in note.error
    assert "671234567" not in note.error
    assert len(twilio.requests) == 1


def test_a_provider_that_does_not_answer_in_time_is_tried_again(twilio: Provider) -> None:
    pk = _message_waiting(phone=NUMBER)
    twilio.script.append(HANG)

    failed = send_notification(notification_id=pk, at=NOW, jitter=0.0)
    kept = Notification.objects.get()
    sent = send_notification(notification_id=pk, at=NOW + timedelta(seconds=30), jitter=0.0)

    assert failed.state == Notification.State.QUEUED
    assert kept.error.startswith("ReadTimeout")
    assert sent.state == Notification.State.SENT
    assert len(twilio.requests) == 2


def test_a_provider_that_cannot_be_reached_is_tried_again(twilio: Provider, settings: Any) -> None:
    with socket.socket() as closed:  # a port that nothing listens on once it is closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.TWILIO_API_URL = f"http://127.0.0.1:{port}"
    pk = _message_waiting(phone=NUMBER)

    outcome = send_notification(notification_id=pk, at=NOW, jitter=0.0)

    note = Notification.objects.get()
    assert (outcome.state, note.state) == (Notification.State.QUEUED, Notification.State.QUEUED)
    assert note.error.startswith("ConnectionError")


def test_a_stored_phone_that_is_no_number_fails_at_once_without_calling_the_provider(
    twilio: Provider,
) -> None:
    pk = _message_waiting(phone="ask at the village council")

    outcome = send_notification(notification_id=pk, at=NOW, jitter=0.0)

    note = Notification.objects.get()
    assert outcome.state == Notification.State.FAILED
    assert note.error == "Undeliverable: The recipient's phone is not a valid number."
    assert twilio.requests == []


# E-mail through django-anymail: Postmark's API as the example of any provider it knows.
POSTMARK_SENT = {
    "To": "maria@example.org",
    "SubmittedAt": "2025-05-23T16:00:00Z",
    "MessageID": "b7bc2f4a-e38e-4336-af7d-e6c392c2f817",
    "ErrorCode": 0,
    "Message": "OK",
}

# Postmark's words for an address it refuses (anymail reads the address out of them).
INVALID_TO = "Invalid 'To' address: 'maria@example.org'."
INACTIVE = (
    "You tried to send to a recipient that has been marked as inactive.\n"
    "Found inactive addresses: maria@example.org.\n"
    "Inactive recipients are ones that have generated a hard bounce or a spam complaint."
)


@pytest.fixture
def postmark(settings: Any, provider: Provider) -> Provider:
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {
        "POSTMARK_SERVER_TOKEN": "postmark-server-token",
        "POSTMARK_API_URL": f"{provider.url}/",
        "REQUESTS_TIMEOUT": 0.5,
    }
    return provider


def test_an_email_goes_through_the_provider_the_settings_name(postmark: Provider) -> None:
    pk = _message_waiting(email="maria@example.org")
    postmark.script.append((200, POSTMARK_SENT))

    outcome = send_notification(notification_id=pk, at=NOW, jitter=0.0)

    [request] = postmark.requests
    sent = json.loads(request.body)
    assert outcome.state == Notification.State.SENT
    assert request.path == "/email"
    assert request.headers["X-Postmark-Server-Token"] == "postmark-server-token"
    assert sent["To"] == "maria@example.org"
    assert "повернувся додому" in sent["TextBody"]


@pytest.mark.parametrize(
    ("status", "answer", "state"),
    [
        (500, {"ErrorCode": 0, "Message": "Internal Server Error"}, Notification.State.QUEUED),
        (429, {"ErrorCode": 0, "Message": "Rate limit exceeded"}, Notification.State.QUEUED),
        (401, {"ErrorCode": 10, "Message": "Bad or missing API token"}, Notification.State.QUEUED),
        (422, {"ErrorCode": 300, "Message": INVALID_TO}, Notification.State.FAILED),
        (422, {"ErrorCode": 406, "Message": INACTIVE}, Notification.State.FAILED),
        (HANG[0], HANG[1], Notification.State.QUEUED),
    ],
)
def test_an_email_the_provider_refuses_for_good_fails_at_once_and_any_other_is_tried_again(
    postmark: Provider, status: int, answer: dict[str, Any], state: str
) -> None:
    pk = _message_waiting(email="maria@example.org")
    postmark.script.append((status, answer))

    outcome = send_notification(notification_id=pk, at=NOW, jitter=0.0)

    assert (outcome.state, Notification.objects.get().state) == (state, state)
    assert (outcome.retry_in is None) == (state == Notification.State.FAILED)


class RefusingMailServer(BaseEmailBackend):
    """An SMTP server that refuses the recipient with the reply a test sets."""

    reply = (550, b"5.1.1 No such user")

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        raise SMTPRecipientsRefused({"maria@example.org": RefusingMailServer.reply})


@pytest.mark.parametrize(
    ("reply", "state"),
    [
        ((550, b"5.1.1 No such user"), Notification.State.FAILED),
        ((450, b"4.2.1 Mailbox busy, try later"), Notification.State.QUEUED),
    ],
)
def test_an_smtp_server_refusing_the_address_for_good_fails_it_at_once_and_for_now_retries(
    settings: Any, reply: tuple[int, bytes], state: str
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    RefusingMailServer.reply = reply
    pk = _message_waiting(email="maria@example.org")

    outcome = send_notification(notification_id=pk, at=NOW, jitter=0.0)

    assert (outcome.state, Notification.objects.get().state) == (state, state)
