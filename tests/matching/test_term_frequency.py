"""A surname that agrees weighs by how many in the registry would agree with it as closely: those
who bear its spelling when the row writes it as the registry does, everyone whose surname folds
to the same coarse key when the row agrees only once diacritics and glides are forgotten."""

from __future__ import annotations

from datetime import date

import pytest

from captives.matching import Entry, FieldAgreement, Person, RegistryIndex, rank
from tests.matching.conftest import crowd

BORN = date(1991, 7, 30)
# Мохюк (moXiuk) and Могук (moguk) are two surnames with one coarse key: the coarse key forgets
# х against г, since ISO 9 writes х as h, the letter the national system writes г with.
MOKHIUK = Person(1, "Мохюк", "Олег", "Володимирович", BORN, label="M")
MOHUKS = [Person(10 + n, "Могук", "Петро", "Іванович", date(1980, 1, 1 + n)) for n in range(20)]
# A surname of one bearer that no other surname folds onto.
BURCHAK = Person(2, "Бурчак", "Олег", "Володимирович", BORN, label="B")
# Лисук (lisuk) is Лисюк (lisiuk) with its glide lost, and shares its coarse key.
LYSUK = Person(3, "Лисук", "Костянтин", "Дмитрович", date(1989, 1, 25), label="LU")
LYSIUK = Person(4, "Лисюк", "Костянтин", "Дмитрович", date(1989, 1, 25), label="LIU")


@pytest.fixture(scope="module")
def registry() -> RegistryIndex:
    return RegistryIndex([MOKHIUK, BURCHAK, LYSUK, LYSIUK, *MOHUKS, *crowd(5000)])


def surname(registry: RegistryIndex, written: str, person_id: int) -> FieldAgreement:
    """How the row's surname compared with that of the person ``person_id``."""
    ranked = rank(Entry(1, written, birth_date=BORN), registry)
    candidate = next(c for c in ranked if c.person_id == person_id)
    return next(a for a in candidate.agreements if a.field == "family")


@pytest.mark.parametrize(
    ("written", "level", "weighs_as_one_bearer"),
    [
        ("Мохюк Олег", "same", True),  # as the registry writes it: Мохюк's one bearer
        ("Mokhiuk Oleh", "same", True),  # the national system's kh is х: the same key
        ("Mohiuk Oleh", "variant", False),  # ISO 9's h may be х or г: Могук's 20 agree too
    ],
)
def test_a_surname_weighs_by_those_who_agree_with_it_as_closely(
    registry: RegistryIndex, written: str, level: str, weighs_as_one_bearer: bool
) -> None:
    family = surname(registry, written, 1)
    alone = surname(registry, "Бурчак Олег", 2).weight  # one bearer, no coarse kin

    assert family.level == level
    assert (abs(family.weight - alone) < 1e-9) is weighs_as_one_bearer
    assert family.weight <= alone + 1e-9


def test_the_person_the_row_spells_exactly_comes_before_one_it_fits_as_a_variant(
    registry: RegistryIndex,
) -> None:
    """No date, unit or number: the order is all the reviewer gets. Lysyuk is Лисюк as the
    BGN/PCGN system writes it; Лисук agrees only once the glide is forgotten."""
    ranked = rank(Entry(1, "Konstantin Lysyuk"), registry)

    assert [c.label for c in ranked[:2]] == ["LIU", "LU"]
    assert ranked[0].score > ranked[1].score
