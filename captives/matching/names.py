"""Ukrainian given names, their Russian forms and the patronymics made from them.

ICU knows how to write a letter in another script, not that Олександр is Александр in Russian:
that equivalence comes from the project's data file ``data/given_names.tsv``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from captives.matching.keys import coarse_key, fine_key

DATA_FILE = Path(__file__).with_name("data") / "given_names.tsv"
# Coarse-key endings of patronymics (-ович, -евич, -івна, -овна, -евна, -ична), so that
# "ovic" with its diacritic lost still reads as one.
PATRONYMIC_ENDINGS = ("ovic", "evic", "ivna", "ovna", "evna", "icna")


@dataclass(frozen=True)
class NameForm:
    """What the name book knows of one spelling: its group and whether it is the Russian form."""

    group: str
    russian: bool


@dataclass(frozen=True, eq=False)
class NameBook:
    given: dict[str, NameForm]
    patronymics: dict[str, NameForm]
    # Every spelling of each group, Ukrainian and Russian: a typo is looked for against each.
    given_spellings: dict[str, tuple[str, ...]] = field(init=False)
    patronymic_spellings: dict[str, tuple[str, ...]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "given_spellings", _by_group(self.given))
        object.__setattr__(self, "patronymic_spellings", _by_group(self.patronymics))

    def given_form(self, key: str) -> NameForm:
        """The group of a given name's fine key; an unknown name is its own group."""
        return self.given.get(key) or NameForm(group=f"?{key}", russian=False)

    def patronymic_form(self, key: str) -> NameForm:
        return self.patronymics.get(key) or NameForm(group=f"?{key}", russian=False)

    def looks_like_patronymic(self, token: str) -> bool:
        key = fine_key(token)
        return key in self.patronymics or (
            len(key) > 5 and coarse_key(token).endswith(PATRONYMIC_ENDINGS)
        )

    def is_given_name(self, key: str) -> bool:
        return key in self.given


def _by_group(forms: dict[str, NameForm]) -> dict[str, tuple[str, ...]]:
    spellings: dict[str, list[str]] = {}
    for key, form in forms.items():
        spellings.setdefault(form.group, []).append(key)
    return {group: tuple(keys) for group, keys in spellings.items()}


def _forms(cell: str) -> list[str]:
    return [form for form in cell.split("|") if form]


@lru_cache(maxsize=1)
def name_book() -> NameBook:
    given: dict[str, NameForm] = {}
    patronymics: dict[str, NameForm] = {}
    with DATA_FILE.open(encoding="utf-8") as source:
        lines = (line for line in source if line.strip() and not line.startswith("#"))
        for row in csv.reader(lines, delimiter="\t"):
            ukrainian, russian = _forms(row[1]), _forms(row[2])
            group = fine_key(ukrainian[0])
            for form in ukrainian:
                given.setdefault(fine_key(form), NameForm(group, russian=False))
            for form in russian:
                given.setdefault(fine_key(form), NameForm(group, russian=True))
            for column, is_russian in ((3, False), (4, False), (5, True), (6, True)):
                for form in _forms(row[column]) if len(row) > column else []:
                    patronymics.setdefault(fine_key(form), NameForm(group, russian=is_russian))
    return NameBook(given=given, patronymics=patronymics)
