"""gunicorn loads the app once and builds the registry's index before it forks its workers."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from captives import registry
from captives.matching import RegistryIndex
from captives.registry import VersionedIndex, load_persons, registry_index
from config.warmup import warm_up
from tests.factories import make_captive


def test_gunicorn_preloads_the_app_and_warms_it_up_before_forking(tmp_path: Path) -> None:
    # Read in a process of its own: importing config/gunicorn.py sets the metrics directory in
    # the environment, which would leak into every later test of this process.
    code = "from config import gunicorn as g; print(g.preload_app, callable(g.when_ready))"
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    read = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )

    # gunicorn calls when_ready in the master, before any fork.
    assert read.stdout.split() == ["True", "True"]


@pytest.mark.django_db(transaction=True)  # the warm-up closes the connection: no test transaction
def test_the_warm_up_builds_the_index_once_closes_connections_and_freezes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро")
    builds: list[RegistryIndex] = []

    def build(version: tuple[object, ...]) -> RegistryIndex:
        builds.append(RegistryIndex(load_persons()))
        return builds[-1]

    monkeypatch.setattr(registry, "_registry", VersionedIndex(build))

    warm_up(run_steps=True)

    assert len(builds) == 1
    assert connection.connection is None  # no socket for the forked workers to share
    assert gc.get_freeze_count() >= builds[0].size
    # A worker's first search: the registry has not changed, so the index is the master's.
    assert registry_index() is builds[0]
    assert len(builds) == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_warm_up_off_the_workers_build_the_index_themselves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds: list[RegistryIndex] = []

    def build(version: tuple[object, ...]) -> RegistryIndex:
        builds.append(RegistryIndex([]))
        return builds[-1]

    monkeypatch.setattr(registry, "_registry", VersionedIndex(build))

    warm_up(run_steps=False)

    assert builds == []
    assert connection.connection is None
