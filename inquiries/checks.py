"""``check --deploy``: a production that would tell families nothing, or could not keep their
PINs, says so before it starts.

The console backends are the demo's: they print every message to the log. Deployed with them,
relatives would wait for an e-mail or an SMS that never leaves the server; with a provider's
backend short of its credentials, every message would fail, hours later. Without ``PIN_KEYS``
no inquiry could be filed or followed (``inquiries/pins.py`` refuses to hash without a key).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection
from django.utils.module_loading import import_string

from inquiries.phones import e164
from inquiries.pins import MIN_SECRET_LENGTH, pin_keys
from inquiries.sms import REQUIRED_SETTINGS

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
CONSOLE_SMS = "inquiries.notifications.console_sms"
TWILIO_SMS = "inquiries.sms.twilio_sms"
ALPHANUMERIC_SENDER = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}")


@register(deploy=True)
def messages_reach_families(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if settings.EMAIL_BACKEND == CONSOLE_EMAIL:
        found.append(
            Warning(
                "E-mail to relatives is printed to the log, not sent.",
                hint="Set EMAIL_BACKEND to SMTP's (with EMAIL_HOST) or a provider's through "
                "django-anymail (README: Notifications).",
                id="inquiries.W001",
            )
        )
    if settings.SMS_BACKEND == CONSOLE_SMS:
        found.append(
            Warning(
                "SMS to relatives are printed to the log, not sent.",
                hint=f"Set SMS_BACKEND={TWILIO_SMS} with the TWILIO_* settings, or to the "
                "dotted path of another provider's send(recipient, body).",
                id="inquiries.W002",
            )
        )
    try:
        import_string(settings.SMS_BACKEND)
    except ImportError as problem:
        found.append(
            Error(
                f"SMS_BACKEND {settings.SMS_BACKEND!r} cannot be imported: {problem}.",
                id="inquiries.E001",
            )
        )
    return found + _email_backend_problems() + _twilio_problems()


def _email_backend_problems() -> list[CheckMessage]:
    """The e-mail backend is built as a send would build it: an anymail provider's backend
    refuses to start without its API key, say, which the first message would find hours later."""
    try:
        get_connection(fail_silently=False)
    except (ImportError, ImproperlyConfigured) as problem:
        return [
            Error(
                f"EMAIL_BACKEND {settings.EMAIL_BACKEND!r} cannot be set up: {problem}",
                hint="django-anymail's settings are ANYMAIL_<PROVIDER>_<SETTING> variables.",
                id="inquiries.E003",
            )
        ]
    return []


def _twilio_problems() -> list[CheckMessage]:
    if settings.SMS_BACKEND != TWILIO_SMS:
        return []
    missing = [name for name in REQUIRED_SETTINGS if not getattr(settings, name)]
    found: list[CheckMessage] = []
    if missing:
        found.append(
            Error(
                f"SMS go through Twilio, but these are not set: {', '.join(missing)}.",
                hint="See the README's Notifications.",
                id="inquiries.E004",
            )
        )
    if settings.TWILIO_FROM and not _twilio_sender(settings.TWILIO_FROM):
        found.append(
            Error(
                "TWILIO_FROM is neither a number in E.164 (+…), a Messaging Service (MG…) nor "
                "an alphanumeric sender ID (up to 11 letters, digits and spaces).",
                id="inquiries.E005",
            )
        )
    if not settings.TWILIO_API_URL.startswith("https://"):
        found.append(Error("TWILIO_API_URL is not an https address.", id="inquiries.E006"))
    return found


def _twilio_sender(sender: str) -> bool:
    if sender.startswith("MG") or ALPHANUMERIC_SENDER.fullmatch(sender):
        return True
    try:
        return e164(sender) == sender
    except ValueError:
        return False


@register(deploy=True)
def pins_have_a_key(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    try:
        keys = pin_keys()
    except ImproperlyConfigured as problem:
        return [Error(str(problem), hint="See PIN_KEYS in the README.", id="inquiries.E002")]
    return [
        Warning(
            f"The PIN key {key_id!r} is shorter than {MIN_SECRET_LENGTH} characters.",
            hint="Make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'",
            id="inquiries.W003",
        )
        for key_id, secret in keys.items()
        if len(secret) < MIN_SECRET_LENGTH
    ]


@register(deploy=True)
def relatives_know_whom_to_call(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """The lock page and the status page send relatives to the tracing service: to whom?"""
    if settings.TRACING_EMAIL.endswith(".example") or not (
        settings.TRACING_PHONE or settings.TRACING_EMAIL
    ):
        return [
            Warning(
                "Relatives' pages give the demo's tracing contact, or none.",
                hint="Set TRACING_PHONE and TRACING_EMAIL to the tracing service's hotline.",
                id="inquiries.W004",
            )
        ]
    return []
