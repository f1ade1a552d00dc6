"""Production settings come from the environment and pass Django's deployment checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# Every test starts manage.py in a process of its own, with the environment it checks.
pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    dropped = {"DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE", "PIN_KEYS"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "homecoming.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SMS_BACKEND": "tests.test_settings.send_sms",
    "PIN_KEYS": f"2026:{secrets.token_urlsafe(32)},2025:{secrets.token_urlsafe(32)}",
    "TRACING_PHONE": "0 800 000 001",
    "TRACING_EMAIL": "tracing@homecoming.example.org",
}


def send_sms(recipient: str, body: str) -> None:
    """An SMS provider's send function, as a deployment names one in SMS_BACKEND."""


def test_production_settings_pass_check_deploy_without_warnings() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_messages_to_families_would_only_be_printed() -> None:
    console = PRODUCTION | {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SMS_BACKEND": "inquiries.notifications.console_sms",
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="x" * 60, **console)

    assert result.returncode != 0
    assert "inquiries.W001" in result.stderr
    assert "inquiries.W002" in result.stderr


def test_check_deploy_warns_while_relatives_are_sent_to_the_demos_tracing_contact() -> None:
    demo = PRODUCTION | {"TRACING_PHONE": "", "TRACING_EMAIL": "tracing@homecoming.example"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="x" * 60, **demo)

    assert result.returncode != 0
    assert "inquiries.W004" in result.stderr


def test_check_deploy_refuses_an_sms_backend_that_does_not_import() -> None:
    broken = PRODUCTION | {"SMS_BACKEND": "sms_provider.send"}
    result = _manage("check", "--deploy", SECRET_KEY="x" * 60, **broken)

    assert result.returncode != 0
    assert "inquiries.E001" in result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env | {"DEBUG": "false"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_refuses_production_without_a_pin_key() -> None:
    without = {k: v for k, v in PRODUCTION.items() if k != "PIN_KEYS"}
    result = _manage("check", "--deploy", SECRET_KEY="x" * 60, **without)

    assert result.returncode != 0
    assert "inquiries.E002" in result.stderr
    assert "PIN_KEYS" in result.stderr


def test_check_deploy_refuses_a_malformed_pin_key_and_warns_of_a_short_one() -> None:
    malformed = _manage("check", "--deploy", SECRET_KEY="x" * 60, **PRODUCTION | {"PIN_KEYS": "k"})
    short = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 60,
        **PRODUCTION | {"PIN_KEYS": "2026:short"},
    )

    assert malformed.returncode != 0
    assert "inquiries.E002" in malformed.stderr
    assert short.returncode != 0
    assert "inquiries.W003" in short.stderr
    assert "short" not in short.stderr.replace("shorter", "")  # the secret is never printed


def test_only_debug_hashes_pins_under_the_development_key() -> None:
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.PIN_KEYS)",
    ]

    debug = _manage(*show, DEBUG="true", SECRET_KEY="x" * 60)
    production = _manage(*show, SECRET_KEY="x" * 60, **PRODUCTION | {"PIN_KEYS": ""})

    assert debug.returncode == production.returncode == 0, debug.stderr + production.stderr
    assert "dev:" in debug.stdout
    assert production.stdout.splitlines()[-1] == "[]"
