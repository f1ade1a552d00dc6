"""A WSGI application for tests only: answers the niceness of the process serving the request,
so a test can see the CPU priority ``config/gunicorn.py`` gives a worker. Nothing in production
imports it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any


def application(
    environ: dict[str, Any], start_response: Callable[[str, list[tuple[str, str]]], Any]
) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpriority(os.PRIO_PROCESS, 0)).encode()]
