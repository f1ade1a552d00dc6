"""The layers of the README's architecture hold: a failing check, not a hope."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "accounts", "captives", "webhooks", "exchanges", "inquiries", "workflows", "demo")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def copy_of_the_apps(into: Path) -> Path:
    for app in APPS:
        shutil.copytree(ROOT / app, into / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")
    return into


def test_the_import_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    tree = copy_of_the_apps(tmp_path)
    services = tree / "captives" / "services.py"
    # Inside a function, where a shortcut would hide it from a reader but not from the check.
    services.write_text(
        services.read_text() + "\n\ndef shortcut() -> None:\n    from inquiries import tasks\n"
    )
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "captives is not allowed to import inquiries" in result.stdout
    assert "captives.services -> inquiries.tasks" in result.stdout


def test_the_engine_breaks_the_contract_if_it_imports_django(tmp_path: Path) -> None:
    tree = copy_of_the_apps(tmp_path)
    keys = tree / "captives" / "matching" / "keys.py"
    keys.write_text(keys.read_text() + "\nfrom django.utils import timezone\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "captives.matching.keys -> django" in result.stdout


def _imports_inside_functions(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                    found.append((inner.lineno, inner.module))
                elif isinstance(inner, ast.Import):
                    found.extend((inner.lineno, alias.name) for alias in inner.names)
    return found


def test_no_import_inside_a_function_crosses_apps() -> None:
    crossing = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for line, module in _imports_inside_functions(path)
        if module.split(".")[0] in APPS and module.split(".")[0] != app
    ]
    assert crossing == []
