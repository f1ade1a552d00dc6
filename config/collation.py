"""People's names in Ukrainian alphabetical order, on PostgreSQL and SQLite alike.

The databases' own order is by code point (the clusters here are created with ``C.UTF-8``): Є,
І, Ї and Ґ come before А, so Бондаренко sorted before Білик and Ігор before Андрій. Ordering
by ``by_name`` collates with ICU's Ukrainian rules (А Б В Г Ґ Д Е Є Ж З И І Ї Й …): PostgreSQL
has them as the ``uk-x-icu`` collation; SQLite (the demo) gets a collation of that name from
PyICU on every new connection (``register_on_sqlite``, connected in ``CaptivesConfig.ready``).
"""

from __future__ import annotations

from typing import Any

import icu  # type: ignore[import-untyped]  # PyICU ships no type information
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, OrderBy
from django.db.models.functions import Collate

UKRAINIAN = "uk-x-icu"


def by_name(*fields: str) -> list[OrderBy]:
    """``order_by`` terms putting ``fields`` (names, in that precedence) in Ukrainian order."""
    return [Collate(F(field), UKRAINIAN).asc() for field in fields]


def ukrainian_collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale("uk_UA"))


def register_on_sqlite(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Give a new SQLite connection the collation PostgreSQL has built in."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(UKRAINIAN, ukrainian_collator().compare)
