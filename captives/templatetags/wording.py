"""History's stored English reasons and sources, said in the reader's language."""

from __future__ import annotations

from django import template

from captives.wording import shown

register = template.Library()


@register.filter(name="shown")
def shown_filter(text: str | None) -> str:
    return shown(text) if text else ""
