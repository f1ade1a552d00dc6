"""Page links that keep the filters the reader chose."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], number: int) -> str:
    """The current query string with only the page number changed (``?outcome=review&page=2``)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return str(query.urlencode())
