"""Logs carry no personal data and no secrets.

The code logs ids and outcomes, never names, dates of birth, PINs, tokens or passwords; this
filter is the second line, for what libraries log (a database error's DETAIL quoting a value, a
request path holding a query string, a login failure). It rewrites each record's message and
traceback before any handler writes them.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.http import HttpRequest

REDACTED = "[redacted]"

# A query string after a path: what was searched for, percent-encoded, where no other pattern
# would recognise a name ("?q=%D0%A8%D0%B5…").
_QUERY = (re.compile(r"(?<=[\w/%.~-])\?[^\s\"'<>]+"), f"?{REDACTED}")

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    _QUERY,
    # Secrets passed as key=value, key: value or in a query string.
    (
        re.compile(
            r"(?i)\b(password|passwd|pin|token|secret|otp_token|authorization|csrfmiddlewaretoken"
            r"|sessionid|api_key)\b([\"']?\s*[:=]\s*[\"']?)[^\s&\"',;)]+"
        ),
        rf"\1\2{REDACTED}",
    ),
    (re.compile(r"(?i)\bBearer\s+\S+"), f"Bearer {REDACTED}"),
    (re.compile(r"\bhc_[A-Za-z0-9_\-]{8,}"), REDACTED),  # a partner token's shape
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), REDACTED),  # e-mail addresses
    (re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{4}\b"), REDACTED),  # dates as lists write them
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), REDACTED),  # dates as Python prints them
    (re.compile(r"\+?\d[\d ()-]{8,}\d"), REDACTED),  # telephone numbers
    # Names: the registry's are Cyrillic; a capitalised Cyrillic word is a name more often
    # than not, and no message of the code itself is written in Cyrillic.
    (re.compile(r"[А-ЯЁЄІЇҐ][а-яёєіїґ'ʼ’-]+"), REDACTED),
)


def redact(text: str) -> str:
    return _rewrite(text, _PATTERNS)


def strip_query_strings(text: str) -> str:
    return _rewrite(text, (_QUERY,))


def _rewrite(text: str, patterns: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, replacement in patterns:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalData(logging.Filter):
    """Replaces secrets and personal data in a record's message and traceback; keeps the record."""

    _formatter = logging.Formatter()

    def rewrite(self, text: str) -> str:
        return redact(text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = self.rewrite(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.rewrite(record.exc_text)
        return True


class RedactQueryStrings(RedactPersonalData):
    """gunicorn's own log lines (``config/gunicorn.py``): a request it failed to serve is logged
    with its whole URI, query string included ("Error handling request GET /registry/?q=…" on
    a worker timeout, the request line of a malformed request). Only query strings are taken
    out: the other patterns would eat its ports, pids and the access log's status and sizes."""

    def rewrite(self, text: str) -> str:
        return strip_query_strings(text)


def login_attempt_label(
    username: str | None,
    ip_address: str | None,
    user_agent: str | None,
    path_info: str | None,
    request: HttpRequest | None,
) -> str:
    """How django-axes names a login attempt in its log lines: a keyed digest instead of the
    username (so repeated attempts on one account can still be told apart), and the address."""
    key = settings.SECRET_KEY.encode()
    account = hashlib.blake2b((username or "").encode(), key=key[:64], digest_size=6).hexdigest()
    return f"{{account: {account}, ip_address: {ip_address}, path_info: {path_info}}}"
