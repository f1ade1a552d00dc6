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


PROVIDERS = PRODUCTION | {
    "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
    "SMS_BACKEND": "inquiries.sms.twilio_sms",
}


def test_check_deploy_passes_real_providers_given_their_variables() -> None:
    email_token, sms_token = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PROVIDERS
        | {
            "ANYMAIL_POSTMARK_SERVER_TOKEN": email_token,  # handed to anymail as it is
            "TWILIO_ACCOUNT_SID": "AC0123456789abcdef",
            "TWILIO_AUTH_TOKEN": sms_token,
            "TWILIO_FROM": "+15005550006",
        },
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_providers_short_of_their_settings_and_names_them() -> None:
    result = _manage("check", "--deploy", SECRET_KEY="x" * 60, **PROVIDERS)

    assert result.returncode != 0
    assert "inquiries.E003" in result.stderr
    assert "POSTMARK_SERVER_TOKEN" in result.stderr
    assert "inquiries.E004" in result.stderr
    assert "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM" in result.stderr


def test_check_deploy_refuses_a_twilio_sender_or_address_it_cannot_use() -> None:
    wrong = PROVIDERS | {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "TWILIO_ACCOUNT_SID": "AC0123456789abcdef",
        "TWILIO_AUTH_TOKEN": "twilio-auth-token",
        "TWILIO_FROM": "067 123 45 67",
        "TWILIO_API_URL": "http://api.twilio.com",
    }
    result = _manage("check", "--deploy", SECRET_KEY="x" * 60, **wrong)

    assert result.returncode != 0
    assert "inquiries.E004" not in result.stderr
    assert "inquiries.E005" in result.stderr
    assert "inquiries.E006" in result.stderr


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


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("METRICS_TOKEN", "too-short-to-guess", "METRICS_TOKEN: 32 characters or more"),
        ("METRICS_ALLOWED_ADDRESSES", "10.0.0.0/8,prometheus", "METRICS_ALLOWED_ADDRESSES"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT is text or json"),
        ("PROMETHEUS_MULTIPROC_DIR", "/nonexistent/metrics", "PROMETHEUS_MULTIPROC_DIR"),
    ],
)
def test_metrics_and_log_settings_that_cannot_work_stop_the_start(
    variable: str, value: str, said: str
) -> None:
    good = _manage("check", SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    bad = _manage("check", SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION, **{variable: value})

    assert good.returncode == 0, good.stderr
    assert bad.returncode != 0
    assert said in bad.stderr


def test_metrics_are_open_to_loopback_only_in_debug() -> None:
    code = "from django.conf import settings; print(settings.METRICS_ALLOWED_ADDRESSES)"
    debug = _manage("shell", "--no-imports", "-c", code, DEBUG="true")
    production = _manage(
        "shell", "--no-imports", "-c", code, SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION
    )

    assert debug.stdout.strip() == "['127.0.0.1', '::1']"
    assert production.stdout.strip() == "[]"


def test_every_task_has_a_soft_and_a_hard_time_limit_within_the_visibility_timeout() -> None:
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    # The project's tasks: not Celery's own, nor those tests define for themselves.
    ours = {
        name: task for name, task in app.tasks.items() if not name.startswith(("celery.", "tests."))
    }
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]

    limits = {
        name: (task.soft_time_limit or 0, task.time_limit or 0) for name, task in ours.items()
    }

    assert len(limits) >= 11
    for name, (soft, hard) in limits.items():
        assert 0 < soft < hard < visibility, name
    # A send is seconds; a list of the most rows a file may hold is minutes.
    assert limits["webhooks.tasks.deliver_webhook_task"][1] <= 60
    assert limits["inquiries.tasks.send_notification_task"][1] <= 120
    assert limits["exchanges.tasks.reconcile_release_list_task"][0] >= 20 * 60


def test_a_lost_list_is_looked_for_often_enough_to_resume_within_a_minute() -> None:
    from django.conf import settings

    from exchanges.jobs import BEAT_EVERY, STALE_AFTER

    sweep = settings.CELERY_BEAT_SCHEDULE["requeue-stale-release-lists"]["schedule"]

    assert isinstance(sweep, float)

    assert STALE_AFTER.total_seconds() >= 5 * BEAT_EVERY  # a few missed beats are not death
    assert BEAT_EVERY + STALE_AFTER.total_seconds() + sweep < 60


def test_anymails_settings_from_the_environment_are_read_as_anymail_takes_them() -> None:
    code = "from django.conf import settings; print(sorted(settings.ANYMAIL.items()))"
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        ANYMAIL_IGNORE_UNSUPPORTED_FEATURES="false",
        ANYMAIL_REQUESTS_TIMEOUT="12",
        ANYMAIL_POSTMARK_SERVER_TOKEN="1234567890",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "[('IGNORE_UNSUPPORTED_FEATURES', False), ('POSTMARK_SERVER_TOKEN', '1234567890'),"
        " ('REQUESTS_TIMEOUT', 12.0)]"
    )
