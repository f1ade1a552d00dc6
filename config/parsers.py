"""The API's one body parser: JSON (a release list's file is multipart, on its own view).

A module of its own because DRF imports it while building its views, which ``config.api``
imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class JsonParser(JSONParser):
    """JSON whose every string is text: ``"\\ud800"`` is valid JSON but no character, one that
    no UTF-8 database, log or digest can hold (a 500 when first written). Refused, 400."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        return text_only(super().parse(stream, media_type, parser_context))


def text_only(data: Any) -> Any:
    """``data`` as parsed, once every string in it is known to be text; 400 if one is not."""
    try:
        _encode_strings(data)
    except UnicodeEncodeError as error:
        message = gettext("The JSON holds a lone surrogate, which is no character.")
        raise exceptions.ParseError(message) from error
    return data


def _encode_strings(value: Any) -> None:
    if isinstance(value, str):
        value.encode()
    elif isinstance(value, dict):
        for key, inner in value.items():
            key.encode()
            _encode_strings(inner)
    elif isinstance(value, list):
        for inner in value:
            _encode_strings(inner)
