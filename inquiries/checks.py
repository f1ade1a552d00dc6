"""``check --deploy``: a production that would tell families nothing, or could not keep their
PINs, says so before it starts.

The console backends are the demo's: they print every message to the log. Deployed with them,
relatives would wait for an e-mail or an SMS that never leaves the server. Without ``PIN_KEYS``
no inquiry could be filed or followed (``inquiries/pins.py`` refuses to hash without a key).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from inquiries.pins import MIN_SECRET_LENGTH, pin_keys

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
CONSOLE_SMS = "inquiries.notifications.console_sms"


@register(deploy=True)
def messages_reach_families(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if settings.EMAIL_BACKEND == CONSOLE_EMAIL:
        found.append(
            Warning(
                "E-mail to relatives is printed to the log, not sent.",
                hint="Set EMAIL_BACKEND and EMAIL_HOST (see the README's configuration).",
                id="inquiries.W001",
            )
        )
    if settings.SMS_BACKEND == CONSOLE_SMS:
        found.append(
            Warning(
                "SMS to relatives are printed to the log, not sent.",
                hint="Set SMS_BACKEND to the dotted path of a provider's send(recipient, body).",
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
    return found


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
