"""A list's entry as the registry writes it: its name in Ukrainian, its unit's code in Cyrillic.

The other side writes "Гнатюк Дмитрий Юрьевич, в/ч A1019" (Russian forms, a Latin A); the
registry keeps "Гнатюк Дмитро Юрійович", "А1019". A reviewer recording such a person starts
from the registry's form instead of retyping three fields:

1. The full name is read as the engine reads it (``split_full_name``): family, given name,
   patronymic, whatever their order.
2. The given name and the patronymic become the name book's Ukrainian form, from any script
   (Дмитрий, Dmitriy and Dmytro are all Дмитро; Юрьевна is Юріївна). A name the book lacks
   stays as written.
3. The family name keeps its letters, but for those Ukrainian lacks (ы, э, ё, ъ): how Russian
   spells a Ukrainian surname's vowels is not a rule, and the reviewer sees the field. One in
   capitals (ГНАТЮК) is written as the registry does (Гнатюк).
4. A unit loses the "в/ч" some clerks write before it; a code of letters and digits has its
   Latin look-alike letters made Cyrillic (A1019 → А1019), as the registry writes them.
"""

from __future__ import annotations

import re

from captives.matching.model import UNIT_PREFIX
from captives.matching.names import NameBook
from captives.matching.readings import split_full_name

# Russian letters Ukrainian does not have, as Ukrainian writes the same sounds.
_RUSSIAN_ONLY = str.maketrans({"ы": "и", "Ы": "И", "э": "е", "Э": "Е", "ъ": "ʼ", "Ъ": "ʼ"})
_YO_AFTER_CONSONANT = re.compile(r"(?<=[бвгґджзклмнпрстфхцчшщ])ё")
_YO = str.maketrans({"ё": "йо", "Ё": "Йо"})

# Latin capitals that look like Cyrillic ones: a unit's letter typed on the wrong layout.
_LOOKALIKES = str.maketrans("ABCEHIKMOPTXY", "АВСЕНІКМОРТХУ")
_CYRILLIC_CAPITALS = frozenset("АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ")
_UNIT_CODE = re.compile(r"([^\W\d_]{1,3})[\s-]*(\d+)")


def ukrainian_name(full_name: str, book: NameBook) -> tuple[str, str, str]:
    """Family name, given name and patronymic of a name in one field, in Ukrainian."""
    return ukrainian_parts(*split_full_name(full_name, book), book=book)


def ukrainian_parts(
    family: str, given: str, patronymic: str, *, book: NameBook
) -> tuple[str, str, str]:
    """The parts of a name a list gives separately, in Ukrainian."""
    return (
        ukrainian_surname(family),
        (book.ukrainian_given_name(given) or _not_in_capitals(given)) if given else "",
        (book.ukrainian_patronymic(patronymic) or _not_in_capitals(patronymic))
        if patronymic
        else "",
    )


def ukrainian_surname(family: str) -> str:
    """Ковалёв → Ковальов, Сыч → Сич."""
    softened = _YO_AFTER_CONSONANT.sub("ьо", _not_in_capitals(family))
    return softened.translate(_YO).translate(_RUSSIAN_ONLY)


def _not_in_capitals(part: str) -> str:
    """ГНАТЮК-ШЕВЧЕНКО → Гнатюк-Шевченко, as the registry writes names."""
    if not part.isupper():
        return part
    return "-".join(word.capitalize() for word in part.split("-"))


def registry_unit(unit: str) -> str:
    """A military unit as the registry writes it: "в/ч A1019" → "А1019" (a Cyrillic А)."""
    code = " ".join(UNIT_PREFIX.sub("", unit).split())
    found = _UNIT_CODE.fullmatch(code)
    if found is None:
        return code
    letters, digits = found[1].upper(), found[2]
    cyrillic = letters.translate(_LOOKALIKES)
    if not set(cyrillic) <= _CYRILLIC_CAPITALS:
        return code  # a Latin code that is not a look-alike (a foreign unit): as written
    return cyrillic + digits
