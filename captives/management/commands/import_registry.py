from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from captives.importing import import_registry
from captives.registry_file import parse_registry
from captives.sheets import SheetError, read_table
from config.errors import DomainError


class Command(BaseCommand):
    help = "Import a registry file (CSV or XLSX): new people are added, known ones updated."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="registry", help="Name of the source registry")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            entries = parse_registry(read_table(path.read_bytes(), path.name))
            result = import_registry(
                entries=entries,
                source=options["source"],
                description=path.name,
                by=None,
                at=timezone.now(),
            )
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        except (SheetError, DomainError) as error:
            raise CommandError(f"{path.name}: {error}") from error
        self.stdout.write(
            f"{path.name}: {result.created} added, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
