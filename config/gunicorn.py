"""gunicorn's settings in production: ``gunicorn -c config/gunicorn.py config.wsgi``.

The access log names the method and the path, never the query string or the referrer: those
carry what staff search for (a name, a date of birth) and Django's log filter never sees them.
gunicorn's error log quotes the whole URI of a request it failed to serve (a worker timeout
logs "Error handling request GET /registry/?q=…", ``gunicorn.workers.base.Worker.handle_error``;
a malformed request line is quoted in a warning): a filter on its two loggers takes every query
string out of what they write.

``WEB_NICENESS`` lowers the workers' CPU priority. Production runs two pools of the same app
(``docker-compose.yml``): the officials' and partners' at 0, and the public pages' (the
relatives' forms, sign-in) at 10, where a crowd or an attacker on the public pages takes only
the CPU the officials leave (``docs/security.md``, "Public pages on a pool of their own").
"""

from __future__ import annotations

import logging
import os

from config.logs import RedactQueryStrings

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
niceness = int(os.environ.get("WEB_NICENESS", "0"))
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

# Set when gunicorn reads this file, in the master, before its logger is made and before any
# worker forks: filters on a logger survive gunicorn's logging setup (which replaces handlers
# only) and its reloads. gunicorn logs through these loggers directly, never through children.
for _name in ("gunicorn.error", "gunicorn.access"):
    logging.getLogger(_name).addFilter(RedactQueryStrings())


def post_fork(server: object, worker: object) -> None:
    """In each worker, after the fork: the master keeps its priority, to answer signals."""
    if niceness:
        os.nice(niceness)
