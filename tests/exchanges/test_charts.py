from __future__ import annotations

from datetime import date

from exchanges.charts import progress_bars, progress_svg, timeline_svg
from exchanges.tally import Tally


def test_progress_chart_draws_named_against_agreed_and_escapes_labels() -> None:
    bars = progress_bars(Tally(700, 300, 700, 300), Tally(350, 300, 0, 600))

    svg = str(progress_svg(bars))

    assert svg.count("<rect") == 8  # a track and a fill per bar
    assert 'width="180"' in svg  # 350 of 700 is half the 360-pixel track
    assert 'width="360" height="16" fill="#0057b8"' in svg  # capped at full, never past it
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
    assert 'cx="440"' in svg  # the last phase at the end of the line
    assert 'cx="347"' in svg  # 7 of 9 days along 420 pixels, from 20
    assert "23.05" in svg
