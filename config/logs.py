"""Logs carry no personal data and no secrets.

The code logs ids and outcomes, never names, dates of birth, PINs, tokens or passwords; this
filter is the second line, for what libraries log (a database error's DETAIL quoting a value, a
request path holding a query string, a login failure). It rewrites each record's message and
traceback before any handler writes them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest

REDACTED = "[redacted]"

# A query string after a path: what was searched for, percent-encoded, where no other pattern
# would recognise a name ("?q=%D0%A8%D0%B5…").
_QUERY = (re.compile(r"(?<=[\w/%.~-])\?[^\s\"'<>]+"), f"?{REDACTED}")

# Telephone numbers as relatives write them and as they are stored (E.164), and nothing else
# made of digits: ids, durations, byte counts, floats, times and UUIDs stay readable. A number
# glued to a word, a dot, a slash or a dash is part of something else (an id, a float, a path, a
# UUID's segment); so is one that goes on into more digits, a decimal part or a time.
_PHONE = re.compile(
    r"""
    (?<![\w./+-])
    (?:
        \+\d(?:[\ ()-]{0,2}\d){7,14}             # with its country code: +380 67 123 45 67
      | 00[1-9](?:[\ ()-]{0,2}\d){8,13}          # the same dialled from Ukraine: 0048 22 123…
      | (?:38\ ?)?\(?0[3-9]\d\)?(?:[\ -]?\d){7}  # Ukrainian: 067 123 45 67, (067) 123-45-67
    )
    (?!\w|[.,:-]\d)
    """,
    re.VERBOSE,
)

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
    (_PHONE, REDACTED),
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


class JsonLines(logging.Formatter):
    """One JSON object a line (``LOG_FORMAT=json``): ``time`` (UTC), ``level``, ``logger``,
    ``message``, and ``exception`` when there is a traceback; ``status`` for Django's request
    log. Nothing else of the record: the redaction filter rewrites the message and traceback,
    not a record's other attributes (Django's request log carries the request itself, whose
    text quotes the query string). Runs after the filter, so it writes what it left."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            line["status"] = status
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def adopt_celery_handlers(logger: logging.Logger, **_: Any) -> None:
    """A Celery worker sets up its loggers with handlers of its own, replacing the settings'
    (``after_setup_logger``, ``after_setup_task_logger``): they get the redaction filter, and
    the JSON formatter when ``LOG_FORMAT`` asks for it."""
    for handler in logger.handlers:
        if not any(isinstance(f, RedactPersonalData) for f in handler.filters):
            handler.addFilter(RedactPersonalData())
        if settings.LOG_FORMAT == "json":
            handler.setFormatter(JsonLines())


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
