"""gunicorn's settings in production: ``gunicorn -c config/gunicorn.py config.wsgi``.

The access log names the method and the path, never the query string or the referrer: those
carry what staff search for (a name, a date of birth) and Django's log filter never sees them.
gunicorn's error log quotes the whole URI of a request it failed to serve (a worker timeout
logs "Error handling request GET /registry/?q=…", ``gunicorn.workers.base.Worker.handle_error``;
a malformed request line is quoted in a warning): a filter on its two loggers takes every query
string out of what they write. With ``LOG_FORMAT=json`` both write JSON lines, as Django does.

The workers' request figures for ``/metrics`` (``config/metrics.py``) are kept in
prometheus-client's multiprocess mode: each worker writes its own files under
``PROMETHEUS_MULTIPROC_DIR`` and the one that answers a scrape adds up all of them. Without
the variable, a directory of this server's own is made, so two servers on one machine never
share one; a directory the variable names is emptied at start (a former run's files would be
counted again), so give each server its own.
"""

from __future__ import annotations

import os
import tempfile

_OWN_METRICS_PREFIX = "homecoming-metrics-"
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # First of all: prometheus-client chooses its mode when it is imported, and importing
    # config (below) imports it, in this master, whose modules every worker inherits.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix=_OWN_METRICS_PREFIX)
# Made before the settings are read (the app is preloaded): they refuse a folder that is missing.
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

import logging  # noqa: E402 - after the metrics directory is set
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from prometheus_client import multiprocess  # noqa: E402

from config.logs import RedactQueryStrings  # noqa: E402

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# The app is loaded once, in the master, and every worker forked from it: what the master built
# before (``when_ready``: the registry's index) each new worker has at once, in shared pages.
# A changed deployment is a restart, not a HUP: the workers of a preloaded app reload nothing.
preload_app = True

# Set when gunicorn reads this file, in the master, before its logger is made and before any
# worker forks: filters on a logger survive gunicorn's logging setup (which replaces handlers
# only) and its reloads. gunicorn logs through these loggers directly, never through children.
for _name in ("gunicorn.error", "gunicorn.access"):
    logging.getLogger(_name).addFilter(RedactQueryStrings())

if os.environ.get("LOG_FORMAT") == "json":
    access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'  # the time is the line's own
    logconfig_dict = {
        "formatters": {"json": {"()": "config.logs.JsonLines"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
            "error_console": {"class": "logging.StreamHandler", "formatter": "json"},
        },
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


def on_starting(server: Any) -> None:
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def on_exit(server: Any) -> None:
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    made_here = Path(tempfile.gettempdir()) / Path(directory).name
    if Path(directory) == made_here and made_here.name.startswith(_OWN_METRICS_PREFIX):
        shutil.rmtree(directory, ignore_errors=True)


def when_ready(server: Any) -> None:
    """In the master, the app loaded and no worker forked yet: warm up (``config.warmup``)."""
    from django.apps import apps
    from django.conf import settings

    if not apps.ready:  # the app served is not Django's (a test's bare WSGI app): nothing to warm
        return

    from config.warmup import warm_up

    warm_up(run_steps=settings.WARM_UP_AT_START)
