"""History's stored English reasons and sources, said in the reader's language; a history row's
status, in the form the person's sex takes."""

from __future__ import annotations

from typing import Any

from django import template

from captives.models import status_label
from captives.wording import shown

register = template.Library()


@register.filter(name="shown")
def shown_filter(text: str | None) -> str:
    return shown(text) if text else ""


@register.filter
def status_of(record: Any) -> str:
    """A captive's (or a history row's) status, said of them."""
    return status_label(record.status, record.sex)
