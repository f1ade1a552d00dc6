"""Sentences about the person sought, in the form their sex takes.

English says "came home" of anyone; Ukrainian says "повернувся" of a man, "повернулася" of a
woman, and of someone whose sex the registry does not know, words that name none ("повернення
додому підтверджено"). Each sentence is written once per sex, in a context of its own, so that
translators give each its form. The sex is the registry's (``Inquiry.sought_sex``).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from captives.models import Sex
from exchanges.models import Transfer

Sexed = dict[str, Promise]

# On the relative's status page and the caseworker's inquiry page.
CAME_HOME_ON: Sexed = {
    Sex.MALE: pgettext_lazy(
        "sentence about a man", "Came home on %(day)s, in phase %(number)s of “%(exchange)s”."
    ),
    Sex.FEMALE: pgettext_lazy(
        "sentence about a woman", "Came home on %(day)s, in phase %(number)s of “%(exchange)s”."
    ),
    Sex.UNKNOWN: pgettext_lazy(
        "sentence about a person of unknown sex",
        "Came home on %(day)s, in phase %(number)s of “%(exchange)s”.",
    ),
}

# The messages to relatives; %(name)s is the name they wrote, filled in last.
NAMED_CAME_HOME_ON: Sexed = {
    Sex.MALE: pgettext_lazy(
        "sentence about a man",
        "%(name)s came home on %(day)s, in phase %(number)s of “%(exchange)s”. "
        "A caseworker will contact you.",
    ),
    Sex.FEMALE: pgettext_lazy(
        "sentence about a woman",
        "%(name)s came home on %(day)s, in phase %(number)s of “%(exchange)s”. "
        "A caseworker will contact you.",
    ),
    Sex.UNKNOWN: pgettext_lazy(
        "sentence about a person of unknown sex",
        "%(name)s came home on %(day)s, in phase %(number)s of “%(exchange)s”. "
        "A caseworker will contact you.",
    ),
}
NAMED_CAME_HOME: Sexed = {
    Sex.MALE: pgettext_lazy(
        "sentence about a man", "%(name)s has come home. A caseworker will contact you."
    ),
    Sex.FEMALE: pgettext_lazy(
        "sentence about a woman", "%(name)s has come home. A caseworker will contact you."
    ),
    Sex.UNKNOWN: pgettext_lazy(
        "sentence about a person of unknown sex",
        "%(name)s has come home. A caseworker will contact you.",
    ),
}


def said_of(sentences: Sexed, sex: str) -> str:
    """The sentence in the active language, in the form of this sex (neutral if unknown)."""
    return str(sentences.get(sex, sentences[Sex.UNKNOWN]))


def homecoming_words(home: Transfer) -> dict[str, object]:
    """The values a sentence about a return is written with: the handover day, the phase."""
    day = home.returned_on
    return {
        "day": f"{day:%d.%m.%Y}" if day else "",
        "number": home.phase.number,
        "exchange": home.phase.exchange.name,
    }


def came_home(home: Transfer, sex: str) -> str:
    """“Came home on 12.12.2026, in phase 2 of …”, said of this person."""
    return said_of(CAME_HOME_ON, sex) % homecoming_words(home)
