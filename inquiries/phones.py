"""Relatives' phone numbers, kept as an SMS provider takes them: E.164 (``+380671234567``).

Relatives write a Ukrainian number as they dial it (``067 123 45 67``, ``(067) 123-45-67``,
``380671234567``, ``+38 067…``); a number of another country needs its country code
(``+48 512 345 678``, or ``0048…`` as dialled from Ukraine). Google's libphonenumber
(``phonenumbers``) reads them all, with Ukraine the country of a number that names none, and
says whether the result is a number in use there. The model field keeps the E.164 form; its form
field reads any of these and says what is wrong by the field. Where a relative or a partner gives
the number the news goes to by SMS (the inquiry form, the partners' API), it must be one a text
message reaches: not a landline (``takes_texts``). Numbers stored before are left as they are.
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
    "any other with its country code (+48 512 345 678)."
)
CANNOT_TAKE_TEXTS = _(
    "This number cannot receive text messages: give a mobile number, or an email address."
)
# The kinds of number a text message reaches. A fixed line does not (a Kyiv 044 number), nor
# do service numbers (toll-free, premium-rate, shared-cost, UAN, voicemail access) or pagers. Where
# the number does not tell a mobile from a fixed line (the US and Canada: FIXED_LINE_OR_MOBILE),
# it is taken; so are VoIP numbers, many of which take texts, and personal numbers, forwarded
# to whatever the person chose, often a mobile. libphonenumber's types come with the lite
# package's metadata.
_TEXTABLE = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        phonenumbers.PhoneNumberType.VOIP,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    }
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


def takes_texts(number: str) -> bool:
    """Whether a text message can reach ``number``, a valid number in E.164."""
    return phonenumbers.number_type(phonenumbers.parse(number)) in _TEXTABLE


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

    for_texts = False  # whether only a number a text message reaches will do

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        try:
            number = e164(text)
        except ValueError as wrong:
            raise ValidationError(NOT_A_PHONE_NUMBER, code="invalid_phone") from wrong
        if self.for_texts and not takes_texts(number):
            raise ValidationError(CANNOT_TAKE_TEXTS, code="invalid_phone")
        return number


class PhoneForTextsFormField(PhoneNumberFormField):
    """A number the news will go to by SMS (the relative's own form): a landline is refused. The
    admin's forms take any number, and keep those stored before: a caseworker may call one."""

    for_texts = True


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
