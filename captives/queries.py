"""Reads over the registry. The ranked search in any script arrives with the matching engine."""

from __future__ import annotations

from functools import reduce
from operator import and_

from django.db.models import Q

from captives.models import Captive, CaptiveQuerySet


def search_by_name(query: str) -> CaptiveQuerySet:
    """Captives whose name or a known spelling contains every word of ``query``."""
    words = query.split()
    if not words:
        return Captive.objects.none()
    conditions = [
        Q(family_name__icontains=word)
        | Q(given_name__icontains=word)
        | Q(patronymic__icontains=word)
        | Q(spellings__full_name__icontains=word)
        for word in words
    ]
    return Captive.objects.filter(reduce(and_, conditions)).distinct()
