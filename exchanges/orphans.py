"""List files that no release list points to, swept away.

The upload saves a list's file last in its transaction and deletes it should the transaction
fail (``exchanges.reconciliation.receive_release_list``); a process killed between the save and
the commit, or an outer transaction rolled back later, still leaves the file behind, with a
stranger's names in it. This sweep finds such files by the storage's listing and deletes those
older than ``GRACE``: a younger one may belong to an upload still in its transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.files.storage import default_storage

from exchanges.models import ReleaseList

FOLDER = "release-lists"
GRACE = timedelta(hours=1)  # far longer than any upload's transaction


def sweep_orphaned_list_files(*, now: datetime) -> list[str]:
    """Delete the files in the lists' folder that no list points to and that are older than
    ``GRACE``; returns their names. Safe to run twice, or beside an upload."""
    if not default_storage.exists(FOLDER):
        return []
    _, names = default_storage.listdir(FOLDER)
    paths = [f"{FOLDER}/{name}" for name in names]
    kept = set(ReleaseList.objects.filter(file__in=paths).values_list("file", flat=True))
    swept = []
    for path in sorted(set(paths) - kept):
        if default_storage.get_modified_time(path) < now - GRACE:
            default_storage.delete(path)
            swept.append(path)
    return swept
