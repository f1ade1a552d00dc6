"""How history says why a record changed and where a fact came from, in the reader's language.

History rows are append-only and outlive the language of the page that wrote them, so reasons
and sources are stored in English, written from the wordings below. A page shows a stored text
by finding the wording it was written from and translating that, the values read back out of
the text (and shown the same way in turn). What an official typed, and any text no wording
fits, is shown as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext, gettext_noop

_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")  # a %(name)s, once re.escape()d


@dataclass(frozen=True)
class Wording:
    message: str  # English, with %(name)s placeholders; in the translators' catalogue

    def __call__(self, **values: object) -> str:
        """The text to store, in English."""
        return self.message % values if values else self.message

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        return re.compile(_PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(self.message)))

    def read(self, text: str) -> dict[str, str] | None:
        """The values a text written from this wording holds, or None if it is not one."""
        found = self._pattern.fullmatch(text)
        return None if found is None else found.groupdict()


LISTED_IN_PHASE = Wording(gettext_noop("Listed for exchange in phase %(number)s"))
LISTED_FROM = Wording(gettext_noop("Listed from %(source)s"))
CAME_HOME = Wording(gettext_noop("Came home in phase %(number)s"))
CAME_HOME_ON = Wording(gettext_noop("Came home on %(day)s, in phase %(number)s"))
RETURN_CONFIRMED = Wording(gettext_noop("Return confirmed in phase %(number)s"))
NO_LONGER_NAMED = Wording(gettext_noop("No longer named by the lists of phase %(number)s"))
SEEN_BY_A_RETURNEE = Wording(gettext_noop("Seen in captivity by a returnee"))
SEEN_BY = Wording(gettext_noop("Seen by %(reporter)s at %(facility)s"))
REGISTERED_FROM = Wording(gettext_noop("Registered from %(source)s"))
REGISTRY_IMPORT = Wording(gettext_noop("Registry import: %(source)s"))
MERGE = Wording(gettext_noop("Merge: %(reason)s"))
MERGED_INTO = Wording(gettext_noop("Merged into %(name)s: %(reason)s"))
MERGE_UNDONE = Wording(gettext_noop("Merge undone"))
LINE_BY_REVIEW = Wording(gettext_noop("Line %(line)s of list %(list)s, by review"))
LINE_OF_LIST = Wording(gettext_noop("Line %(line)s of list %(list)s"))
# Written before lists were named by their number: the list as its page named it then.
LINE_OF = Wording(gettext_noop("Line %(line)s of %(list)s"))

# The demo's history (demo/), written to read like real work.
DEMO_OUR_REGISTRY = Wording(gettext_noop("Registry import, demo"))
DEMO_THEIR_PEOPLE = Wording(gettext_noop("Prisoners we hold, demo"))
REPORTED_MISSING = Wording(gettext_noop("Reported missing by the unit"))
CONFIRMED_BY_ICRC = Wording(gettext_noop("Confirmed by an ICRC visit"))
ON_THEIR_LIST = Wording(gettext_noop("On the other side's release list"))
ON_OUR_LIST = Wording(gettext_noop("On our release list"))
HELD_BY_US = Wording(gettext_noop("Held by our side"))
HANDED_OVER = Wording(gettext_noop("Handed over in the exchange"))
CAME_HOME_IN_THE_EXCHANGE = Wording(gettext_noop("Came home in the exchange"))
DEATH_CONFIRMED = Wording(gettext_noop("Death confirmed by the ombudsman"))
RELEASED_BY_AGREEMENT = Wording(gettext_noop("Released under a mediated agreement"))
HELD_AT = Wording(gettext_noop("Held at %(place)s"))
ICRC_NOTIFIED = Wording(gettext_noop("ICRC notified: held at %(place)s"))

# Tried in this order: a wording that another one's text would also fit comes first.
WORDINGS = (
    LISTED_IN_PHASE,
    LISTED_FROM,
    CAME_HOME,
    CAME_HOME_ON,
    RETURN_CONFIRMED,
    NO_LONGER_NAMED,
    SEEN_BY_A_RETURNEE,
    SEEN_BY,
    REGISTERED_FROM,
    REGISTRY_IMPORT,
    MERGE,
    MERGED_INTO,
    MERGE_UNDONE,
    LINE_BY_REVIEW,
    LINE_OF_LIST,
    LINE_OF,
    DEMO_OUR_REGISTRY,
    DEMO_THEIR_PEOPLE,
    REPORTED_MISSING,
    CONFIRMED_BY_ICRC,
    ON_THEIR_LIST,
    ON_OUR_LIST,
    HELD_BY_US,
    HANDED_OVER,
    CAME_HOME_IN_THE_EXCHANGE,
    DEATH_CONFIRMED,
    RELEASED_BY_AGREEMENT,
    ICRC_NOTIFIED,
    HELD_AT,
)


def shown(text: str) -> str:
    """A stored reason or source in the active language."""
    for wording in WORDINGS:
        values = wording.read(text)
        if values is not None:
            translated = gettext(wording.message)
            return translated % {k: shown(v) for k, v in values.items()} if values else translated
    return text
