"""Fails when a lock file is stale: a direct dependency in requirements*.in that its lock does not
pin at a version the .in allows, or a package the lock holds for a line the .in no longer has.

``python scripts/check_locks.py [folder]`` checks the files in the folder (the project's by
default), offline; the test command runs it. `make lock` compiles the locks (with uv, which
needs the package index) and is the fix it names.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {
    "requirements.in": "requirements.txt",
    "requirements-dev.in": "requirements-dev.txt",
    "requirements-bench.in": "requirements-bench.txt",  # make bench's own: Splink
}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)")


def direct(path: Path) -> dict[str, Requirement]:
    """The .in file's requirements, and those of the files it includes (``-r``)."""
    wanted: dict[str, Requirement] = {}
    for line in path.read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if text.startswith("-r "):
            wanted |= direct(path.parent / text.removeprefix("-r ").strip())
        elif text and not text.startswith("-"):
            requirement = Requirement(text)
            wanted[canonicalize_name(requirement.name)] = requirement
    return wanted


def locked(path: Path) -> dict[str, tuple[str, set[str]]]:
    """Each pinned package: its version and what the lock says it is there for."""
    pins: dict[str, tuple[str, set[str]]] = {}
    current = None
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), set())
        elif current and line.strip().startswith("#"):
            reason = line.strip().lstrip("#").strip().removeprefix("via").strip()
            if reason:
                pins[current][1].add(reason)
    return pins


def problems(source: Path, lock: Path) -> list[str]:
    wanted, pins = direct(source), locked(lock)
    found = []
    for name, requirement in sorted(wanted.items()):
        if name not in pins:
            found.append(f"{source.name}: {requirement} is not in {lock.name}")
        elif not requirement.specifier.contains(pins[name][0], prereleases=True):
            pinned = f"{name}=={pins[name][0]}"
            found.append(f"{source.name}: {requirement}, but {lock.name} pins {pinned}")
    for name, (version, reasons) in sorted(pins.items()):
        if f"-r {source.name}" in reasons and name not in wanted:
            found.append(
                f"{lock.name}: {name}=={version} is there for {source.name}, which no longer has it"
            )
    return found


def main(root: Path = ROOT) -> int:
    found = [p for source, lock in LOCKS.items() for p in problems(root / source, root / lock)]
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print("A lock file is stale: run `make lock` and commit the lock files.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT))
