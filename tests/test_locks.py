"""The lock files hold every direct dependency at a version its .in file allows, with hashes, and
a stale lock fails the test command (scripts/check_locks.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.servers import ROOT
from scripts.check_locks import LOCKS, problems


@pytest.mark.parametrize(("source", "lock"), LOCKS.items())
def test_each_lock_is_current_and_every_pin_has_a_hash(source: str, lock: str) -> None:
    text = (Path(ROOT) / lock).read_text()
    hashed = r"^\S+==\S+ \\\n((?:    --hash=sha256:[0-9a-f]{64}.*\n)+)"
    pins = re.findall(hashed, text, re.MULTILINE)

    assert problems(Path(ROOT) / source, Path(ROOT) / lock) == []
    assert len(pins) == len(re.findall(r"^\S+==", text, re.MULTILINE))


BENCH = ("requirements-bench.in", "requirements-bench.txt")


def _copied(tmp_path: Path) -> tuple[Path, Path]:
    for name in ("requirements.in", "requirements.txt"):
        shutil.copy(Path(ROOT) / name, tmp_path / name)
    return tmp_path / "requirements.in", tmp_path / "requirements.txt"


def test_a_dependency_added_to_the_in_file_and_not_locked_is_named(tmp_path: Path) -> None:
    source, lock = _copied(tmp_path)
    source.write_text(source.read_text() + "django-storages\n")

    assert problems(source, lock) == ["requirements.in: django-storages is not in requirements.txt"]


def test_a_dependency_of_an_included_in_file_missing_from_the_lock_is_named(
    tmp_path: Path,
) -> None:
    for name in ("requirements.in", "requirements-dev.in", *BENCH):
        shutil.copy(Path(ROOT) / name, tmp_path / name)
    source, lock = tmp_path / BENCH[0], tmp_path / BENCH[1]
    dev = tmp_path / "requirements-dev.in"
    dev.write_text(dev.read_text() + "django-storages\n")

    assert problems(source, lock) == [
        "requirements-bench.in: django-storages is not in requirements-bench.txt"
    ]


def test_a_bound_the_locked_version_breaks_is_named(tmp_path: Path) -> None:
    source, lock = _copied(tmp_path)
    source.write_text(source.read_text().replace("\norjson\n", "\norjson<3\n"))

    assert len(problems(source, lock)) == 1
    assert problems(source, lock)[0].startswith("requirements.in: orjson<3, but requirements.txt")


def test_a_dependency_dropped_from_the_in_file_but_still_locked_is_named(tmp_path: Path) -> None:
    source, lock = _copied(tmp_path)
    source.write_text(source.read_text().replace("\nsegno\n", "\n"))

    assert problems(source, lock) == [
        "requirements.txt: segno==1.6.6 is there for requirements.in, which no longer has it"
    ]


def test_the_test_command_stops_on_a_stale_lock_and_says_how_to_fix_it(tmp_path: Path) -> None:
    for name in ("requirements.in", "requirements.txt", "requirements-dev.in", *BENCH):
        shutil.copy(Path(ROOT) / name, tmp_path / name)
    dev = (Path(ROOT) / "requirements-dev.txt").read_text()
    (tmp_path / "requirements-dev.txt").write_text(dev.replace("\nuv==", "\nnot-uv=="))
    check = [sys.executable, "scripts/check_locks.py"]

    current = subprocess.run(check, cwd=ROOT, capture_output=True, text=True, check=False)
    stale = subprocess.run(
        [*check, tmp_path], cwd=ROOT, capture_output=True, text=True, check=False
    )

    assert current.returncode == 0, current.stderr
    assert stale.returncode == 1
    assert "requirements-dev.in: uv" in stale.stderr
    assert "run `make lock`" in stale.stderr


def test_the_bench_lock_holds_every_dev_pin_at_its_version() -> None:
    """make bench installs its lock into the test command's .venv: it may add packages (Splink,
    DuckDB, pandas), never move one the tests run on."""
    dev, bench = _pins("requirements-dev.txt"), _pins("requirements-bench.txt")

    assert {name: bench.get(name) for name in dev} == dev
    assert "splink" in bench
    assert "splink" not in dev


def _pins(lock: str) -> dict[str, str]:
    text = (Path(ROOT) / lock).read_text()
    return dict(re.findall(r"^([A-Za-z0-9][\w.-]*)==(\S+)", text, re.MULTILINE))
