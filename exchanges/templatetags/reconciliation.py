"""The engine's decisions in the reader's language: its reason code and each field's level."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from exchanges.models import ReleaseListRow, same_as_text

register = template.Library()

REASONS = {
    "no_candidate": _(
        "Nobody in the registry has a surname spelled like this one, or a letter away, "
        "together with its given name, patronymic or year of birth."
    ),
    "matched": _("Matched: the name and an identifying field agree, and nobody else fits."),
    "contradicted": _(
        "Unmatched: the closest person's date of birth contradicts the list (a namesake)."
    ),
    "unlikely": _(
        "Unmatched: someone we do not hold (a stranger, or a namesake of someone we do) fits "
        "the row better than anyone in the registry."
    ),
    "review": _("Plausible but not certain: a person decides."),
    "name_only": _(
        "Only the name can be compared: the row gives no date of birth, unit or service "
        "number, and a name alone never decides."
    ),
    "unconfirmed": _(
        "The name fits, but nothing else in the row confirms it: the registry lacks the "
        "row's date of birth, unit or service number, or they differ."
    ),
    "final": _("Conflict: this person is already recorded as returned or dead."),
    "namesakes": _(
        "Conflict: namesakes fit about equally and the row gives nothing to tell them apart."
    ),
    "equal": _("Conflict: several registry people fit about equally."),
    "duplicate": _("Conflict: another line of this list claims the same person."),
}
FIELDS = {
    "family": _("family name"),
    "given": _("given name"),
    "patronymic": _("patronymic"),
    "birth_date": _("date of birth"),
    "military_unit": _("military unit"),
    "service_number": _("service number"),
}
LEVELS = {
    "same": _("agrees"),
    "form": _("Russian form of the same name"),
    "variant": _("spelling variant"),
    "typo": _("one typo"),
    "similar": _("similar spelling"),
    "different": _("differs"),
    "swapped": _("day and month swapped"),
    "year": _("year off by one"),
    "digit": _("one digit differs"),
}


UNREADABLE = {
    "no_name": _("no name"),
    "too_long": _("the name is too long to be one"),
    "not_a_name": _("“%(value)s” is not a name"),
}


@register.simple_tag
def unreadable_text(item: dict[str, Any]) -> str:
    """Why a line of a list could not be read, in the reader's language."""
    text = UNREADABLE.get(item.get("code", ""), _("cannot be read"))
    return str(text) % {"value": item.get("value", "")}


@register.simple_tag
def reason_text(row: ReleaseListRow) -> str:
    return str(REASONS.get(row.reason, row.explanation))


@register.simple_tag
def same_as(other: ReleaseListRow, row: ReleaseListRow) -> str:
    """“Same person as line 8” (of list 12, if another), offered on ``row``'s review page."""
    return same_as_text(other, row.release_list_id)


@register.simple_tag
def reason_label(code: str) -> str:
    """A reason code in the reader's language, for summaries that have no row at hand."""
    return str(REASONS.get(code, code or _("No reason recorded")))


@register.simple_tag
def agreement_text(agreement: dict[str, Any]) -> str:
    field = FIELDS.get(agreement["field"], agreement["field"])
    level = LEVELS.get(agreement["level"], agreement["level"])
    return f"{field}: {level} ({agreement['detail']}, {agreement['weight']:+.1f})"
