"""The engine is plain Python: no Django, no clock, no database (see STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "captives" / "matching"


def test_the_matching_engine_imports_neither_django_nor_the_clock() -> None:
    imported = set()
    for source in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert imported, "the engine's sources were not found"
    assert not {m for m in imported if m.split(".")[0] in {"django", "time"}}
    assert not {m for m in imported if m.startswith(("captives.models", "exchanges", "inquiries"))}
