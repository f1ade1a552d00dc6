"""Form widgets every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, its value always ISO 8601 (2026-11-05).

    ``<input type="date">`` takes no other format: given the Ukrainian page's 05.11.2026 the
    browser shows an empty field and submits nothing, so a pre-filled date is lost on save. What
    the person sees is the browser's own rendering, in their locale, whatever the value's form.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
