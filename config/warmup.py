"""Work a web server does once, before gunicorn forks its workers, so that each starts warm.

With ``preload_app`` gunicorn loads the application in its master process and forks the workers
from it: what the master built before the fork (the registry's index, seconds of work and a
few hundred MiB) every worker has at once, in memory pages they share until one writes to them.
Apps add their steps in ``AppConfig.ready`` (config imports no app); ``config/gunicorn.py``
runs them when ``WARM_UP_AT_START`` is on.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.template.loader import get_template
from django.urls import get_resolver

log = logging.getLogger(__name__)

_steps: list[Callable[[], object]] = []


def at_start(step: Callable[[], object]) -> None:
    """Run ``step`` in the server's master process before its workers fork (once per step)."""
    if step not in _steps:
        _steps.append(step)


def warm_up(*, run_steps: bool) -> None:
    """Run the steps (when ``run_steps``), then leave nothing a fork must not share.

    A database or cache connection opened here would be one socket written by every worker:
    all are closed, and each worker opens its own. ``gc.freeze()`` moves every object made so
    far out of the collector's reach, so that no collection in a worker writes to (and so
    copies) the pages they share. A step that fails (the database not migrated yet) is logged:
    the workers then build what it would have built on their first request, as without it.
    """
    try:
        if run_steps:
            _load_pages()
        for step in _steps if run_steps else []:
            try:
                step()
            except DatabaseError:
                log.exception("Warm-up step %s failed; the workers will do it themselves", step)
    finally:
        connections.close_all()
        caches.close_all()
    gc.collect()
    gc.freeze()


def _load_pages() -> None:
    """What a worker's first request would load: every view (through the URL conf) and the
    project's templates, compiled into the cached loader (0.4 s of a fresh worker's first
    search, ``bench/coldstart.py``)."""
    get_resolver().url_patterns  # noqa: B018 - reading it imports every view
    folders = cast("list[Path]", settings.TEMPLATES[0]["DIRS"])
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.html")):
            get_template(str(path.relative_to(folder)))
