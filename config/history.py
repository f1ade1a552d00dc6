"""History rows are append-only: a database trigger refuses UPDATE and DELETE on them.

Used by migrations; written once for PostgreSQL (production, tests) and SQLite (the demo).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION homecoming_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: % refused on %', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def _statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION homecoming_history_append_only();",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;"
            for op in ("UPDATE", "DELETE")
        ]
    return []


def _reverse_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for op in ("update", "delete")]
    return []


def make_append_only(*tables: str) -> migrations.RunPython:
    """A migration operation that installs the append-only trigger on each history table."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in _statements(schema_editor.connection.vendor, table):
                schema_editor.execute(sql, params=None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in _reverse_statements(schema_editor.connection.vendor, table):
                schema_editor.execute(sql, params=None)

    return migrations.RunPython(forwards, backwards)
