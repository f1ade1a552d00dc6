"""Counts of people per direction and category: agreed, declared, or derived from transfers."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.utils.translation import gettext as _

COUNT_FIELDS = (
    "returned_servicemen",
    "returned_civilians",
    "handed_over_servicemen",
    "handed_over_civilians",
)


@dataclass(frozen=True)
class Tally:
    returned_servicemen: int = 0
    returned_civilians: int = 0
    handed_over_servicemen: int = 0
    handed_over_civilians: int = 0

    @classmethod
    def of(cls, record: Any, prefix: str) -> Tally:
        """Read the four ``<prefix>_<direction>_<category>`` fields of a model instance."""
        return cls(*(int(getattr(record, f"{prefix}_{name}")) for name in COUNT_FIELDS))

    @property
    def returned(self) -> int:
        return self.returned_servicemen + self.returned_civilians

    @property
    def handed_over(self) -> int:
        return self.handed_over_servicemen + self.handed_over_civilians

    @property
    def total(self) -> int:
        return self.returned + self.handed_over

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __sub__(self, other: Tally) -> Tally:
        return Tally(*(getattr(self, f.name) - getattr(other, f.name) for f in fields(self)))

    def is_zero(self) -> bool:
        return all(getattr(self, f.name) == 0 for f in fields(self))


def declared_against_named(declared: Tally, named: Tally) -> list[tuple[str, Tally]]:
    """The columns officials compare on a phase's pages: declared, named, and the difference."""
    return [(_("Declared"), declared), (_("Named"), named), (_("Difference"), declared - named)]
