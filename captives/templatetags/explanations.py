"""The engine's evidence in the reader's language (``captives.reasons``), for every page that
shows candidates: a field's agreement in words, a probability as a likelihood."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from captives import reasons
from captives.matching import FieldAgreement

register = template.Library()


@register.simple_tag
def agreement_text(agreement: FieldAgreement | Mapping[str, Any]) -> str:
    """ "family name: agrees exactly (Петренко ~ Петренко) — strong evidence for"."""
    return reasons.agreement_text(agreement)


@register.filter
def likelihood(probability: float) -> str:
    """ "likelihood 97 %"."""
    return reasons.likelihood(probability)
