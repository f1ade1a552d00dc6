"""Names as people type them: the one limit every way a name comes in applies.

The engine reads at most ``MAX_NAME_WORDS`` words of a name whatever the caller (the rest is
ignored, so a hostile name costs no more than a real one); where a person types the name, a
longer one is refused instead, naming the limit, so that nobody is matched on part of a name.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from captives.matching import MAX_NAME_WORDS, name_words


def name_words_refusal(full_name: str) -> str | None:
    """Why a typed name is refused for its length in words, or None when it is not."""
    if name_words(full_name) <= MAX_NAME_WORDS:
        return None
    return _("A name has at most %(most)s words.") % {"most": MAX_NAME_WORDS}


def validate_name_words(full_name: str) -> str:
    """A form's or serializer's check of a typed name: the name, or a ValidationError."""
    refusal = name_words_refusal(full_name)
    if refusal:
        raise ValidationError(refusal, code="too_many_words")
    return full_name
