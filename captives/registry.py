"""The registry as the matching engine sees it, loaded once per process and kept fresh.

Building the index for 100,000 people takes seconds, so a worker keeps it between lists and
makes it again only when the registry has changed since (a cheap aggregate query tells): from
the file another process left for that state of the registry (``captives.index_file``), else
built here and left in the file for the others.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Callable, Collection

from django.db import connection

from captives import index_file
from captives.lifecycle import Status
from captives.matching import Person, RegistryIndex
from captives.matching.index import settled_in_memory
from captives.matching.stored import (
    StoredKeys,
    fresh_person_keys,
    fresh_spelling_keys,
    person_keys,
)
from captives.matching.stored import spelling_keys as spelling_keys_of
from captives.models import Captive, Spelling

FINAL_STATUSES = frozenset({Status.RETURNED, Status.DECEASED})


def load_persons(ids: Collection[int] | None = None) -> list[Person]:
    """Every captive (or those with these ids) as a plain Person, with the spellings seen for
    them, in two queries."""
    captives = Captive.objects.current()
    spelled = Spelling.objects.all()
    if ids is not None:
        captives, spelled = captives.filter(pk__in=ids), spelled.filter(captive_id__in=ids)
    spellings: defaultdict[int, list[str]] = defaultdict(list)
    spelling_keys: defaultdict[int, list[StoredKeys]] = defaultdict(list)
    for captive_id, full_name, keys in spelled.order_by("id").values_list(
        "captive_id", "full_name", "name_keys"
    ):
        spellings[captive_id].append(full_name)
        spelling_keys[captive_id].append(keys)
    rows = captives.order_by("id").values_list(
        "id",
        "family_name",
        "given_name",
        "patronymic",
        "birth_date",
        "military_unit",
        "service_number",
        "status",
        "external_id",
        "name_keys",
    )
    return [
        Person(
            id=pk,
            family_name=family,
            given_name=given,
            patronymic=patronymic,
            birth_date=born,
            military_unit=unit,
            service_number=number,
            final=status in FINAL_STATUSES,
            spellings=tuple(spellings.get(pk, ())),
            label=external_id or f"#{pk}",
            keys=keys,
            spelling_keys=tuple(spelling_keys.get(pk, ())),
        )
        for pk, family, given, patronymic, born, unit, number, status, external_id, keys in rows
    ]


def store_stale_name_keys(
    captives: type[Captive] = Captive, spellings: type[Spelling] = Spelling, batch: int = 2000
) -> int:
    """Store fresh name keys on every captive and spelling whose stored ones are missing or
    stale (another version of the keys, or other values); how many rows changed.

    The data migration calls it with its historical models, ``store_name_keys`` after a change
    to the keys. ``updated_at`` stays: the keys change nothing the index decides.
    """
    keyed = ("family_name", "given_name", "patronymic", "military_unit", "service_number")
    rows = captives.objects.order_by("id").values_list("id", *keyed, "name_keys")
    changed = [
        (pk, person_keys(*values))
        for pk, *values, keys in rows.iterator(chunk_size=batch)
        if fresh_person_keys(keys, values) is None
    ]
    _write_keys(captives, changed, batch)
    spelled = [
        (pk, json.dumps(spelling_keys_of(full_name)))
        for pk, full_name, keys in spellings.objects.values_list("id", "full_name", "name_keys")
        if not fresh_spelling_keys(keys, full_name)
    ]
    _write_keys(spellings, spelled, batch, cast="::jsonb")
    return len(changed) + len(spelled)


def _write_keys(
    model: type[Captive] | type[Spelling], keys: list[tuple[int, str]], batch: int, cast: str = ""
) -> None:
    """One UPDATE per batch: Django's bulk_update writes a CASE over every row, 20 times slower."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(keys), batch):
            chunk = keys[start : start + batch]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} AS row SET name_keys = given.keys{cast} "  # noqa: S608 - our own table
                f"FROM (VALUES {values}) AS given(id, keys) WHERE row.id = given.id",
                [value for pair in chunk for value in pair],
            )


def registry_version() -> tuple[object, ...]:
    """Changes whenever a captive or a spelling is added, changed or removed.

    Every search asks this, so it reads only index ends: the newest change and the highest id of
    the captives (every write moves ``updated_at``, the import's bulk updates included, and a
    captive is never deleted: duplicates are merged, the admin may not delete), and the count
    of the few spellings, which a merge undone does delete. COUNT(*) over 100,000 captives cost
    6 to 25 ms a search under load, and Django's ``aggregate()`` took ~1 ms of CPU to build the
    two queries, a tenth of a search (``bench/load.py``): one plain statement takes 0.1 ms.
    """
    captives, spellings = (connection.ops.quote_name(m._meta.db_table) for m in (Captive, Spelling))
    changed = connection.ops.quote_name(Captive._meta.get_field("updated_at").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX({changed}) FROM {captives}), (SELECT MAX(id) FROM {captives}), "  # noqa: S608 - our own table and column names
            f"(SELECT COUNT(*) FROM {spellings}), (SELECT MAX(id) FROM {spellings})"
        )
        return tuple(cursor.fetchone() or ())


class VersionedIndex:
    """An index a process keeps, made again only when ``version`` says its source changed;
    one thread makes it while the others wait for it."""

    def __init__(self, make: Callable[[tuple[object, ...]], RegistryIndex]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._version: tuple[object, ...] | None = None
        self._index: RegistryIndex | None = None

    def at(self, version: tuple[object, ...]) -> RegistryIndex:
        with self._lock:
            if self._index is None or self._version != version:
                self._index = None  # the old one freed before the new one is made
                with settled_in_memory():
                    self._index = self._make(version)
                self._version = version
            return self._index


def loaded_or_built(version: tuple[object, ...]) -> RegistryIndex:
    """The index of the registry at ``version``: from the file another process wrote for that
    version (``captives.index_file``), else built here and written for the next."""
    index = index_file.load(version)
    if index is None:
        index = RegistryIndex(load_persons())
        index_file.save(index, version)
    return index


_registry = VersionedIndex(loaded_or_built)


def registry_index() -> RegistryIndex:
    """The process's index of the registry, rebuilt only if the registry changed."""
    return _registry.at(registry_version())
