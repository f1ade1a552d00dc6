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


def _colour(selector: str) -> str:
    found = re.search(r"(?<![-\w])color:\s*([^;}]+)", _rule(selector))
    assert found is not None, selector
    return _colours(found[1])[0]


def test_the_counts_differ_marker_reads_4_5_to_1_on_its_yellow() -> None:
    ratio = contrast(_colour(".differs"), _background(".differs"))

    assert ratio >= 4.5, f"{ratio:.2f}:1"


def test_charts_are_never_shown_wider_than_drawn_so_their_text_keeps_its_size() -> None:
    """exchanges/charts.py sizes its text for a chart at most 460 px wide (12 px on a phone)."""
    from exchanges.charts import BAR_WIDTH, TIMELINE_WIDTH

    assert "max-width: 460px" in _rule(".chart")
    assert TIMELINE_WIDTH == BAR_WIDTH + 120 == 460


def test_every_table_of_the_pages_stacks_on_a_phone() -> None:
    """No column hides behind a sideways scroll at 390 px: each table stacks its rows (the
    admin's and its history's are Django's own)."""
    templates = Path(settings.BASE_DIR) / "templates"
    flat = [
        f"{path.relative_to(templates)}: {tag}"
        for path in templates.rglob("*.html")
        if path.parts[len(templates.parts)] not in {"admin", "simple_history"}
        for tag in re.findall(r"<table[^>]*>", path.read_text())
        if "stacked" not in tag
    ]

    assert not flat
