"""Rows of people we do not hold whose name fits a registry person, beside true people's rows
with an error in them: what is evidence of absence and what is a clerk's typo.

A row that only the name supports while a unit, a service number or the name itself disagrees
is left unmatched: someone we do not hold who bears that name explains it better (the namesake
hypothesis, ``engine.with_probabilities``). A row whose date or service number is one typo away
from the person's stays in front of a reviewer: a true person left unmatched is worse.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from captives.matching import Entry, Outcome, Person, RegistryIndex, decide
from captives.matching.model import service_number_level
from tests.matching.conftest import crowd

# Rare surnames, one bearer each, among a crowd that gives the frequencies their shape.
HREBENYCH = Person(
    1, "Гребенич", "Денис", "Михайлович", date(1980, 1, 9), "А6586", "СА603507", label="H"
)
DZIUBENKO = Person(2, "Дзюбенко", "Анатолій", "Іванович", date(1994, 11, 18), label="D")
SHPAKANENKO = Person(3, "Шпаканенко", "Валерій", "Сергійович", date(1987, 3, 21), label="S")
HERENKO = Person(4, "Геренко", "Ігор", "Валентинович", date(1996, 5, 12), label="G")
NOSACHKO = Person(5, "Носачко", "Олександр", "Петрович", None, label="N")


@pytest.fixture(scope="module")
def registry() -> RegistryIndex:
    return RegistryIndex([HREBENYCH, DZIUBENKO, SHPAKANENKO, HERENKO, NOSACHKO, *crowd(5000)])


# (what the row is, the row, the outcome, the person shown first)
STAY_IN_REVIEW = [
    (
        "true person, a digit of the year mistyped",
        Entry(1, "Дзюбенко Анатолій Іванович", birth_date=date(1999, 11, 18)),
        2,
    ),
    (
        "true person without the patronymic, a digit of the year mistyped",
        Entry(1, "Анатолий Дзюбенко", birth_date=date(1999, 11, 18)),
        2,
    ),
    (
        "true person, a digit of the day mistyped",
        Entry(1, "Геренко Ігор Валентинович", birth_date=date(1996, 5, 13)),
        4,
    ),
    (
        "true person, no date, the service number one character off",
        Entry(1, "Гребенич Денис Михайлович", service_number="СА 603057"),
        1,
    ),
    (
        "true person, no date, a unit the registry does not hold for him",
        Entry(1, "Носачко Олександр Петрович", military_unit="в/ч А2271"),
        5,
    ),
]

LEFT_UNMATCHED = [
    (
        "stranger of that name, no date, another unit",
        Entry(1, "Гребенич Денис Михайлович", military_unit="в/ч А1897"),
    ),
    (
        "stranger of that name, no date, another man's service number",
        Entry(1, "Гребенич Денис Михайлович", service_number="АМ 424940"),
    ),
    (
        "stranger of that name written without the patronymic, no date, another unit",
        Entry(1, "ГРЕБЕНИЧ Денис", military_unit="A1897"),
    ),
    (
        "stranger: another father's name, no date, another unit",
        Entry(1, "Гребенич Денис Олегович", military_unit="в/ч А1897"),
    ),
]


@pytest.mark.parametrize(
    ("case", "entry", "person"), STAY_IN_REVIEW, ids=[c[0] for c in STAY_IN_REVIEW]
)
def test_a_true_person_with_a_typo_stays_in_front_of_a_reviewer(
    registry: RegistryIndex, case: str, entry: Entry, person: int
) -> None:
    decision = decide(entry, registry)

    assert decision.outcome is Outcome.REVIEW, (case, decision.explanation)
    assert decision.best is not None
    assert decision.best.person_id == person


@pytest.mark.parametrize(("case", "entry"), LEFT_UNMATCHED, ids=[c[0] for c in LEFT_UNMATCHED])
def test_a_name_with_a_contradiction_and_nothing_confirming_is_left_unmatched(
    registry: RegistryIndex, case: str, entry: Entry
) -> None:
    decision = decide(entry, registry)

    assert decision.outcome is Outcome.UNMATCHED, (case, decision.explanation)
    assert decision.reason == "unlikely"
    assert decision.best is not None  # still shown to whoever opens the row


# A stranger who shares all but a surname or a father's name with a registry person, by chance.
# Each was matched automatically before (P > 0.9999 on this registry of 5,000: the evidence that
# agrees outweighed the name part that does not).
ANOTHER_NAME = [
    (
        "another surname under our man's given name, father's name and date of birth",
        Entry(1, "Басарчук Денис Михайлович", birth_date=date(1980, 1, 9)),
    ),
    (
        "another surname, written in Latin, under our man's given name, date and unit",
        Entry(1, "Basarchuk Denys", birth_date=date(1980, 1, 9), military_unit="A6586"),
    ),
    (
        "our man's name and date of birth under another father's name",
        Entry(1, "Дзюбенко Анатолій Олегович", birth_date=date(1994, 11, 18)),
    ),
]


@pytest.mark.parametrize(("case", "entry"), ANOTHER_NAME, ids=[c[0] for c in ANOTHER_NAME])
def test_another_surname_or_fathers_name_is_someone_else_whatever_else_agrees(
    registry: RegistryIndex, case: str, entry: Entry
) -> None:
    decision = decide(entry, registry)

    assert decision.outcome is Outcome.UNMATCHED, (case, decision.explanation)
    assert decision.reason == "other_name"
    assert decision.best is not None
    assert decision.best.person_id in (HREBENYCH.id, DZIUBENKO.id)  # shown, not proposed


def test_a_service_number_outweighs_another_surname(registry: RegistryIndex) -> None:
    """Papers copied into the row are the person's, whatever surname the clerk wrote."""
    decision = decide(
        Entry(
            1, "Басарчук Денис Михайлович", birth_date=date(1980, 1, 9), service_number="СА603507"
        ),
        registry,
    )

    assert decision.outcome is not Outcome.UNMATCHED, decision.explanation
    assert decision.best is not None
    assert decision.best.person_id == HREBENYCH.id


@pytest.mark.parametrize(
    "written",
    ["Гребеніч Денис Михайлович", "Hrebenych Denys Mykhailovych", "Гребенич Денис Михайловч"],
)
def test_a_misspelt_surname_or_fathers_name_is_not_another(
    registry: RegistryIndex, written: str
) -> None:
    decision = decide(Entry(1, written, birth_date=date(1980, 1, 9)), registry)

    assert decision.outcome is not Outcome.UNMATCHED, decision.explanation
    assert decision.best is not None
    assert decision.best.person_id == HREBENYCH.id


@pytest.mark.parametrize(
    "entry",
    [
        Entry(1, "Гребенич Олег Михайлович", birth_date=date(1980, 1, 9), military_unit="А6586"),
        Entry(1, "Hrebenych Oleh", birth_date=date(1980, 1, 9)),
        Entry(1, "Дзюбенко Олег Іванович", birth_date=date(1994, 11, 18)),
    ],
    ids=["unit", "latin, no patronymic", "date"],
)
def test_a_twin_is_never_matched_with_his_brother(registry: RegistryIndex, entry: Entry) -> None:
    """Twins share surname, father's name, date of birth and often the unit: everything but
    the given name. Before, each row here was matched automatically with the brother."""
    decision = decide(entry, registry)

    assert decision.outcome is Outcome.REVIEW, decision.explanation
    assert decision.reason == "other_given"
    assert decision.best is not None
    assert decision.best.person_id in (HREBENYCH.id, DZIUBENKO.id)  # shown: a person decides


def test_a_twin_with_his_brothers_service_number_is_the_brother(registry: RegistryIndex) -> None:
    """The number is copied from papers: with it, another given name is a clerk's slip."""
    decision = decide(
        Entry(
            1, "Гребенич Олег Михайлович", birth_date=date(1980, 1, 9), service_number="СА603507"
        ),
        registry,
    )

    assert decision.outcome is Outcome.MATCHED, decision.explanation
    assert decision.person_id == HREBENYCH.id


def test_the_same_row_with_the_registry_unit_is_a_review_not_a_stranger(
    registry: RegistryIndex,
) -> None:
    """The unit decides it: the stranger's row above, with our man's unit instead."""
    decision = decide(Entry(1, "Гребенич Денис Михайлович", military_unit="А6586"), registry)

    assert decision.outcome is not Outcome.UNMATCHED
    assert decision.best is not None
    assert decision.best.person_id == 1


@pytest.mark.parametrize(
    ("written", "registered", "level"),
    [
        ("СА603507", "СА603507", "same"),
        ("СА603057", "СА603507", "typo"),  # two digits swapped
        ("СА60357", "СА603507", "typo"),  # one dropped
        ("СА613517", "СА603507", "different"),
        ("АМ424940", "СА603507", "different"),
    ],
)
def test_service_number_levels(written: str, registered: str, level: str) -> None:
    assert service_number_level(written, registered) == level


OUR_PEOPLE = st.sampled_from([HREBENYCH, DZIUBENKO, SHPAKANENKO, HERENKO])
UNITS = st.from_regex(r"\AА[0-9]{4}\Z")


@settings(max_examples=40, deadline=None)
@given(person=OUR_PEOPLE, unit=UNITS, dated=st.booleans())
def test_a_unit_that_differs_never_makes_anyone_likelier(
    registry: RegistryIndex, person: Person, unit: str, dated: bool
) -> None:
    """Evidence against never counts for: the same row with another unit is never a likelier
    match, nor a match where the row without it was not."""
    name = f"{person.family_name} {person.given_name} {person.patronymic}"
    born = person.birth_date if dated else None
    plain = decide(Entry(1, name, birth_date=born), registry)
    other = unit if unit != person.military_unit else "А0000"
    contradicted = decide(Entry(1, name, birth_date=born, military_unit=other), registry)

    assert plain.best is not None
    assert contradicted.best is not None
    if contradicted.best.person_id == plain.best.person_id:
        assert contradicted.best.probability <= plain.best.probability
    if contradicted.outcome is Outcome.MATCHED:
        assert plain.outcome is Outcome.MATCHED
