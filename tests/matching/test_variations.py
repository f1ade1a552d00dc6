"""Each way the other side writes a name, one focused test, on names written by hand."""

from __future__ import annotations

from datetime import date

import pytest

from captives.matching import Decision, Entry, Outcome, Person, RegistryIndex, decide, search
from captives.matching.model import name_level
from captives.matching.names import name_book
from captives.matching.readings import family_keys, given_keys
from tests.matching.conftest import crowd

BORN_1 = date(1990, 3, 14)  # person 1: Шевченко Олександр Петрович, в/ч А1234, АА123456
BORN_3 = date(1998, 12, 3)  # person 3: Гнатюк Дмитро Юрійович


def assert_matched(index: RegistryIndex, entry: Entry, person_id: int) -> Decision:
    decision = decide(entry, index)
    assert decision.outcome is Outcome.MATCHED, decision.explanation
    assert decision.person_id == person_id
    return decision


@pytest.mark.parametrize(
    ("written", "born", "person_id"),
    [
        ("Шевченко Олександр Петрович", BORN_1, 1),
        ("Гнатюк Дмитрий Юрьевич", BORN_3, 3),  # Russian forms of given name and patronymic
        ("Билык Тарас Иванович", date(1979, 1, 25), 4),  # і → и, и → ы
        ("Ярошенко Виктория Олеговна", date(2001, 6, 30), 6),  # Russian form, female
        ("Воробьёв Николай Анатольевич", date(1988, 2, 17), 8),  # й → ь, ё; Микола → Николай
        ("Зинченко Илья Ильич", date(1975, 10, 12), 13),  # irregular patronymic
    ],
    ids=[
        "ukrainian",
        "russian-forms",
        "russian-orthography",
        "female",
        "yo-and-soft-sign",
        "ilyich",
    ],
)
def test_cyrillic_spellings(index: RegistryIndex, written: str, born: date, person_id: int) -> None:
    assert_matched(index, Entry(1, written, birth_date=born), person_id)


@pytest.mark.parametrize(
    "written",
    [
        "Hnatiuk Dmytro Yuriiovych",  # Ukrainian national 2010
        "Hnatyuk Dmytro Yuriyovych",  # BGN/PCGN Ukrainian
        "Gnatyuk Dmitriy Yur'yevich",  # BGN/PCGN Russian
        "Gnatiuk Dmitrii Iurevich",  # Russian passport, ICAO 9303
        "Gnatûk Dmitrij Ûrʹevič",  # ISO 9
        "Gnatuk Dmitrij Urevic",  # ISO 9 with diacritics stripped
    ],
    ids=["national-2010", "bgn-uk", "bgn-ru", "icao-ru", "iso9", "ascii-stripped"],
)
def test_latin_transliterations(index: RegistryIndex, written: str) -> None:
    assert_matched(index, Entry(1, written, birth_date=BORN_3), 3)


@pytest.mark.parametrize(
    "written",
    [
        "Олександр Петрович Шевченко",
        "Шевченко Олександр",
        "Олександр Шевченко",
        "SHEVCHENKO Oleksandr Petrovych",
        "Oleksandr SHEVCHENKO",
    ],
    ids=["given-patronymic-family", "family-given", "given-family", "caps", "given-family-latin"],
)
def test_name_orders_and_capitals(index: RegistryIndex, written: str) -> None:
    assert_matched(index, Entry(1, written, birth_date=BORN_1), 1)


@pytest.mark.parametrize(
    "written",
    [
        "Шевчнко Олександр Петрович",  # dropped letter
        "Шевченнко Олександр Петрович",  # doubled letter
        "Шевчекно Олександр Петрович",  # swapped letters
        "Шевченко Олескандр Петрович",  # swapped letters in the given name
        "Шевчинко Олександр Петрович",  # wrong letter
        "Щербак Евген Григорович",  # wrong letter in the given name (person 7 below)
    ],
    ids=["dropped", "doubled", "swapped", "swapped-given", "wrong", "wrong-given"],
)
def test_typos(index: RegistryIndex, written: str) -> None:
    person_id, born = (7, date(1994, 11, 9)) if written.startswith("Щербак") else (1, BORN_1)
    assert_matched(index, Entry(1, written, birth_date=born), person_id)


@pytest.mark.parametrize(
    ("written", "person_id", "born"),
    [
        ("Шевченко Алексаднр Петрович", 1, BORN_1),  # Александр, two letters swapped
        ("Воробьёв Никлай Анатольевич", 8, date(1988, 2, 17)),  # Николай, a letter dropped
        ("Yarošenko Viktorija Olgovna", 6, date(2001, 6, 30)),  # Ольговна, a letter dropped
    ],
    ids=["given", "given-dropped", "patronymic"],
)
def test_a_typo_in_the_russian_form_of_a_name_is_a_typo(
    index: RegistryIndex, written: str, person_id: int, born: date
) -> None:
    decision = assert_matched(index, Entry(1, written, birth_date=born), person_id)
    assert decision.best is not None
    levels = {a.field: a.level for a in decision.best.agreements}
    assert "typo" in (levels["given"], levels.get("patronymic"))
    assert "different" not in levels.values()


def test_a_letter_dropped_between_two_alike_ones_is_one_typo(index: RegistryIndex) -> None:
    # Воробйов without its р: the keys write "oo" as one o, so the drop looked like two edits.
    decision = assert_matched(
        index, Entry(1, "Вообйов Микола Анатолійович", birth_date=date(1988, 2, 17)), 8
    )
    assert decision.best is not None
    assert {a.field: a.level for a in decision.best.agreements}["family"] == "typo"


def test_a_surname_mangled_past_one_edit_is_still_found_by_given_name_and_date(
    index: RegistryIndex,
) -> None:
    # Shcherbak typed with "hc" for "ch" and "s" for "sh": Sšerbak is four edits from the key.
    decision = decide(Entry(1, "Shecrbak Yevhen Hryhorovych", birth_date=date(1995, 11, 9)), index)

    assert decision.best is not None
    assert decision.best.person_id == 7  # born 9.11.1994: the year off by one
    assert decision.outcome is not Outcome.UNMATCHED


@pytest.mark.parametrize(
    ("born", "level"),
    [
        (date(1990, 3, 14), "same"),
        (date(1998, 3, 12), "swapped"),
        (date(1997, 12, 3), "year"),
    ],
    ids=["exact", "day-month-swapped", "year-off-by-one"],
)
def test_date_error_classes(index: RegistryIndex, born: date, level: str) -> None:
    name, person_id = (
        ("Гнатюк Дмитро Юрійович", 3)
        if level in ("swapped", "year")
        else ("Шевченко Олександр Петрович", 1)
    )
    decision = decide(Entry(1, name, birth_date=born), index)
    assert decision.best is not None
    assert decision.best.person_id == person_id
    date_agreement = next(a for a in decision.best.agreements if a.field == "birth_date")
    assert date_agreement.level == level
    assert decision.outcome is Outcome.MATCHED, decision.explanation


def test_service_number_separates_namesakes_without_a_birth_date(index: RegistryIndex) -> None:
    assert_matched(index, Entry(1, "Шевченко Олександр Петрович", service_number="AA 123456"), 1)


def test_unit_is_evidence(index: RegistryIndex) -> None:
    with_unit = decide(Entry(1, "Гнатюк Дмитро Юрійович", military_unit="в/ч А0501"), index)
    without = decide(Entry(1, "Гнатюк Дмитро Юрійович"), index)
    assert with_unit.best is not None
    assert without.best is not None
    assert with_unit.best.score > without.best.score
    assert any(a.field == "military_unit" and a.level == "same" for a in with_unit.best.agreements)


def test_known_spelling_is_used(index: RegistryIndex) -> None:
    assert_matched(index, Entry(1, "Дьячук Юрий", birth_date=date(1983, 8, 19)), 12)


def test_two_letters_more_are_not_a_typo_even_where_the_keys_look_alike() -> None:
    # Бабич is Бич with "аб" more, not a letter dropped between two alike ones: different.
    index = RegistryIndex([Person(1, "Бич", "Іван", "Петрович", date(1990, 3, 4)), *crowd(3000)])

    decision = decide(Entry(1, "Бабич Іван Петрович", birth_date=date(1991, 3, 4)), index)

    assert decision.outcome is not Outcome.MATCHED
    assert all(
        a.level == "different"
        for c in decision.candidates[:1]
        for a in c.agreements
        if a.field == "family"
    )


PANASCHENKO = Person(1, "Панасченко", "Тетяна", "Андріївна", date(2005, 10, 5), "А4270")


@pytest.mark.parametrize(
    "written",
    [
        "Panaschenko Tetiana",  # national 2010: с + ч is "sch", щ is "shch"
        "PANASCHENKO Tat'yana",  # BGN/PCGN Russian
        "Panasčenko Tetâna",  # ISO 9
    ],
)
def test_s_and_ch_written_sch_are_not_shch(written: str) -> None:
    """Панасченко is not Панащенко: her surname as the national system writes it is hers, with
    or without a date to find her by (a row with a unit only is matched on it; a name alone is
    hers to review), and the registry search finds her."""
    index = RegistryIndex([PANASCHENKO, *crowd(500)])

    assert_matched(index, Entry(1, written, military_unit="А4270"), 1)
    alone = decide(Entry(2, written), index)
    assert alone.outcome is Outcome.REVIEW, alone.explanation
    assert alone.best is not None
    assert alone.best.person_id == 1
    assert [c.person_id for c in search(Entry(0, written.split()[0]), index)] == [1]


GRYSHCHENKO = Person(1, "Гришченко", "Олександр", "Назарович", date(1983, 5, 2), "А1521")
# Грищенко is the commoner name: those who bear it with his given name are found first.
HRYSHCHENKOS = [
    Person(100 + n, "Грищенко", "Олександр", father, date(1970 + n, 1, 9), f"А20{n}0")
    for n, father in enumerate(("Петрович", "Іванович", "Миколайович", "Назарович"))
]


@pytest.mark.parametrize(
    "written",
    [
        "Hryshchenko Oleksandr",  # national 2010: ш + ч and щ are both "shch"
        "GRYSHCHENKO Aleksandr",  # BGN/PCGN Russian
        "Grishchenko Aleksandr",  # ICAO 9303, Russian passport
    ],
)
def test_sh_and_ch_written_shch_are_found_beside_shch(written: str) -> None:
    """Гришченко written in Latin is written as Грищенко is: he is a candidate among the
    Грищенко of his given name, and his unit tells him from them."""
    index = RegistryIndex([GRYSHCHENKO, *HRYSHCHENKOS, *crowd(500)])

    assert_matched(index, Entry(1, written, military_unit="А1521"), 1)
    alone = decide(Entry(2, written), index)
    assert alone.outcome is Outcome.CONFLICT, alone.explanation
    assert 1 in [c.person_id for c in alone.candidates]
    assert 1 in [c.person_id for c in search(Entry(0, written.split()[0]), index)]


def test_a_typo_inside_a_letter_latin_writes_with_two_is_one_typo() -> None:
    """Ткачко in ICAO is Tkachko; a clerk who struck "h" for "a" wrote Tkhchko: one letter as
    typed, though "kh" is х to the keys (three edits between them). With her date she is found."""
    tkachko = Person(1, "Ткачко", "Олена", "Анатоліївна", date(1978, 11, 30), label="T")
    index = RegistryIndex([tkachko, *crowd(500)])

    assert name_level(family_keys("Tkhchko"), family_keys("Ткачко"), with_forms=False) == "typo"
    assert name_level(family_keys("Kmara"), family_keys("Хмара"), with_forms=False) == "typo"
    decision = decide(Entry(1, "Elena Tkhchko", birth_date=date(1978, 11, 30)), index)
    assert decision.outcome is not Outcome.UNMATCHED, decision.explanation
    assert decision.best is not None
    assert decision.best.person_id == 1


def test_a_letter_dropped_between_alike_ones_beside_a_letter_latin_writes_with_more() -> None:
    """Хорошчук in BGN/PCGN is KHOROSHCHUK; with the r dropped, KHOOSHCHUK: one letter as
    typed, though the two o's left side by side are one in the keys and "shch" is ш + ч to
    them. With his date he is found."""
    khoroshchuk = Person(1, "Хорошчук", "Олександр", "Олегович", date(1988, 10, 22), label="K")
    index = RegistryIndex([khoroshchuk, *crowd(500)])

    level = name_level(family_keys("KHOOSHCHUK"), family_keys("Хорошчук"), with_forms=False)
    assert level == "typo"
    decision = decide(Entry(1, "KHOOSHCHUK Oleksandr", birth_date=date(1988, 10, 22)), index)
    assert decision.outcome is not Outcome.UNMATCHED, decision.explanation
    assert decision.best is not None
    assert decision.best.person_id == 1


@pytest.mark.parametrize(
    ("written", "registered"), [("Vladiir", "Володимир"), ("Еена", "Олена"), ("Serhii", "Сергій")]
)
def test_a_letter_dropped_between_alike_ones_in_a_russian_form_is_one_typo(
    written: str, registered: str
) -> None:
    """Vladiir for Владимир, Еена for Елена: the two letters left side by side are one in the
    keys (vladir, ena), two edits from the form; as typed, one letter is missing."""
    book = name_book()

    assert name_level(given_keys(written, book), given_keys(registered, book), with_forms=True) in (
        "typo",
        "same",
        "form",
    )
    assert name_level(given_keys("Vladiir", book), given_keys("Олена", book), with_forms=True) == (
        "different"
    )


def test_a_man_whose_russian_given_name_lost_a_letter_is_still_matched() -> None:
    sychenko = Person(1, "Сиченко", "Володимир", "Дмитрович", date(1984, 12, 28), label="S")
    index = RegistryIndex([sychenko, *crowd(500)])

    decision = assert_matched(
        index, Entry(1, "Vladiir Dmitrievich SYCHENKO", birth_date=date(1984, 12, 28)), 1
    )
    assert decision.best is not None
    assert decision.best.level("given") == "typo"
