from __future__ import annotations

import os

from celery import Celery, signals

from config.broker_metrics import count_task_outcomes
from config.logs import adopt_celery_handlers

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("homecoming")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
count_task_outcomes()
# A worker replaces the root logger's handlers with its own: the redaction (and the JSON lines,
# when LOG_FORMAT says so) are put back on them once it has.
signals.after_setup_logger.connect(adopt_celery_handlers, weak=False)
signals.after_setup_task_logger.connect(adopt_celery_handlers, weak=False)
