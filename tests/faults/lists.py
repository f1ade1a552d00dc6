"""A generated registry in the test database and a release list file of it, for the fault tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management import call_command

from bench.database import write_list, write_registry
from bench.population import registry
from exchanges.models import Phase, ReleaseList
from exchanges.reconciliation import receive_release_list


def import_generated_registry(folder: Path, *, people: int, list_rows: int) -> bytes:
    """Import ``people`` generated captives; return a CSV release list of ``list_rows`` rows."""
    someone = registry(people, 7)
    write_registry(someone, folder / "registry.csv")
    call_command("import_registry", str(folder / "registry.csv"), "--source", "faults")
    write_list(someone, list_rows, folder / "list.csv")
    return (folder / "list.csv").read_bytes()


def upload(phase: Phase, data: bytes) -> ReleaseList:
    """Store the list as the upload page does: its reconciliation is queued after commit."""
    release_list, _ = receive_release_list(
        phase=phase,
        data=data,
        filename="list.csv",
        received_on=date(2025, 5, 21),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=None,
    )
    return release_list
