"""No personal data and no secrets reach the logs: across an inquiry, a status check, a login
with its second factor and partner API calls, everything the configured handler writes is read
back and searched for each secret."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.tokens import issue_token
from bench.servers import ROOT, free_port
from config.logs import RedactPersonalData, redact
from tests.factories import code_of, confirmed_device, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-Battery-9"
RELATIVE = "Марія Шевченко"
SOUGHT = "Шевченко Андрій Петрович"
BIRTH = "1998-02-11"
EMAIL = "maria.shevchenko@example.org"
PHONE = "+380 67 123 45 67"
SERVICE_NUMBER = "АА123456"


@pytest.fixture
def written() -> Iterator[io.StringIO]:
    """What the console handler, as configured in settings, writes: every logger at DEBUG."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler)
        and any(isinstance(f, RedactPersonalData) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    levels = {name: logging.getLogger(name).level for name in ("", "axes", "django", "celery")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    handler.setStream(previous)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def file_inquiry(client: Client) -> tuple[str, str]:
    response = client.post(
        "/inquiries/new/",
        {
            "relative_name": RELATIVE,
            "relationship": "mother",
            "email": EMAIL,
            "phone": PHONE,
            "sought_full_name": SOUGHT,
            "sought_birth_date": BIRTH,
            "sought_service_number": SERVICE_NUMBER,
            "consent": "on",
        },
        follow=True,
    )
    [(address, status)] = response.redirect_chain
    assert (address.split("?")[0], status) == ("/inquiries/filed/", 302)
    text = response.content.decode()
    reference = re.search(r"HC-[0-9A-Z]{4}-[0-9A-Z]{4}", text)
    pin = re.search(r"<strong>(\d{6})</strong>", text)
    assert reference
    assert pin
    return reference.group(0), pin.group(1)


def staff_with_password() -> User:
    return make_user(Role.CASEWORKER, username="olena.kovalenko", password=PASSWORD)


def test_an_inquiry_a_login_and_api_calls_leave_no_secret_in_the_logs(
    written: io.StringIO,
) -> None:
    public = Client()
    reference, pin = file_inquiry(public)
    public.post("/inquiries/status/", {"reference": reference, "pin": pin})
    public.post("/inquiries/status/", {"reference": reference, "pin": "000000"})

    user = staff_with_password()
    device = confirmed_device(user)
    code = code_of(device)
    staff = Client()
    staff.post("/accounts/login/", {"username": user.username, "password": "wrong-" + PASSWORD})
    staff.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    staff.post("/accounts/second-factor/", {"otp_token": code})
    assert staff.get(f"/inquiries/{reference}/").status_code == 200

    _, token = issue_token(partner_name="icrc", scopes=["registry:read"], now=timezone.now())
    partner = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert partner.get("/api/v1/captives/?q=Шевченко").status_code == 200
    Client(HTTP_AUTHORIZATION=f"Bearer {token}x").get("/api/v1/captives/")
    Client().get(f"/api/v1/captives/?token={token}&pin={pin}")

    logs = written.getvalue()
    assert "AXES" in logs  # the logs were captured: the failed login is there, without the name
    assert "csrf" not in logs.lower()  # no template context dumped at DEBUG
    for secret in (
        PASSWORD,
        pin,
        code,
        token,
        token[:20],
        RELATIVE,
        "Марія",
        "Шевченко",
        BIRTH,
        "11.02.1998",
        EMAIL,
        PHONE,
        SERVICE_NUMBER,
        user.username,
    ):
        assert secret not in logs, secret


def test_an_error_quoting_personal_data_is_logged_without_it(written: io.StringIO) -> None:
    try:
        raise ValueError(f"Key (family_name, birth_date)=({SOUGHT}, 11.02.1998) already exists")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: /registry/")

    logs = written.getvalue()
    assert "Internal Server Error: /registry/" in logs
    assert "ValueError" in logs
    assert "Шевченко" not in logs
    assert "11.02.1998" not in logs


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("password=hunter2&next=/", "password=[redacted]&next=/"),
        ("Authorization: Bearer hc_abcdefghijk", "Authorization: [redacted] [redacted]"),
        ("pin: 123456", "pin: [redacted]"),
        ("row 12 of list 7 matched", "row 12 of list 7 matched"),
        ("Гнатюк Дмитро, born 03.12.1998", "[redacted] [redacted], born [redacted]"),
        ("call +380671234567", "call [redacted]"),
        ("GET /registry/?q=%D0%A8%D0%B5 HTTP/1.1", "GET /registry/?[redacted] HTTP/1.1"),
        ("Invalid request line: 'GET /x?a=1'", "Invalid request line: 'GET /x?[redacted]'"),
        ("is it right? yes", "is it right? yes"),
    ],
)
def test_the_filter_redacts_secrets_and_keeps_ids_and_outcomes(line: str, kept: str) -> None:
    assert redact(line) == kept


@pytest.mark.parametrize(
    "phone",
    [
        "+380671234567",  # as stored
        "+380 67 123 45 67",
        "+38 (067) 123-45-67",
        "067 123 45 67",
        "0671234567",
        "(067) 123-45-67",
        "067-123-45-67",
        "380671234567",
        "044 123 4567",
        "0048 22 123 45 67",
        "+48 22 123 45 67",
        "+1 (212) 555-0100",
    ],
)
def test_a_phone_number_is_redacted_however_it_is_written(phone: str) -> None:
    assert redact(f"Twilio refused {phone}: not a mobile ('{phone}')") == (
        "Twilio refused [redacted]: not a mobile ('[redacted]')"
    )


@pytest.mark.parametrize(
    "line",
    [
        "Request took 1234567890 ms",
        "Notification 1234567890: attempt 2 failed",
        "Copied 10 000 000 rows, 2147483648 bytes",
        "Score 12345678.9, ratio 0.0671234567",
        "Sent at 17:00:00.067123+00:00 (epoch 1796576400)",
        "Task 123e4567-e89b-12d3-a456-426614174000 succeeded in 0.0671234567s: None",
        "Task 0b5e5a06-3801-4567-8901-0671234567ab received",
        "GET /inquiries/0671234567/ 200 04412345678",
    ],
)
def test_numbers_that_are_no_phone_numbers_stay_in_the_log(line: str) -> None:
    assert redact(line) == line


@pytest.mark.slow
def test_the_access_log_names_the_path_and_not_the_search_or_the_referrer(
    tmp_path: Path,
) -> None:
    """gunicorn with the production settings file; what staff search for stays out of its log."""
    port = free_port()
    log = tmp_path / "access.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"),
                "--no-control-socket",  # other engineers' gunicorns share this machine
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "1",
                "ALLOWED_HOSTS": "127.0.0.1",
                "PYTHONUNBUFFERED": "1",  # as in the Dockerfile: each line written as it comes
            },
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _get_until_served(
                f"http://127.0.0.1:{port}/nowhere/?q={quote(SOUGHT)}+{BIRTH}",
                referer=f"http://127.0.0.1:{port}/registry/?q={quote(SERVICE_NUMBER)}",
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    written = log.read_text()

    assert '"GET /nowhere/" 404' in written
    for secret in (quote(SOUGHT), BIRTH, quote(SERVICE_NUMBER), SOUGHT, SERVICE_NUMBER):
        assert secret not in written


@pytest.mark.slow
def test_a_worker_timeout_logs_the_path_and_not_the_search(tmp_path: Path) -> None:
    """A request that outlives the worker's timeout: gunicorn aborts the worker and logs the
    request it was serving (its error log, not the access log) — without the query string."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"),
                *("--timeout", "1", "--no-control-socket", "tests.security.slow_app"),
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "1",
                "PYTHONUNBUFFERED": "1",
            },
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _get_until_served(
                f"http://127.0.0.1:{port}/registry/search/?q={quote(SOUGHT)}+{BIRTH}",
                referer=f"http://127.0.0.1:{port}/registry/?q={quote(SERVICE_NUMBER)}",
            )
            _wait_for(log, "Error handling request")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    written = log.read_text()

    assert "WORKER TIMEOUT" in written
    assert "Error handling request GET /registry/search/" in written
    for secret in ("q=", quote(SOUGHT), BIRTH, quote(SERVICE_NUMBER), SOUGHT, SERVICE_NUMBER):
        assert secret not in written


def _wait_for(log: Path, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)


def _get_until_served(url: str, *, referer: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"Referer": referer})  # noqa: S310 - loopback
    while True:
        try:
            urllib.request.urlopen(request, timeout=5)  # noqa: S310 - loopback
        except urllib.error.HTTPError:
            return  # served: a 404 is what this address gets
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
        else:
            return


def _python_with_json_logs(code: str) -> list[dict[str, object]]:
    """Runs ``code`` after ``django.setup()`` with ``LOG_FORMAT=json``: every line it writes
    must be a JSON object with the four fields a log collector reads."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env={**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = [json.loads(line) for line in (result.stdout + result.stderr).splitlines()]
    for line in lines:
        assert {"time", "level", "logger", "message"} <= set(line), line
        assert datetime.fromisoformat(str(line["time"])).utcoffset() == timedelta(0)
    return lines


PIN = "482913"
PERSONAL = (RELATIVE, "Марія", "Шевченко", BIRTH, "11.02.1998", PIN, EMAIL)


@pytest.mark.slow
def test_json_lines_keep_the_redaction_of_names_dates_and_pins() -> None:
    lines = _python_with_json_logs(
        "import logging\n"
        "class Request:\n"
        f"    def __str__(self): return '<WSGIRequest: GET /registry/?q={SOUGHT}>'\n"
        "log = logging.getLogger('inquiries.views')\n"
        f"log.warning('Wrong PIN for %s (born %s): pin=%s', {RELATIVE!r}, {BIRTH!r}, {PIN!r},\n"
        "            extra={'request': Request(), 'status_code': 403})\n"
        "try:\n"
        f"    raise ValueError('Key (family_name, birth_date)=({SOUGHT}, 11.02.1998)')\n"
        "except ValueError:\n"
        f"    log.exception('Could not save %s', {EMAIL!r})\n"
    )

    warning, error = (line for line in lines if line["logger"] == "inquiries.views")
    assert warning["level"] == "WARNING"
    assert (
        warning["message"]
        == "Wrong PIN for [redacted] [redacted] (born [redacted]): pin=[redacted]"
    )
    assert warning["status"] == 403
    assert "request" not in warning  # a record's other attributes are never written
    assert error["level"] == "ERROR"
    assert "ValueError: Key (family_name, birth_date)=" in str(error["exception"])
    for secret in (*PERSONAL, SOUGHT, "registry/?q"):
        assert secret not in json.dumps(lines, ensure_ascii=False), secret


@pytest.mark.slow
def test_a_celery_workers_own_handlers_redact_and_write_json_lines() -> None:
    """A worker replaces the root logger's handlers with its own (Celery's logging setup, which
    a worker runs at start): what its tasks and Celery itself log is redacted all the same."""
    lines = _python_with_json_logs(
        "import logging\n"
        "from celery.utils.log import get_task_logger\n"
        "from config.celery import app\n"
        "app.log.setup(loglevel='INFO', redirect_stdouts=False)\n"
        "logging.getLogger('celery.app.trace').error(\n"
        f"    'Task failed: Key (family_name, birth_date)=({SOUGHT}, {BIRTH}), pin={PIN}')\n"
        f"get_task_logger('inquiries.tasks').warning('Told %s at %s', {RELATIVE!r}, {EMAIL!r})\n"
    )

    assert {line["logger"] for line in lines} >= {"celery.app.trace", "inquiries.tasks"}
    for secret in (*PERSONAL, SOUGHT):
        assert secret not in json.dumps(lines, ensure_ascii=False), secret
