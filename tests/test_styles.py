"""The style sheet's promises that a test can read: a focus indicator visible on every background
the pages use (WCAG 2.2 focus appearance: 3:1 against what it covers)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()


def _rule(selector: str) -> str:
    found = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert found is not None, selector
    return found[1]


HEX = r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b"


def _colours(declarations: str) -> list[str]:
    """The colours written in some declarations, var() resolved, as #rrggbb."""
    variables = dict(re.findall(r"(--[\w-]+):\s*(" + HEX + ")", _rule(":root")))
    named = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m[1]], declarations)
    return [
        "#" + "".join(c * 2 for c in h[1:]) if len(h) == 4 else h for h in re.findall(HEX, named)
    ]


def _background(selector: str) -> str:
    found = re.search(r"background:\s*([^;}]+)", _rule(selector))
    assert found is not None, selector
    return _colours(found[1])[0]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_of_black_on_white_is_21() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


def test_the_focus_indicator_stands_out_3_to_1_on_the_page_and_on_the_header() -> None:
    indicator = _colours(_rule(":focus-visible"))
    backgrounds = {
        "page": _background("body"),
        "header": _background(".top"),
    }

    for where, background in backgrounds.items():
        best = max(contrast(colour, background) for colour in indicator)
        assert best >= 3, f"{where}: {indicator} on {background} reaches only {best:.2f}:1"
