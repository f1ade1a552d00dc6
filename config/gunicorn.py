"""gunicorn's settings in production: ``gunicorn -c config/gunicorn.py config.wsgi``.

The access log names the method and the path, never the query string or the referrer: those
carry what staff search for (a name, a date of birth) and Django's log filter never sees them.
gunicorn's error log quotes the whole URI of a request it failed to serve (a worker timeout
logs "Error handling request GET /registry/?q=…", ``gunicorn.workers.base.Worker.handle_error``;
a malformed request line is quoted in a warning): a filter on its two loggers takes every query
string out of what they write.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from config.logs import RedactQueryStrings

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


def when_ready(server: Any) -> None:
    """In the master, the app loaded and no worker forked yet: warm up (``config.warmup``)."""
    from django.conf import settings

    from config.warmup import warm_up

    warm_up(run_steps=settings.WARM_UP_AT_START)
