"""The API's JSON is DRF's, written faster: orjson's output against DRF's own renderer."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from captives.lifecycle import Status
from config.renderers import OrjsonRenderer

KYIV = ZoneInfo("Europe/Kyiv")
SHAPE = serializers.Serializer[Any]()  # what ReturnDict and ReturnList name as their source


@pytest.mark.parametrize(
    "value",
    [
        "Шевченко Олександр Петрович",
        'quote " backslash \\ newline \n tab \t control \x01 delete \x7f slash / emoji 😀',
        "line separator \u2028 and paragraph separator \u2029",  # escaped, as DRF does
        mark_safe("<b>safe</b>"),
        gettext_lazy("Not found."),
        dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),  # DRF writes Z
        dt.datetime(2026, 7, 2, 3, 4, 5, 120, tzinfo=KYIV),
        dt.datetime(2026, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        dt.date(2026, 1, 2),
        dt.time(1, 2, 3, 4),
        dt.timedelta(seconds=90),
        Decimal("1.50"),
        uuid.UUID("31acdb38-4d85-4a3f-be32-c7b059613e4d"),
        Status.RETURNED,
        [0.1, 1.5, 100.0, 0.999999, 12345678.9, 0, -1, 2**62, True, None],
        (1, "two"),
        frozenset(),
        {1: "an int key", None: "a None key"},
        ReturnDict({"results": ReturnList([{"a": 1}], serializer=SHAPE)}, serializer=SHAPE),
    ],
)
def test_orjson_writes_what_drf_writes(value: Any) -> None:
    data = {"value": value}

    assert OrjsonRenderer().render(data) == JSONRenderer().render(data)


def test_indented_json_and_no_body_are_left_to_drf() -> None:
    data = {"a": [1, 2]}

    indented = OrjsonRenderer().render(data, "application/json; indent=2")

    assert indented == JSONRenderer().render(data, "application/json; indent=2")
    assert b"\n  " in indented
    assert OrjsonRenderer().render(None) == b""
