"""A ``pg_dump`` of a seeded database, restored into a fresh one, holds the same data.

The commands are the README's ("Backup and restore"). Each table is compared by its row count
and an MD5 of its rows as text, in order.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection
from django.test import Client

from accounts.roles import Role
from exchanges.models import Phase
from exchanges.reconciliation import reconcile_release_list
from tests.factories import approve_phase, make_phase, make_user
from tests.faults.lists import import_generated_registry, upload
from tests.inquiries.test_status import FORM
from workflows.confirmation import propose_confirmation

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TABLES = [
    "captives_captive",
    "captives_historicalcaptive",
    "captives_provenance",
    "captives_spelling",
    "exchanges_exchange",
    "exchanges_phase",
    "exchanges_historicalphase",
    "exchanges_transfer",
    "exchanges_releaselist",
    "exchanges_releaselistrow",
    "inquiries_inquiry",
    "inquiries_historicalinquiry",
    "accounts_user",
]
NOW = datetime(2025, 5, 23, 12, 0, tzinfo=UTC)


def _connect(dbname: str) -> psycopg2.extensions.connection:
    database = connection.settings_dict
    return psycopg2.connect(
        dbname=dbname,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
    )


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path is not None, f"{name} is not installed (Debian: postgresql-client)"
    return path


def _url(dbname: str) -> str:
    database = connection.settings_dict
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{host}:{port}/{dbname}"


def fingerprints(dbname: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and the MD5 of its rows, as text, sorted."""
    found = {}
    db = _connect(dbname)
    try:
        with db.cursor() as cursor:
            for table in TABLES:
                cursor.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"  # noqa: S608 - our own table names
                    f" FROM {table} AS t"
                )
                row = cursor.fetchone()
                assert row is not None
                found[table] = (row[0], row[1])
    finally:
        db.close()
    return found


@pytest.fixture
def restored_name() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = _connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _seed(folder: Path) -> None:
    from tests.conftest import grant_roles

    grant_roles()
    data = import_generated_registry(folder, people=500, list_rows=100)
    phase = make_phase()
    release_list = upload(phase, data)
    reconcile_release_list(release_list_id=release_list.pk, now=NOW)
    for _ in range(3):
        assert Client().post("/inquiries/new/", FORM).status_code == 302
    proposer, approver = make_user(Role.OFFICIAL), make_user(Role.OFFICIAL)
    release_list.rows.exclude(outcome="matched").update(resolution="not_ours")
    propose_confirmation(phase=phase, by=proposer, at=NOW)
    approve_phase(phase=phase, by=approver, at=NOW)
    assert Phase.objects.get(pk=phase.pk).state == Phase.State.COMPLETED


def test_a_restored_dump_holds_the_same_registry_phases_and_inquiries(
    tmp_path: Path, restored_name: str
) -> None:
    _seed(tmp_path)
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "homecoming.dump"

    subprocess.run(
        [_tool("pg_dump"), "--format=custom", f"--file={dump}", _url(source)], check=True
    )
    subprocess.run(
        [_tool("createdb"), "--maintenance-db", _url("postgres"), restored_name], check=True
    )
    subprocess.run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={_url(restored_name)}",
            str(dump),
        ],
        check=True,
    )

    before, after = fingerprints(source), fingerprints(restored_name)
    assert before == after
    assert before["captives_captive"][0] == 500
    assert before["inquiries_inquiry"][0] == 3
    assert before["exchanges_transfer"][0] > 0
    restored = _connect(restored_name)
    try:  # the append-only triggers came back too
        with pytest.raises(psycopg2.Error, match="append-only"), restored.cursor() as cursor:
            cursor.execute("DELETE FROM captives_historicalcaptive")
    finally:
        restored.close()
