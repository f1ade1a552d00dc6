from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from exchanges.charts import (
    DIGIT_COLOURS,
    STATE_COLOURS,
    progress_bars,
    progress_svg,
    spread,
    timeline_svg,
)
from exchanges.tally import Tally
from tests.test_styles import contrast


def test_progress_chart_draws_named_against_agreed_and_escapes_labels() -> None:
    bars = progress_bars(Tally(700, 300, 700, 300), Tally(350, 300, 0, 600))

    svg = str(progress_svg(bars))

    assert svg.count("<rect") == 8  # a track and a fill per bar
    assert 'width="170"' in svg  # 350 of 700 is half the 340-pixel track
    assert 'width="340" height="16" fill="#0057b8"' in svg  # capped at full, never past it
    assert "350 / 700" in svg
    assert "<title" in svg


def test_timeline_places_each_phase_by_its_day() -> None:
    svg = str(
        timeline_svg(
            date(2025, 5, 16),
            [(1, date(2025, 5, 23), "completed"), (2, date(2025, 5, 25), "planned")],
        )
    )

    assert svg.count("<circle") == 2
    assert 'cx="432"' in svg  # the last phase at the end of the line
    assert 'cx="342"' in svg  # 7 of 9 days along 404 units, from 28
    assert "23.05" in svg


def test_timeline_draws_phases_days_apart_a_label_apart() -> None:
    """Phases two days apart in an agreement of months would print their dates over each other."""
    svg = str(
        timeline_svg(
            date(2025, 1, 1),
            [(1, date(2025, 5, 23), "completed"), (2, date(2025, 5, 25), "under_way"),
             (3, date(2025, 9, 1), "planned")],
        )
    )  # fmt: skip

    centres = sorted(int(x) for x in re.findall(r'<circle cx="(\d+)"', svg))
    assert all(b - a >= 50 for a, b in pairwise(centres))
    assert centres[-1] == 432


def test_spread_keeps_positions_in_bounds_even_when_crowded() -> None:
    assert spread([10, 12, 14], gap=50, low=10, high=200) == [10, 60, 110]
    assert spread([190, 195, 200], gap=50, low=10, high=200) == [100, 150, 200]
    crowded = spread([100] * 10, gap=50, low=28, high=432)
    assert crowded == sorted(crowded)
    assert crowded[0] >= 28
    assert crowded[-1] <= 432


def test_the_phase_number_reads_4_5_to_1_on_its_circle_in_every_state() -> None:
    for state, fill in STATE_COLOURS.items():
        ratio = contrast(DIGIT_COLOURS[state], fill)
        assert ratio >= 4.5, f"{state}: {DIGIT_COLOURS[state]} on {fill} is {ratio:.2f}:1"


def test_chart_text_is_at_least_12_px_on_a_390_px_phone() -> None:
    """The charts are shown at most 460 px wide; on a 390 px phone the page leaves them 358."""
    for svg in (
        str(progress_svg(progress_bars(Tally(1, 1, 1, 1), Tally()))),
        str(timeline_svg(date(2025, 1, 1), [(1, date(2025, 2, 1), "planned")])),
    ):
        width = int(re.search(r'viewBox="0 0 (\d+)', svg)[1])  # type: ignore[index]
        sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
        assert width == 460
        assert sizes
        assert min(sizes) * 358 / width >= 12
