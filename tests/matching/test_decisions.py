"""Outcomes other than a plain match, their explanations, and the engine's invariants."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from captives.matching import (
    Entry,
    Memory,
    Outcome,
    Person,
    RegistryIndex,
    decide,
    fingerprint,
    reconcile,
)
from captives.matching.engine import AUTO_PROBABILITY
from tests.matching.conftest import PEOPLE, crowd


def test_conflict_when_two_namesakes_have_no_birth_date(index: RegistryIndex) -> None:
    decision = decide(Entry(1, "Кириленко Олексій Сергійович"), index)

    assert decision.outcome is Outcome.CONFLICT
    assert {c.person_id for c in decision.candidates[:2]} == {10, 11}
    assert "namesakes" in decision.explanation
    assert decision.person_id is None


def test_namesakes_without_any_identifier_in_the_row_are_never_matched(
    index: RegistryIndex,
) -> None:
    decision = decide(Entry(1, "Шевченко Олександр Петрович"), index)

    assert decision.outcome is Outcome.CONFLICT
    assert {c.person_id for c in decision.candidates[:2]} == {1, 2}


def test_birth_date_tells_namesakes_apart(index: RegistryIndex) -> None:
    decision = decide(Entry(1, "Шевченко Олександр Петрович", birth_date=date(1985, 7, 2)), index)

    assert decision.outcome is Outcome.MATCHED
    assert decision.person_id == 2


def test_absent_namesake_with_another_birth_date_is_unmatched_and_says_why(
    index: RegistryIndex,
) -> None:
    decision = decide(Entry(1, "Білик Тарас Іванович", birth_date=date(1969, 4, 30)), index)

    assert decision.outcome is Outcome.UNMATCHED
    assert "date of birth contradicts" in decision.explanation
    assert decision.best is not None
    assert decision.best.person_id == 4  # still shown to whoever looks at the row


def test_a_stranger_is_not_called_the_namesake_of_whoever_is_closest() -> None:
    """The closest person shares the surname and given name, but another father's name: that
    their date of birth differs is no news, and the row is not a namesake's."""
    closest = Person(900, "Зайченко", "Олег", "Васильович", date(1981, 6, 9), label="Z")
    registry = RegistryIndex([closest, *crowd(500)])

    decision = decide(Entry(1, "Зайченко Олег Феликсович", birth_date=date(1997, 2, 3)), registry)

    assert decision.outcome is Outcome.UNMATCHED
    assert decision.reason == "unlikely"
    assert "namesake of someone we do" in decision.explanation
    assert "contradicts" not in decision.explanation


def test_a_date_of_birth_that_is_no_date_is_named_as_left_out(index: RegistryIndex) -> None:
    decision = decide(Entry(1, "Шевченко Олександр Петрович", birth_date_text="31.02.1997"), index)

    assert decision.outcome is Outcome.CONFLICT  # namesakes: the row's date cannot tell them
    assert "The row's date of birth “31.02.1997” is no date and was left out." in (
        decision.explanation
    )


def test_nobody_with_such_a_name_is_unmatched_and_says_so(index: RegistryIndex) -> None:
    decision = decide(Entry(1, "Вайнштейн Аркадій Левович", birth_date=date(1970, 1, 1)), index)

    assert decision.outcome is Outcome.UNMATCHED
    assert decision.explanation.startswith("Unmatched")


def test_person_already_returned_is_a_conflict(index: RegistryIndex) -> None:
    decision = decide(Entry(1, "Коваленко Іван Миколайович", birth_date=date(1979, 5, 5)), index)

    assert decision.outcome is Outcome.CONFLICT
    assert "already recorded as returned or dead" in decision.explanation
    assert decision.best is not None
    assert decision.best.person_id == 5


def test_a_person_listed_twice_is_matched_once_and_the_repeat_is_a_conflict(
    index: RegistryIndex,
) -> None:
    born = PEOPLE[3].birth_date
    decisions = reconcile(
        [
            Entry(4, "Гнатюк Дмитро Юрійович", birth_date=born),
            Entry(9, "Hnatiuk Dmytro Yuriiovych", birth_date=born),
        ],
        index,
    )

    assert [d.outcome for d in decisions] == [Outcome.MATCHED, Outcome.CONFLICT]
    assert decisions[0].person_id == 3
    assert decisions[1].person_id is None
    assert decisions[1].reason == "duplicate"
    assert decisions[1].explanation.startswith("Conflict: line 9 and line(s) 4 of this list")


def test_the_stronger_claim_keeps_its_match_over_a_weak_one(index: RegistryIndex) -> None:
    decisions = reconcile(
        [
            Entry(1, "Гнатюк Дмитро Юрійович"),  # no date, unit or number: a review alone
            Entry(2, "Hnatiuk Dmytro", birth_date=PEOPLE[3].birth_date, military_unit="А0501"),
        ],
        index,
    )

    assert [d.outcome for d in decisions] == [Outcome.CONFLICT, Outcome.MATCHED]
    assert decisions[1].person_id == 3
    assert "line 1 and line(s) 2" in decisions[0].explanation


def test_claims_close_in_evidence_are_all_conflicts(index: RegistryIndex) -> None:
    decisions = reconcile(
        [
            # Certain alone: the date is PEOPLE[3]'s with day and month swapped.
            Entry(1, "Гнатюк Дмитро", birth_date=date(1998, 3, 12)),
            # As much evidence, but one digit of the date differs: a review alone.
            Entry(2, "Гнатюк Дмитро Юрійович", birth_date=date(1998, 12, 13)),
        ],
        index,
    )

    assert [d.outcome for d in decisions] == [Outcome.CONFLICT, Outcome.CONFLICT]
    assert [d.reason for d in decisions] == ["duplicate", "duplicate"]
    assert all(d.best is not None and d.best.person_id == 3 for d in decisions)


def test_matched_explanation_names_each_field_and_how_it_agreed(index: RegistryIndex) -> None:
    decision = decide(Entry(1, "Gnatyuk Dmitriy Yur'yevich", birth_date=date(1998, 3, 12)), index)

    assert decision.outcome is Outcome.MATCHED
    text = decision.explanation
    assert text.startswith("Matched with P3")
    assert "family name transliterated (Gnatyuk ~ Гнатюк" in text
    assert "given name Russian form of the same name (Dmitriy ~ Дмитро" in text
    assert "date of birth day and month swapped (12.03.1998 ~ 03.12.1998" in text


def test_review_explanation_lists_the_candidates(index: RegistryIndex) -> None:
    # A typo in the surname, the date with day and month swapped: confirmed, not certain.
    decision = decide(Entry(1, "Ципуля", birth_date=date(1996, 1, 4)), index)

    assert decision.outcome is Outcome.REVIEW
    assert decision.reason == "review"
    assert decision.explanation.startswith("Review: plausible but not certain. P9")
    assert "date of birth day and month swapped (04.01.1996 ~ 01.04.1996" in decision.explanation


def test_a_name_alone_is_a_review_that_says_so(index: RegistryIndex) -> None:
    decision = decide(Entry(1, "Цибуля Андрій"), index)

    assert decision.outcome is Outcome.REVIEW
    assert decision.reason == "name_only"
    assert decision.explanation.startswith("Review: only the name can be compared")
    assert "P9" in decision.explanation


def test_a_row_whose_identifiers_the_registry_cannot_confirm_is_a_review_that_says_so(
    index: RegistryIndex,
) -> None:
    # The row gives a unit; the registry holds none for this person: nothing confirms the name.
    decision = decide(Entry(1, "Цибуля Андрій", military_unit="А9999"), index)

    assert decision.outcome is Outcome.REVIEW
    assert decision.reason == "unconfirmed"
    assert decision.explanation.startswith("Review: the name fits, but nothing else the row")
    assert "The registry has nothing for P9 to compare with the row's unit А9999." in (
        decision.explanation
    )


def test_a_rejected_candidate_is_never_proposed_again(index: RegistryIndex) -> None:
    entry = Entry(1, "Гнатюк Дмитро Юрійович", birth_date=date(1998, 12, 3))
    memory = Memory(rejected=frozenset({(fingerprint(entry), 3)}))

    decision = decide(entry, index, memory)

    assert all(c.person_id != 3 for c in decision.candidates)
    assert decision.outcome is not Outcome.MATCHED


def test_fingerprint_is_the_same_in_any_script_and_order() -> None:
    born = date(1998, 12, 3)
    assert fingerprint(Entry(1, "Гнатюк Дмитро", birth_date=born)) == fingerprint(
        Entry(2, "Dmytro HNATIUK", birth_date=born)
    )


NAMES = st.sampled_from(
    [f"{p.family_name} {p.given_name} {p.patronymic}" for p in PEOPLE.values()]
    + ["Шевченко Олександр", "Gnatyuk Dmitriy", "Невідомий Петро Петрович", "Kyrylenko Oleksii"]
)
DATES = st.none() | st.sampled_from([p.birth_date for p in PEOPLE.values() if p.birth_date])


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(NAMES, DATES), min_size=1, max_size=12))
def test_never_two_rows_auto_matched_to_one_person(
    index: RegistryIndex, rows: list[tuple[str, date | None]]
) -> None:
    entries = [Entry(n + 1, name, birth_date=born) for n, (name, born) in enumerate(rows)]

    decisions = reconcile(entries, index)

    matched = [d.person_id for d in decisions if d.outcome is Outcome.MATCHED]
    assert len(matched) == len(set(matched))
    assert all(d.person_id is None for d in decisions if d.outcome is not Outcome.MATCHED)
    assert decisions == reconcile(entries, index)  # deterministic


def test_a_name_alone_is_never_near_certain_for_someone_we_do_not_hold_may_bear_it(
    index: RegistryIndex,
) -> None:
    # Цибуля Андрій Васильович: one person in the registry, written exactly as registered.
    decision = decide(Entry(1, "Цибуля Андрій Васильович"), index)
    dated = decide(Entry(1, "Цибуля Андрій Васильович", birth_date=date(1996, 4, 1)), index)

    assert decision.best is not None
    assert dated.best is not None
    assert 0.9 < decision.best.probability < AUTO_PROBABILITY
    assert dated.best.probability > 0.999


def test_an_absent_namesake_explains_a_row_better_than_a_stranger_born_the_same_day() -> None:
    # The row names Лисогор Олександр Сергійович born 1.5.1980. Ours was born in 1966; another
    # Олександр Сергійович happens to be born that day: the row is most likely neither of them
    # but someone we do not hold who bears our Лисогор's name (before: a review, P=0.87).
    ours = Person(1, "Лисогор", "Олександр", "Сергійович", date(1966, 9, 12), label="ours")
    same_day = Person(2, "Гордієнко", "Олександр", "Сергійович", date(1980, 5, 1), label="day")
    index = RegistryIndex([ours, same_day, *crowd(5000)])

    decision = decide(Entry(1, "Лисогор Олександр Сергійович", birth_date=date(1980, 5, 1)), index)

    assert decision.outcome is Outcome.UNMATCHED
    assert decision.explanation.startswith("Unmatched: someone we do not hold (a stranger, or a")
    assert decision.best is not None
    assert decision.best.person_id == 2  # still shown to whoever looks at the row


def test_nobody_to_compare_does_not_claim_the_surname_is_unknown(index: RegistryIndex) -> None:
    # Ярошенко is in the registry (Вікторія, person 6), but no Віктор of that name.
    decision = decide(Entry(1, "Ярошенко Віктор"), index)

    assert decision.outcome is Outcome.UNMATCHED
    assert decision.reason == "no_candidate"
    assert "surname spelled like this one, or a letter away, together with its given name" in (
        decision.explanation
    )


def test_a_conflict_counts_only_the_people_who_fit_about_equally() -> None:
    alike = [Person(n, "Мельничук", "Ігор", "Петрович", None, label=f"M{n}") for n in (1, 2, 3)]
    weaker = Person(4, "Мельничук", "Ігор", "Павлович", date(1970, 2, 3), label="M4")
    index = RegistryIndex([*alike, weaker, *crowd(3000)])

    decision = decide(Entry(1, "Мельничук Ігор Петрович", birth_date=date(1985, 1, 1)), index)

    assert decision.outcome is Outcome.CONFLICT
    assert len(decision.candidates) == 4  # the weaker one is still shown
    assert decision.explanation.startswith("Conflict: 3 registry people fit about equally.")
