"""Names with letters the file could not carry: a list saved in cp1251 writes ``?`` for every
Latin letter with a diacritic (ISO 9's Шабліюк Юрій, ``Šablìûk Ûrìj``, arrives as
``?abl??k ?r?j``), a decoder U+FFFD for a byte it cannot read. Each such mark is a letter we
know nothing of: the name fits every name its known letters fit, and weighs as much as the
share of the registry it fits allows."""

from __future__ import annotations

from datetime import date

import pytest

from captives.matching import Entry, Outcome, Person, RegistryIndex, decide
from captives.matching.keys import LOST, fine_key, tokens
from captives.matching.model import MAX_LOST_LETTERS, name_level
from captives.matching.readings import family_keys
from tests.matching.conftest import crowd

SHABLIIUK = Person(1, "Шабліюк", "Юрій", "Олексійович", date(1996, 2, 23), "А6302", label="S")
KOTLYSHYN = Person(2, "Котлишин", "Тетяна", "Олександрівна", date(1979, 11, 8), label="K")
# Born the same day as Шабліюк, another name: the date alone must not bring him.
BORN_SAME_DAY = Person(3, "Гнатюк", "Сергій", "Іванович", date(1996, 2, 23), label="H")


def cp1251(text: str) -> str:
    """What a list saved in cp1251 keeps of a name: ``?`` for what the code page lacks."""
    return text.encode("cp1251", errors="replace").decode("cp1251")


@pytest.fixture(scope="module")
def registry() -> RegistryIndex:
    return RegistryIndex([SHABLIIUK, KOTLYSHYN, BORN_SAME_DAY, *crowd(5000)])


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("?abl??k", f"{LOST}abl{LOST}{LOST}k"),  # two lost letters stay two
        ("KOTLI?IN", f"kotli{LOST}in"),
        ("Hnat\ufffduk", f"gnat{LOST}uk"),  # a byte the decoder could not read
        ("Шабліюк", "Sabliuk"),  # no mark: the key as always
    ],
)
def test_a_lost_letter_inside_a_name_is_kept_in_its_key(written: str, key: str) -> None:
    assert fine_key(written) == key


def test_a_question_mark_apart_from_a_name_is_no_letter() -> None:
    assert tokens("Шабліюк ? Юрій") == ("Шабліюк", "Юрій")


def test_a_row_that_lost_letters_to_cp1251_is_matched_on_its_date_and_unit(
    registry: RegistryIndex,
) -> None:
    written = cp1251("Šablìûk Ûrìj")
    assert written == "?abl??k ?r?j"  # nothing of the surname's key can be looked up

    decision = decide(
        Entry(1, written, birth_date=date(1996, 2, 23), military_unit="A-6302"), registry
    )

    assert decision.outcome is Outcome.MATCHED, decision.explanation
    assert decision.person_id == 1
    assert "letters the file lost" in decision.explanation


def test_a_row_that_lost_letters_with_a_date_alone_is_matched_when_the_name_fits(
    registry: RegistryIndex,
) -> None:
    decision = decide(Entry(1, cp1251("Tetâna KOTLIŠIN"), birth_date=date(1979, 11, 8)), registry)

    assert decision.outcome is Outcome.MATCHED, decision.explanation
    assert decision.person_id == 2


def test_someone_born_that_day_whose_name_does_not_fit_is_not_matched(
    registry: RegistryIndex,
) -> None:
    """Гнатюк Сергій shares the day; the known letters of ``?abl??k`` do not fit Гнатюк."""
    decision = decide(Entry(1, "?abl??k Serhij", birth_date=date(1996, 2, 23)), registry)

    assert decision.outcome is not Outcome.MATCHED or decision.person_id != 3
    assert all(c.person_id != 3 or c.probability < 0.5 for c in decision.candidates)


def test_a_pattern_many_names_fit_weighs_as_little_as_they_are_common(
    registry: RegistryIndex,
) -> None:
    """``?r?j`` fits Юрій and Сергій (``iuri``, ``sergi``): its u is the share of people
    whose given name fits, counted, not the rare typo's."""
    given = [registry.names[at].fine for at in registry.given_at if at >= 0]
    fitting = sum(1 for fine in given if fine in {"iuri", "sergi"})
    share = registry.lost_share("given", fine_key("?r?j"))

    assert share >= fitting / registry.size
    assert registry.lost_share("family", fine_key("?abl??k")) == 1 / registry.size


def test_known_letters_that_do_not_fit_fall_back_to_the_usual_levels() -> None:
    entry, person = family_keys("?avlenko"), family_keys("Шабліюк")

    assert name_level(entry, person, with_forms=False) == "different"


def test_a_name_of_more_lost_letters_than_letters_is_compared_as_written() -> None:
    """Five lost letters in one name and it is no longer a name with a few letters missing; the
    cap also bounds a pattern's work (each lost letter none, one or two symbols: 3^n ways)."""
    few = family_keys("?a?a?a?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")
    many = family_keys("?a" * 40 + "b")
    person = family_keys("a" * 80)

    assert fine_key("?a" * 40 + "b").count(LOST) == 40 > MAX_LOST_LETTERS
    assert name_level(many, person, with_forms=False) != "lost"
    assert name_level(few, person, with_forms=False) == "different"  # "b" does not fit
    assert (
        name_level(
            family_keys("Šablìûk".encode("cp1251", "replace").decode("cp1251")),
            family_keys("Шабліюк"),
            with_forms=False,
        )
        == "lost"
    )
