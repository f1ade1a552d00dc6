"""The engine's decisions on a list's rows in the reader's language: the reason code, and the
whole account (``captives.reasons``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from captives.matching.explain import account
from captives.reasons import Told, stored_candidate, told
from exchanges.models import Outcome, ReleaseListRow, same_as_text
from exchanges.reconciliation import entry_of

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
    "other_name": _(
        "Unmatched: the closest person shares the row's date of birth, unit or service "
        "number, but bears another surname or father's name: however much else agrees, "
        "someone else."
    ),
    "unlikely": _(
        "Unmatched: someone we do not hold (a stranger, or a namesake of someone we do) fits "
        "the row better than anyone in the registry."
    ),
    "review": _("Plausible but not certain: a person decides."),
    "other_given": _(
        "A date of birth, unit or service number agrees, but the given name is another, not "
        "a misspelling: a brother or sister (twins share all the rest) or a clerk's slip. A "
        "person decides."
    ),
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
def full_explanation(row: ReleaseListRow) -> Told:
    """The engine's whole account of a row's decision, in the reader's language."""
    candidates = [stored_candidate(c) for c in row.candidates]
    return told(account(row.reason, candidates, entry_of(row)))


@register.filter
def outcome_label(code: str | None) -> str:
    """A row outcome's label in the reader's language, for codes stored in reports ("review");
    a code the app no longer knows is shown as it is."""
    if not code:
        return "—"
    try:
        return str(Outcome(code).label)
    except ValueError:
        return code
