"""gunicorn's settings in production: ``gunicorn -c config/gunicorn.py config.wsgi``.

The access log names the method and the path, never the query string or the referrer: those
carry what staff search for (a name, a date of birth) and none of our log filters sees them.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
