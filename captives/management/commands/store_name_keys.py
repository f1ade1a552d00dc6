from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from captives.registry import store_stale_name_keys


class Command(BaseCommand):
    help = (
        "Store fresh name keys on every captive and spelling whose stored ones are missing or "
        "stale (after the keys' algorithm, ICU or the name book changed): indexes are then "
        "built from them instead of working every name out again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = store_stale_name_keys()
        self.stdout.write(f"{changed} rows given fresh name keys.")
