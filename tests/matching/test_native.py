"""A list's entry as the registry writes it: the prefill of a new captive recorded from a row."""

from __future__ import annotations

import pytest

from captives.matching import name_book, registry_unit, ukrainian_name, ukrainian_parts


@pytest.mark.parametrize(
    ("written", "registry"),
    [
        ("Гнатюк Дмитрий Юрьевич", ("Гнатюк", "Дмитро", "Юрійович")),  # Russian forms
        ("Дмитрий Юрьевич Гнатюк", ("Гнатюк", "Дмитро", "Юрійович")),  # another order
        ("ГНАТЮК ДМИТРИЙ ЮРЬЕВИЧ", ("Гнатюк", "Дмитро", "Юрійович")),  # in capitals
        ("Ярошенко Виктория Александровна", ("Ярошенко", "Вікторія", "Олександрівна")),
        ("Gnatyuk Dmitriy Yurievich", ("Gnatyuk", "Дмитро", "Юрійович")),  # Latin: the book's
        ("Гнатюк Дмитро Юрійович", ("Гнатюк", "Дмитро", "Юрійович")),  # Ukrainian already
        ("Ковалёв Артём", ("Ковальов", "Артем", "")),  # ё after a consonant
        ("Сыроватко Эдуард", ("Сироватко", "Едуард", "")),  # letters Ukrainian lacks
        ("Вайнштейн Азат", ("Вайнштейн", "Азат", "")),  # a name the book lacks: as written
    ],
)
def test_a_lists_name_is_read_as_the_registry_writes_it(
    written: str, registry: tuple[str, str, str]
) -> None:
    assert ukrainian_name(written, name_book()) == registry


def test_separate_name_columns_keep_their_places() -> None:
    parts = ukrainian_parts("Юрьевич", "Дмитрий", "Гнатюк", book=name_book())

    # The columns say which is which: no reading reorders them; each is written in Ukrainian.
    assert parts == ("Юрьевич", "Дмитро", "Гнатюк")


@pytest.mark.parametrize(
    ("written", "registry"),
    [
        ("в/ч A1019", "А1019"),  # a Latin A, and the prefix
        ("В/Ч А 1019", "А1019"),
        ("вч а-0501", "А0501"),
        ("a0501", "А0501"),
        ("в/ч 3057", "3057"),
        ("", ""),
        ("DE12", "DE12"),  # not look-alikes: someone else's code, as written
    ],
)
def test_a_unit_is_written_as_the_registry_writes_it(written: str, registry: str) -> None:
    assert registry_unit(written) == registry
