"""A WSGI application for tests only, served by gunicorn to make a worker time out: every
request sleeps far past the test's ``--timeout``. Nothing in production imports it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any


def application(
    environ: dict[str, Any], start_response: Callable[[str, list[tuple[str, str]]], Any]
) -> Iterable[bytes]:
    time.sleep(600)  # gunicorn aborts the worker long before
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"too late"]
