from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from captives.matching import Decision, Entry, reconcile
from captives.registry import registry_index
from captives.sheets import SheetError
from exchanges.exports import inert
from exchanges.listfile import read_release_list
from exchanges.reconciliation import reviewers_memory

COLUMNS = ("line", "outcome", "captive_external_id", "score", "explanation")


def usable_cores() -> int:
    """The cores this process may run on: its affinity where the system says (Linux), else
    all of them."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Command(BaseCommand):
    help = (
        "Reconcile a release list file against the registry and write one line per row "
        "(a list has at most 5,000 rows, as on the upload page)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--out", type=Path, required=True, help="Where to write the CSV")
        parser.add_argument(
            "--processes",
            type=int,
            default=usable_cores(),
            help="Processes deciding the rows (default: one per core this command may use)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            parsed = read_release_list(path.read_bytes(), path.name)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        except SheetError as error:
            raise CommandError(f"{path.name}: {error}") from error
        entries = [
            Entry(
                line=e.line,
                full_name=e.full_name,
                family_name=e.family_name,
                given_name=e.given_name,
                patronymic=e.patronymic,
                birth_date=e.birth_date,
                birth_date_text=e.birth_date_text,
                military_unit=e.military_unit,
                service_number=e.service_number,
            )
            for e in parsed.entries
        ]
        if options["processes"] < 1:
            raise CommandError("--processes: at least 1")
        decisions = reconcile(
            entries, registry_index(), reviewers_memory(), processes=options["processes"]
        )
        self._write(Path(options["out"]), decisions)
        counts = {
            o: sum(d.outcome == o for d in decisions)
            for o in ("matched", "review", "unmatched", "conflict")
        }
        self.stdout.write(
            f"{path.name}: {len(decisions)} rows; "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
        )

    @staticmethod
    def _write(out: Path, decisions: list[Decision]) -> None:
        try:
            with out.open("w", newline="", encoding="utf-8") as target:
                writer = csv.writer(target)
                writer.writerow(COLUMNS)
                for d in decisions:
                    best = d.best if d.outcome != "unmatched" else None
                    writer.writerow(
                        [
                            d.line,
                            d.outcome.value,
                            inert(best.label) if best else "",
                            f"{d.best.score:.2f}" if d.best else "",
                            inert(d.explanation),  # it quotes what the list's sender wrote
                        ]
                    )
        except OSError as error:
            raise CommandError(f"{out}: {error.strerror}") from error
