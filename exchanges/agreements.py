"""Exchange agreements: the one way one is recorded or corrected, by a page or anything else."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config.history import attribute_change
from exchanges.models import Exchange, Phase, Transfer
from exchanges.tally import COUNT_FIELDS, Tally

# What an official writes about an agreement; created_at and the id are the system's.
AGREEMENT_FIELDS = [
    field for field in Exchange._meta.concrete_fields if field.name not in ("id", "created_at")
]


def record_exchange(*, exchange: Exchange, by: User, reason: str, today: date) -> Exchange:
    """Save an agreement an official recorded or edited, with its history row, or nothing.

    Steps, in one transaction:
    1. the model's own validation (required fields, lengths, counts not negative);
    2. for an edit, lock the stored agreement and its phases, and keep only what changed;
    3. the rules that need other rows or the day (``_refusals``), for the changed fields only:
       an old agreement that already breaks one is not refused an unrelated correction;
    4. save with the history row; an edit that changes nothing writes nothing.

    Refusals are a ``ValidationError`` keyed by field: a form shows each beside its field, and
    the API's exception handler would answer it as field errors.
    """
    exchange.full_clean()
    with transaction.atomic():
        stored, phases = None, []
        if exchange.pk is not None:
            stored = Exchange.objects.select_for_update().get(pk=exchange.pk)
            phases = list(Phase.objects.select_for_update().filter(exchange=stored))
        changed = _changed(exchange, stored)
        if not changed:
            return exchange
        refusals = _refusals(exchange, changed, phases, today=today)
        if refusals:
            raise ValidationError(refusals)
        attribute_change(exchange, by=by, reason=reason)
        exchange.save(update_fields=None if stored is None else changed)
    return exchange


def exchange_refusals(*, exchange: Exchange, today: date) -> dict[str, list[str]]:
    """What ``record_exchange`` would refuse, by field, writing nothing: a form shows it beside
    its own errors, all at once. The service asks again under its locks."""
    stored = Exchange.objects.filter(pk=exchange.pk).first() if exchange.pk else None
    phases = list(Phase.objects.filter(exchange=stored)) if stored else []
    return _refusals(exchange, _changed(exchange, stored), phases, today=today)


def _changed(exchange: Exchange, stored: Exchange | None) -> list[str]:
    """The fields an official writes that differ from the stored agreement (all, for a new one)."""
    return [
        field.attname
        for field in AGREEMENT_FIELDS
        if stored is None or getattr(exchange, field.attname) != getattr(stored, field.attname)
    ]


def _refusals(
    exchange: Exchange, changed: list[str], phases: list[Phase], *, today: date
) -> dict[str, list[str]]:
    """What the rules of dates and counts say against the changed fields, by field."""
    refusals: dict[str, list[str]] = {}
    if "agreed_on" in changed and exchange.agreed_on is not None:  # a form's may be unreadable
        refusal = _misdated(exchange.agreed_on, phases, today=today)
        if refusal:
            refusals["agreed_on"] = [refusal]
    if not phases:
        return refusals  # nothing declared, nobody transferred: no count is too low
    declared = sum((phase.declared() for phase in phases), Tally())
    crossed = Transfer.objects.filter(
        phase__exchange=exchange, state=Transfer.State.CONFIRMED
    ).tally()
    for name in COUNT_FIELDS:
        field = f"agreed_{name}"
        if field in changed:
            refusal = _below_phases(
                getattr(exchange, field), getattr(declared, name), getattr(crossed, name)
            )
            if refusal:
                refusals[field] = [refusal]
    return refusals


def _misdated(agreed_on: date, phases: list[Phase], *, today: date) -> str | None:
    """Why an agreement's date makes no sense, or None: agreements are recorded once made, and
    each phase carries out an agreement already made."""
    if agreed_on > today:
        return _("An agreement cannot be dated in the future.")
    first = min(phases, key=lambda phase: phase.date, default=None)
    if first is not None and agreed_on > first.date:
        return _(
            "Phase %(number)s is dated %(date)s: an agreement cannot be dated after its phases."
        ) % {"number": first.number, "date": f"{first.date:%d.%m.%Y}"}
    return None


def _below_phases(agreed: int, declared: int, crossed: int) -> str | None:
    """Why an agreed count is too low, or None. People confirmed as transferred are a fact; the
    phases' declared counts are the officials' own figures, to be lowered first if they are
    wrong."""
    if agreed >= max(declared, crossed):
        return None
    if crossed > declared:
        return _(
            "Cannot be less than %(crossed)s: that many transfers have already been confirmed "
            "in this agreement's phases."
        ) % {"crossed": crossed}
    return _(
        "Cannot be less than %(declared)s: this agreement's phases already declare that many. "
        "Lower the phases' declared counts first."
    ) % {"declared": declared}
