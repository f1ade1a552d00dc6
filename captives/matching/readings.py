"""Keys for names, and the ways a list's full name can be read as family, given, patronymic."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import permutations

from captives.matching.keys import coarse_key, fine_key, tokens
from captives.matching.names import NameBook


@dataclass(frozen=True, slots=True, eq=False)
class NameKeys:
    """One name part as written, with its keys and (for given names and patronymics) group.

    Made only through the cached constructors below, so one spelling is one object: identity is
    equality, and hashing one for the comparison memo costs nothing.
    """

    raw: str
    fine: str
    coarse: str
    group: str
    russian: bool
    spellings: tuple[str, ...] = ()  # every known form of the group, for typos within a form

    def __reduce__(self) -> tuple[type[NameKeys], tuple[object, ...]]:
        # Unpickled by one call, not a setattr per field: an index's file holds thousands.
        return NameKeys, tuple(getattr(self, field.name) for field in fields(self))


@dataclass(frozen=True, slots=True)
class Reading:
    """One way of reading a name: which token is the family name, which the given name…"""

    family: NameKeys
    given: NameKeys | None
    patronymic: NameKeys | None


EMPTY = ""
# A name is read from at most this many words; the rest is ignored. A Ukrainian full name has
# three (family, given, patronymic); a spaced double surname, a double given name, a Turkic
# patronymic ("Гусейн огли") or the name written again in another script add a few. Eight is
# beyond any real name, and where a person types a name (the inquiry form, the API, the search
# box, a list's row) a longer one is refused with this limit named (``captives.names``).
MAX_NAME_WORDS = 8
# The readings of one name are bounded whatever its words, so that a hostile name costs a few
# dozen readings and no more (the count grew as patronymic-like words x other words squared):
# only the first two patronymic-like words are tried as the patronymic (two cover a surname that
# ends like one, Петрович Іван Степанович), and only the first four other words take the family
# or given slot; any further word joins the family name, as a third one always did.
MAX_PATRONYMICS_TRIED = 2
MAX_SLOT_WORDS = 4
MAX_READINGS = MAX_PATRONYMICS_TRIED * MAX_SLOT_WORDS * (MAX_SLOT_WORDS - 1)


@lru_cache(maxsize=300_000)
def family_keys(raw: str) -> NameKeys:
    fine = fine_key(raw)
    return NameKeys(raw, fine, coarse_key(raw), fine, False)


@lru_cache(maxsize=100_000)
def given_keys(raw: str, book: NameBook) -> NameKeys:
    fine = fine_key(raw)
    form = book.given_form(fine)
    spellings = book.given_spellings.get(form.group, ())
    return NameKeys(raw, fine, coarse_key(raw), form.group, form.russian, spellings)


@lru_cache(maxsize=100_000)
def patronymic_keys(raw: str, book: NameBook) -> NameKeys:
    fine = fine_key(raw)
    form = book.patronymic_form(fine)
    spellings = book.patronymic_spellings.get(form.group, ())
    return NameKeys(raw, fine, coarse_key(raw), form.group, form.russian, spellings)


def reading_of_parts(family: str, given: str, patronymic: str, book: NameBook) -> Reading:
    return Reading(
        family=family_keys(family),
        given=given_keys(given, book) if given else None,
        patronymic=patronymic_keys(patronymic, book) if patronymic else None,
    )


def readings_of(full_name: str, book: NameBook) -> tuple[Reading, ...]:
    """Every plausible reading of a full name whose order is unknown.

    A token that looks like a patronymic is read as one; of the others, each may be the family
    name, the next the given name, and any third token joins the family name (double surnames).
    Readings that put a known given name in the family slot come last, so ties keep the likely one.
    However long the name, there are at most ``MAX_READINGS`` of them, each of at most
    ``MAX_NAME_WORDS`` words.
    """
    parts = tokens(full_name)[:MAX_NAME_WORDS]
    if not parts:
        return ()
    if len(parts) == 1:
        return (reading_of_parts(parts[0], EMPTY, EMPTY, book),)
    patronymics = [t for t in dict.fromkeys(parts) if book.looks_like_patronymic(t)]
    patronymics = patronymics[:MAX_PATRONYMICS_TRIED]
    found: list[Reading] = []
    if not patronymics and len(parts) == 3:
        found.extend(_readings_without_recognised_patronymic(list(parts), book))
    else:
        # A surname may end like a patronymic (Петрович, Костович): with two words, also read
        # them as family and given name.
        candidates = [*patronymics, EMPTY] if len(parts) == 2 else patronymics or [EMPTY]
        for patronymic in candidates:
            rest = [t for t in parts if t != patronymic]
            found.extend(_readings_around(rest, patronymic, book))
    found.sort(key=lambda r: book.is_given_name(r.family.fine))
    return tuple(dict.fromkeys(found))[:MAX_READINGS]


def _readings_around(rest: list[str], patronymic: str, book: NameBook) -> list[Reading]:
    if not rest:
        return [reading_of_parts(patronymic, EMPTY, EMPTY, book)]
    found = []
    for order in permutations(rest[:MAX_SLOT_WORDS], min(len(rest), 2)):
        family = " ".join([order[0], *[t for t in rest if t not in order]])
        given = order[1] if len(order) > 1 else EMPTY
        found.append(reading_of_parts(family, given, patronymic, book))
    return found


def _readings_without_recognised_patronymic(rest: list[str], book: NameBook) -> list[Reading]:
    """Three tokens and no recognisable patronymic (a typo in it): F G P, G P F, G F P."""
    first, second, third = rest
    return [
        reading_of_parts(first, second, third, book),
        reading_of_parts(third, first, second, book),
        reading_of_parts(second, first, third, book),
    ]


def name_words(full_name: str) -> int:
    """How many words a name has, as the readings count them (words with a letter)."""
    return len(tokens(full_name))


def split_full_name(full_name: str, book: NameBook) -> tuple[str, str, str]:
    """The likeliest family name, given name and patronymic of a name written in one field."""
    found = readings_of(full_name, book)
    if not found:
        return full_name, "", ""
    first = found[0]
    return (
        first.family.raw,
        first.given.raw if first.given else "",
        first.patronymic.raw if first.patronymic else "",
    )
