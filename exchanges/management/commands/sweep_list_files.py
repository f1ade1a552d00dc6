from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from exchanges.orphans import GRACE, sweep_orphaned_list_files


class Command(BaseCommand):
    help = (
        "Delete stored list files that no release list points to "
        f"(older than {GRACE}); Celery beat runs it every hour."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        swept = sweep_orphaned_list_files(now=timezone.now())
        for path in swept:
            self.stdout.write(f"deleted {path}")
        self.stdout.write(f"{len(swept)} file(s) no list points to deleted.")
