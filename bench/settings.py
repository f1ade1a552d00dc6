"""The production settings with the benchmark's URLconf (``bench.urls``), for the load
benchmark's gunicorn only: the bare endpoint never reaches production's routes."""

from __future__ import annotations

from config.settings import *  # noqa: F403 - the production settings, every one of them

ROOT_URLCONF = "bench.urls"
