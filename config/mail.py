"""django-anymail's settings from the environment (``ANYMAIL_<SETTING>`` variables).

Environment variables are text; anymail takes some of its settings as Python values and reads
any non-empty string as true, so ``ANYMAIL_IGNORE_UNSUPPORTED_FEATURES=false`` would switch the
feature on. The settings anymail reads as booleans and as numbers (its ``get_anymail_setting``
calls with such a default) are parsed here; every other one, tokens, keys, secrets and URLs
included, is handed over as the text it is, even when it is all digits. A boolean or a number
that cannot be read stops the start, naming its variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

PREFIX = "ANYMAIL_"
# Settings anymail reads as booleans: the global ones, and each ESP's as <ESP>_<NAME>.
BOOLEANS = frozenset(
    {
        "IGNORE_UNSUPPORTED_FEATURES",
        "IGNORE_RECIPIENT_STATUS",
        "DEBUG_API_REQUESTS",
    }
)
ESP_BOOLEANS = (
    "USE_BULK_API",  # Postmark
    "GENERATE_MESSAGE_ID",  # Postmark, SendGrid, Unisender Go
    "WORKAROUND_DISPLAY_NAME_BUGS",  # Brevo, Unisender Go
    "PREVENT_HEADER_ENCODING_BUGS",  # Brevo
    "VERIFY_ATTACHMENT_EXTENSIONS",  # Resend
    "AUTO_CONFIRM_SNS_SUBSCRIPTIONS",  # Amazon SES
    "TRACK_INITIAL_OPEN_AS_OPENED",  # SparkPost
)
ESP_INTEGERS = ("DOWNLOAD_CHUNK_SIZE",)  # Amazon SES, Mailtrap, Resend (bytes)
TRUE = frozenset({"true", "1", "yes", "on"})
FALSE = frozenset({"false", "0", "no", "off"})


def anymail_settings(environ: Mapping[str, str], *, requests_timeout: float) -> dict[str, Any]:
    """The ``ANYMAIL`` setting: ``REQUESTS_TIMEOUT`` (seconds) unless a variable sets it, and
    every ``ANYMAIL_<SETTING>`` variable as ``<SETTING>``, parsed where anymail wants a value."""
    found: dict[str, Any] = {"REQUESTS_TIMEOUT": requests_timeout}
    for variable, text in environ.items():
        if variable.startswith(PREFIX):
            found[variable.removeprefix(PREFIX)] = _value(variable, text)
    return found


def _value(variable: str, text: str) -> Any:
    name = variable.removeprefix(PREFIX)
    if name in BOOLEANS or name.endswith(tuple(f"_{suffix}" for suffix in ESP_BOOLEANS)):
        return _boolean(variable, text)
    if name.endswith(tuple(f"_{suffix}" for suffix in ESP_INTEGERS)):
        return _number(variable, text, int)
    if name == "REQUESTS_TIMEOUT":  # seconds, or "connect,read" as requests takes a pair
        parts = tuple(_number(variable, part, float) for part in text.split(","))
        if len(parts) > 2:
            raise ImproperlyConfigured(f"{variable} is seconds, or two: connect,read.")
        return parts[0] if len(parts) == 1 else parts
    return text


def _boolean(variable: str, text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise ImproperlyConfigured(f"{variable} is true or false (1/0, yes/no), not {text!r}.")


def _number(variable: str, text: str, kind: type[int] | type[float]) -> Any:
    try:
        number = kind(text.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{variable} is a number, not {text!r}.") from None
    if number <= 0:
        raise ImproperlyConfigured(f"{variable} is a number above zero, not {text!r}.")
    return number
