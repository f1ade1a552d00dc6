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
    # The Ukrainian spelling of every form's fine key (Дмитрий → Дмитро, Yurievna → Юріївна):
    # how the registry writes a name a list gives in Russian or Latin letters.
    ukrainian_given: dict[str, str] = field(default_factory=dict)
    ukrainian_patronymics: dict[str, str] = field(default_factory=dict)
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

    def ukrainian_given_name(self, token: str) -> str | None:
        """The Ukrainian spelling of a given name in any script, None for one the book lacks."""
        return self.ukrainian_given.get(fine_key(token))

    def ukrainian_patronymic(self, token: str) -> str | None:
        return self.ukrainian_patronymics.get(fine_key(token))


def _by_group(forms: dict[str, NameForm]) -> dict[str, tuple[str, ...]]:
    spellings: dict[str, list[str]] = {}
    for key, form in forms.items():
        spellings.setdefault(form.group, []).append(key)
    return {group: tuple(keys) for group, keys in spellings.items()}


def _forms(cell: str) -> list[str]:
    return [form for form in cell.split("|") if form]


def _column(row: list[str], column: int) -> list[str]:
    return _forms(row[column]) if len(row) > column else []


@lru_cache(maxsize=1)
def name_book() -> NameBook:
    given: dict[str, NameForm] = {}
    patronymics: dict[str, NameForm] = {}
    ukrainian_given: dict[str, str] = {}
    ukrainian_patronymics: dict[str, str] = {}
    with DATA_FILE.open(encoding="utf-8") as source:
        lines = (line for line in source if line.strip() and not line.startswith("#"))
        for row in csv.reader(lines, delimiter="\t"):
            ukrainian, russian = _forms(row[1]), _forms(row[2])
            group = fine_key(ukrainian[0])
            for form in ukrainian:
                given.setdefault(fine_key(form), NameForm(group, russian=False))
                ukrainian_given.setdefault(fine_key(form), form)
            for form in russian:
                given.setdefault(fine_key(form), NameForm(group, russian=True))
                ukrainian_given.setdefault(fine_key(form), ukrainian[0])
            for column, is_russian in ((3, False), (4, False), (5, True), (6, True)):
                for form in _column(row, column):
                    patronymics.setdefault(fine_key(form), NameForm(group, russian=is_russian))
            # A son's patronymic is in columns 3 (Ukrainian) and 5 (Russian), a daughter's in 4
            # and 6: a Russian form is written as the first Ukrainian one of its pair.
            for native, russian_column in ((3, 5), (4, 6)):
                own = _column(row, native)
                for form in own:
                    ukrainian_patronymics.setdefault(fine_key(form), form)
                for form in _column(row, russian_column) if own else []:
                    ukrainian_patronymics.setdefault(fine_key(form), own[0])
    return NameBook(
        given=given,
        patronymics=patronymics,
        ukrainian_given=ukrainian_given,
        ukrainian_patronymics=ukrainian_patronymics,
    )
