"""History: each row says who changed what and why, and stays as it was written.

``attribute_change`` signs the next history row of one record, the one way services do it.
The rows are append-only: a database trigger, installed by migrations, refuses UPDATE and
DELETE on them; written once for PostgreSQL (production, tests) and SQLite (the demo).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import migrations, models

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# django-simple-history's history_change_reason column: CharField(max_length=100).
REASON_LENGTH = 100


def attribute_change(instance: models.Model, *, by: AbstractBaseUser | None, reason: str) -> None:
    """Say who makes the next change to ``instance`` and why: its next save (or bulk write
    with history) writes them on the history row. The reason is cut to the column's length.

    ``by=None`` leaves the person unsaid: the row then takes a bulk write's ``default_user``,
    or no one (a relative filing an inquiry is no account).
    """
    if by is not None:
        instance._history_user = by  # type: ignore[attr-defined]  # read by simple-history
    instance._change_reason = reason[:REASON_LENGTH]  # type: ignore[attr-defined]


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


def reinstall_append_only(*tables: str) -> migrations.RunPython:
    """A migration operation that installs the append-only trigger again on each history table,
    whether or not it is there: SQLite rebuilds a table to alter or drop some columns, and the
    rebuilt table has lost its triggers (PostgreSQL keeps them; they are replaced alike)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for table in tables:
            for sql in [*_reverse_statements(vendor, table), *_statements(vendor, table)]:
                schema_editor.execute(sql, params=None)

    return migrations.RunPython(forwards, migrations.RunPython.noop)
