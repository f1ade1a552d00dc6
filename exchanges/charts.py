"""A progress chart drawn on the server as SVG: no chart library, no script, readable without."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from exchanges.tally import Tally

BAR_WIDTH = 340  # and 120 units after it for "1000 / 1000"
ROW_HEIGHT = 54  # a label above each bar: long Ukrainian labels never collide with the bars
# Text in user units. The charts are drawn 460 units wide and shown at most 460 px wide
# (static/css/app.css): on a 390 px phone, 358 px wide, 16 units are 12.5 px, never smaller.
FONT_SIZE = 16


@dataclass(frozen=True)
class Bar:
    label: str
    done: int
    agreed: int


def progress_bars(agreed: Tally, named: Tally) -> list[Bar]:
    return [
        Bar(_("Returned: servicemen"), named.returned_servicemen, agreed.returned_servicemen),
        Bar(_("Returned: civilians"), named.returned_civilians, agreed.returned_civilians),
        Bar(
            _("Handed over: servicemen"),
            named.handed_over_servicemen,
            agreed.handed_over_servicemen,
        ),
        Bar(_("Handed over: civilians"), named.handed_over_civilians, agreed.handed_over_civilians),
    ]


def progress_svg(bars: list[Bar]) -> SafeString:
    """One horizontal bar per direction and category: named so far against agreed."""
    rows = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="0" y="16">{}</text>'
        '<rect x="0" y="24" width="{}" height="16" fill="#d0d7de"/>'
        '<rect x="0" y="24" width="{}" height="16" fill="#0057b8"/>'
        '<text x="{}" y="38">{} / {}</text></g>',
        (
            (
                n * ROW_HEIGHT,
                bar.label,
                BAR_WIDTH,
                round(BAR_WIDTH * min(bar.done / bar.agreed, 1)) if bar.agreed else 0,
                BAR_WIDTH + 8,
                bar.done,
                bar.agreed,
            )
            for n, bar in enumerate(bars)
        ),
    )
    return format_html(
        '<svg role="img" aria-labelledby="progress-title" viewBox="0 0 {} {}" class="chart"'
        ' font-size="{}"><title id="progress-title">{}</title>{}</svg>',
        BAR_WIDTH + 120,
        len(bars) * ROW_HEIGHT,
        FONT_SIZE,
        _("Named in transfers against the agreed totals"),
        rows,
    )


TIMELINE_WIDTH = 460
MARGIN = 28  # room for half a date label on either end
LABEL_GAP = 50  # a date label is about 45 units wide: phases days apart keep theirs apart
STATE_COLOURS = {"planned": "#d0d7de", "under_way": "#ffd500", "completed": "#0057b8"}
# The phase's number on its circle, at least 4.5:1 against the circle's colour.
DIGIT_COLOURS = {"planned": "#1b1f23", "under_way": "#1b1f23", "completed": "#ffffff"}


def spread(xs: list[int], *, gap: int, low: int, high: int) -> list[int]:
    """Positions in ascending order moved apart to at least ``gap`` (less only where ``low`` to
    ``high`` cannot hold them all), each as near its own as that allows."""
    if len(xs) > 1:
        gap = min(gap, (high - low) // (len(xs) - 1))
    placed: list[int] = []
    for x in xs:
        placed.append(max(x, placed[-1] + gap) if placed else x)
    for i in reversed(range(len(placed))):
        ceiling = high if i == len(placed) - 1 else placed[i + 1] - gap
        placed[i] = max(min(placed[i], ceiling), low)
    return placed


def timeline_svg(agreed_on: date, phases: list[tuple[int, date, str]]) -> SafeString:
    """The agreement's day and each phase's day on one line, phases coloured by state (and
    numbered: the colour is never the only sign). Phases days apart are drawn a label apart."""
    phases = sorted(phases, key=lambda phase: (phase[1], phase[0]))
    days = [agreed_on, *(day for _, day, _ in phases)]
    span = max((max(days) - agreed_on).days, 1)
    length = TIMELINE_WIDTH - 2 * MARGIN

    def x(day: date) -> int:
        return MARGIN + round(length * (day - agreed_on).days / span)

    xs = spread(
        [x(day) for _, day, _ in phases], gap=LABEL_GAP, low=MARGIN, high=TIMELINE_WIDTH - MARGIN
    )
    marks = format_html_join(
        "",
        '<g><circle cx="{}" cy="36" r="12" fill="{}" stroke="#1b1f23"/>'
        '<text x="{}" y="41.5" text-anchor="middle" fill="{}" font-weight="700">{}</text>'
        '<text x="{}" y="72" text-anchor="middle">{}</text></g>',
        (
            (
                at,
                STATE_COLOURS.get(state, STATE_COLOURS["planned"]),
                at,
                DIGIT_COLOURS.get(state, DIGIT_COLOURS["planned"]),
                number,
                at,
                f"{day:%d.%m}",
            )
            for at, (number, day, state) in zip(xs, phases, strict=True)
        ),
    )
    return format_html(
        '<svg role="img" aria-labelledby="timeline-title" viewBox="0 0 {} 80" class="chart"'
        ' font-size="{}"><title id="timeline-title">{}</title>'
        '<line x1="{}" y1="36" x2="{}" y2="36" stroke="#57606a"/>'
        '<rect x="{}" y="28" width="4" height="16" fill="#57606a"/>'
        '<text x="4" y="16">{} {}</text>{}</svg>',
        TIMELINE_WIDTH,
        FONT_SIZE,
        _("Phases on a timeline, from the day of the agreement"),
        MARGIN,
        TIMELINE_WIDTH - MARGIN,
        x(agreed_on) - 2,
        _("Agreed"),
        f"{agreed_on:%d.%m.%Y}",
        marks,
    )
