"""An index built from stored keys decides exactly as one that works every name out again."""

from __future__ import annotations

from dataclasses import astuple, replace

from bench.lists import release_list
from bench.population import registry
from bench.systems import as_person
from captives.matching import Entry, Person, RegistryIndex, name_book, reconcile, search
from captives.matching.stored import person_keys, spelling_keys


def _people() -> list[Person]:
    people = [replace(as_person(p), label=f"R{p.id}") for p in registry(3000, 5)]
    # A few with spellings seen on earlier lists, in other scripts and orders.
    seen = ("Shevchenko Oleksandr Petrovych", "Іван Коваль", "Gnatiuk")
    return [replace(p, spellings=(seen[p.id % 3],)) if p.id % 50 == 0 else p for p in people]


def _stored(person: Person) -> Person:
    return replace(
        person,
        keys=person_keys(
            person.family_name,
            person.given_name,
            person.patronymic,
            person.military_unit,
            person.service_number,
        ),
        spelling_keys=tuple(spelling_keys(s, name_book()) for s in person.spellings),
    )


def _values(index: RegistryIndex) -> list[object]:
    """Each person's readings and identifiers by value (a NameKeys compares by identity)."""
    return [
        (
            [
                tuple(astuple(keys) if keys else None for keys in parts)
                for parts in index.name_parts(at)
            ],
            index.units[index.unit_at[at]],
            index.numbers[index.number_at[at]],
        )
        for at in range(index.size)
    ]


def test_stored_keys_give_the_same_readings_decisions_and_search() -> None:
    people = _people()
    scratch, stored = RegistryIndex(people), RegistryIndex([_stored(p) for p in people])
    rows = [r.entry for r in release_list(registry(3000, 5), 300, 11)]

    assert _values(stored) == _values(scratch)
    assert reconcile(rows, stored) == reconcile(rows, scratch)
    for text in ("Шевченко", "Kovalenko Ivan", "Гнатюк Дмитро Юрійович"):
        entry = Entry(line=1, full_name=text)
        assert search(entry, stored) == search(entry, scratch)


def test_stored_keys_are_used_only_for_the_version_and_values_they_were_made_of() -> None:
    person = _stored(Person(id=1, family_name="Гнатюк", given_name="Дмитро"))
    version, checksum, *_ = person.keys.split("|")
    # Keys another version made (forged here, so that using them would show): never used.
    stale = replace(person, keys="|".join([f"{version}0", checksum, *["x"] * 8]))
    renamed = replace(person, family_name="Білик")

    assert RegistryIndex([stale]).name_parts(0)[0][0].fine == "gnatiuk"
    assert RegistryIndex([renamed]).name_parts(0)[0][0].fine == "bilik"
