"""Whom relatives call or write to: the tracing service's contact, as links."""

from __future__ import annotations

import re

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def tracing_contact() -> SafeString:
    """The contact as links, "0 800 000 001 or tracing@…": ``TRACING_PHONE``, ``TRACING_EMAIL``."""
    links = []
    if settings.TRACING_PHONE:
        dial = re.sub(r"[^\d+]", "", settings.TRACING_PHONE)
        links.append((f"tel:{dial}", settings.TRACING_PHONE))
    if settings.TRACING_EMAIL:
        links.append((f"mailto:{settings.TRACING_EMAIL}", settings.TRACING_EMAIL))
    return format_html_join(format_html(" {} ", gettext("or")), '<a href="{}">{}</a>', links)
