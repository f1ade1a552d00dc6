"""SMS to relatives through Twilio's REST API (``SMS_BACKEND=inquiries.sms.twilio_sms``).

One POST to the account's Messages resource per message
(``/2010-04-01/Accounts/{AccountSid}/Messages.json``), with HTTP basic auth (the account SID
and its auth token, or an API key's SID and its secret) and the form fields ``To`` (E.164),
``Body`` and ``From`` (our number) or ``MessagingServiceSid`` (a Messaging Service, "MG…").
Plain ``requests`` with a connect and a read timeout, rather than Twilio's client library, which
would bring aiohttp and PyJWT for this one call.

What comes back decides what follows (``config.retries``): a timeout, a connection that fails,
a 5xx, a 429, or a refusal of our credentials is raised as it is, and the message is tried
again on the schedule; any other 4xx (an invalid or unreachable number, an opted-out
recipient) raises ``Undeliverable``, and the message fails at once with Twilio's error code.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings

from config.retries import Undeliverable, worth_retrying
from inquiries.phones import e164

# What ``check --deploy`` requires once SMS_BACKEND names this backend.
REQUIRED_SETTINGS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM")


class ProviderError(Exception):
    """A refusal that may pass (``config.retries.worth_retrying``): the message is tried again."""


def twilio_sms(recipient: str, body: str) -> None:
    """Send one SMS, or raise: ``Undeliverable`` when no retry can help."""
    try:
        to = e164(recipient)
    except ValueError as unusable:  # an old number the data migration could not read
        raise Undeliverable("The recipient's phone is not a valid number.") from unusable
    sender = settings.TWILIO_FROM
    response = requests.post(
        _messages_url(),
        data={
            "To": to,
            "Body": body,
            "MessagingServiceSid" if sender.startswith("MG") else "From": sender,
        },
        auth=(settings.TWILIO_API_KEY or settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN),
        timeout=(settings.SMS_CONNECT_TIMEOUT, settings.SMS_READ_TIMEOUT),
        allow_redirects=False,
    )
    status = response.status_code
    if 200 <= status < 300:
        return
    if 400 <= status < 500 and not worth_retrying(status):
        raise Undeliverable(_refusal(response))
    raise ProviderError(_refusal(response))  # a redirect too: the address is ours to fix


def _messages_url() -> str:
    account = quote(settings.TWILIO_ACCOUNT_SID, safe="")
    return f"{settings.TWILIO_API_URL.rstrip('/')}/2010-04-01/Accounts/{account}/Messages.json"


def _refusal(response: requests.Response) -> str:
    """What Twilio said, by its status and error code only: its message may quote the number,
    and this text goes to the log and the caseworker's page."""
    try:
        answer: Any = response.json()
    except ValueError:
        answer = None
    code = answer.get("code") if isinstance(answer, dict) else None
    said = f"Twilio answered HTTP {response.status_code}"
    if isinstance(code, int):
        said += f", error {code} (https://www.twilio.com/docs/errors/{code})"
    return said
