"""Relatives' phone numbers, kept as an SMS provider takes them: E.164 (``+380671234567``).

Relatives write a Ukrainian number as they dial it (``067 123 45 67``, ``(067) 123-45-67``,
``380671234567``, ``+38 067…``); a number of another country needs its country code
(``+48 22 123 45 67``, or ``0048…`` as dialled from Ukraine). Google's libphonenumber
(``phonenumbers``) reads them all, with Ukraine the country of a number that names none, and
says whether the result is a number in use there. The model field keeps the E.164 form; its form
field reads any of these and says what is wrong by the field.
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "UA"
NOT_A_PHONE_NUMBER = _(
    "Enter the phone number in full: a Ukrainian one as you dial it (067 123 45 67), "
    "any other with its country code (+48 22 123 45 67)."
)
# Digits and what people write between them. No letters: libphonenumber would read "FLOWERS"
# as keypad digits, and "ext. 5" as an extension, which no SMS reaches.
_WRITTEN = re.compile(r"[+\d\s().\-]+")


def e164(text: str, *, region: str = DEFAULT_REGION) -> str:
    """The number written in ``text``, in E.164; ``ValueError`` if it is not a valid one."""
    if not _WRITTEN.fullmatch(text):
        raise ValueError("Only digits, spaces, brackets, dashes, dots and a leading plus.")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as unreadable:
        raise ValueError(str(unreadable)) from unreadable
    if not phonenumbers.is_valid_number(number):
        raise ValueError("No country uses a number of this length and prefix.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value: str) -> None:
    """Stored numbers are in E.164 already (the form field wrote them so)."""
    try:
        valid = e164(value) == value
    except ValueError:
        valid = False
    if not valid:
        raise ValidationError(NOT_A_PHONE_NUMBER, code="invalid_phone")


class PhoneNumberFormField(forms.CharField):
    """Text as a relative writes a number, cleaned to E.164."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        try:
            return e164(text)
        except ValueError as wrong:
            raise ValidationError(NOT_A_PHONE_NUMBER, code="invalid_phone") from wrong


class PhoneNumberField(models.CharField):  # type: ignore[type-arg]
    """A phone number in E.164. Every form of the model (the relative's, the admin's) reads the
    ways people write one; anything else writing it passes E.164."""

    description = "A phone number in E.164"
    default_validators = [validate_e164]

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or PhoneNumberFormField,
            choices_form_class=choices_form_class,
            **kwargs,
        )
