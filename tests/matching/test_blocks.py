from __future__ import annotations

import pickle
from array import array
from datetime import date

import pytest

from captives.matching import Entry, Person, RegistryIndex, decide, search
from captives.matching.blocks import FIELD_LIMIT, Blocks, pack
from captives.matching.filing import (
    BORN,
    GIVEN_BORN,
    GIVEN_PATRONYMIC_BORN,
    SERVICE_NUMBER,
    SURNAME,
    SURNAME_GIVEN,
    SURNAME_INITIAL,
    SURNAME_PATRONYMIC,
    SURNAME_YEAR,
    UNIT,
    Filing,
)
from captives.matching.names import name_book
from captives.matching.readings import reading_of_parts
from tests.matching.conftest import crowd

HNATIUK = Person(
    1, "Гнатюк", "Дмитро", "Юрійович", date(1990, 5, 4), "в/ч А1234", "АБ 123456", label="H-1"
)


def test_a_block_gives_its_people_and_a_key_nobody_has_gives_none() -> None:
    blocks = Blocks.of({pack(1, 7): [3, 9], pack(1, 8): [4], pack(2): [5]})
    words = Blocks.of({"kovalenko": array("i", [2]), "koval": array("i", [0, 1])}, text=True)

    assert list(blocks.get(pack(1, 7))) == [3, 9]
    assert list(blocks.get(pack(2))) == [5]
    assert list(blocks.get(pack(1, 9))) == []
    assert list(blocks.get(pack(0))) == []
    assert list(words.get("koval")) == [0, 1]
    assert list(words.get("kov")) == []
    assert len(blocks) == 3


@pytest.mark.parametrize(
    "fields", [(16,), (0, FIELD_LIMIT), (0, 0, FIELD_LIMIT), (0, 0, 0, FIELD_LIMIT), (0, -1)]
)
def test_a_field_out_of_range_is_refused_not_folded_into_another_key(
    fields: tuple[int, ...],
) -> None:
    with pytest.raises(ValueError, match="out of range"):
        pack(*fields)


def test_the_build_packs_each_key_as_pack_does() -> None:
    """The build writes its million keys without calling ``pack``; a key packed otherwise
    would be a block no lookup finds."""
    filing = Filing()
    reading = reading_of_parts("Гнатюк", "Дмитро", "Юрійович", name_book())
    born = date(1990, 5, 4)
    assert reading.given is not None
    assert reading.patronymic is not None

    keys = filing.keys(reading, born, "a1234", "ab123456")

    number = filing.number  # the numbers the keys were given
    given, patronymic = number(reading.given.group), number(reading.patronymic.group)
    initial = number(reading.given.coarse[:1])
    day = born.toordinal()
    assert sorted(keys) == sorted(
        [
            pack(SURNAME, 0),
            pack(SURNAME_GIVEN, 0, given),
            pack(SURNAME_INITIAL, 0, initial),
            pack(SURNAME_PATRONYMIC, 0, patronymic),
            pack(SURNAME_YEAR, 0, 1990),
            pack(BORN, day),
            pack(GIVEN_BORN, given, day),
            pack(GIVEN_PATRONYMIC_BORN, given, patronymic, day),
            pack(SERVICE_NUMBER, number("ab123456")),
            pack(UNIT, number("a1234")),
        ]
    )


@pytest.fixture(scope="module")
def registry() -> RegistryIndex:
    return RegistryIndex([HNATIUK, *crowd(3000)])


@pytest.mark.parametrize(
    "entry",
    [
        Entry(1, "", birth_date=date(1990, 5, 4)),
        Entry(1, "", military_unit="А1234"),
        Entry(1, "", service_number="АБ-123456"),
        Entry(1, "Гнатюк"),
        Entry(1, "Дмитро Юрійович", birth_date=date(1990, 5, 4)),
    ],
)
def test_the_search_finds_a_person_by_each_thing_he_is_filed_under(
    registry: RegistryIndex, entry: Entry
) -> None:
    assert 1 in [c.person_id for c in search(entry, registry)]


def test_a_surname_mangled_past_one_edit_is_found_by_given_name_and_date(
    registry: RegistryIndex,
) -> None:
    decision = decide(Entry(1, "Гнaтюкович Дмитро", birth_date=date(1990, 4, 5)), registry)

    assert 1 in [c.person_id for c in decision.candidates]


def test_a_copy_of_the_index_decides_as_the_index_does(registry: RegistryIndex) -> None:
    copy = pickle.loads(pickle.dumps(registry))  # noqa: S301 - our own bytes
    rows = [
        Entry(1, "Hnatiuk Dmytro", birth_date=date(1990, 5, 4)),
        Entry(2, "ГНАТЮК Дмитрий Юрьевич", military_unit="A1234"),
        Entry(3, "Гнатюк"),
    ]

    assert copy.book is registry.book
    for entry in rows:
        assert decide(entry, copy) == decide(entry, registry)
        assert search(entry, copy) == search(entry, registry)
