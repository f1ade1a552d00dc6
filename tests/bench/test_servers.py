"""The load benchmark's public pool weighs on the CPU as production's does (bench/servers.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.db import connection

from bench.servers import gunicorn

# Starts two gunicorn pools; the servers' health check reads the test database.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _autogroups(base: str) -> set[str]:
    """The scheduling group of every process of the gunicorn serving ``base``, with its nice."""
    bind = base.removeprefix("http://")
    found = set()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if bind in cmdline.read_bytes().decode(errors="replace"):
                found.add((cmdline.parent / "autogroup").read_text().strip())
        except (FileNotFoundError, ProcessLookupError):
            continue  # gone meanwhile
    return found


def test_the_public_pool_runs_in_a_scheduling_group_of_its_own_with_a_small_weight() -> None:
    database = connection.settings_dict
    env = os.environ | {
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
    }
    with gunicorn(env, workers=1, niceness=19) as public, gunicorn(env, workers=1) as officials:
        weighed, plain = _autogroups(public), _autogroups(officials)

    assert len(weighed) == 1
    assert re.fullmatch(r"/autogroup-\d+ nice 19", weighed.pop())
    assert len(plain) == 1
    assert plain.pop().endswith(" nice 0")
