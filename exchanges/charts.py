"""A progress chart drawn on the server as SVG: no chart library, no script, readable without."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from exchanges.tally import Tally

BAR_WIDTH = 360
ROW_HEIGHT = 46  # a label above each bar: long Ukrainian labels never collide with the bars


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
        '<g transform="translate(0,{})"><text x="0" y="14">{}</text>'
        '<rect x="0" y="20" width="{}" height="16" fill="#d0d7de"/>'
        '<rect x="0" y="20" width="{}" height="16" fill="#0057b8"/>'
        '<text x="{}" y="33">{} / {}</text></g>',
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
        '<svg role="img" aria-labelledby="progress-title" viewBox="0 0 {} {}" class="chart">'
        '<title id="progress-title">{}</title>{}</svg>',
        BAR_WIDTH + 100,
        len(bars) * ROW_HEIGHT,
        _("Named in transfers against the agreed totals"),
        rows,
    )


TIMELINE_WIDTH = 460
STATE_COLOURS = {"planned": "#d0d7de", "under_way": "#ffd500", "completed": "#0057b8"}


def timeline_svg(agreed_on: date, phases: list[tuple[int, date, str]]) -> SafeString:
    """The agreement's day and each phase's day on one line, phases coloured by state."""
    days = [agreed_on, *(day for _, day, _ in phases)]
    span = max((max(days) - agreed_on).days, 1)

    def x(day: date) -> int:
        return 20 + round((TIMELINE_WIDTH - 40) * (day - agreed_on).days / span)

    marks = format_html_join(
        "",
        '<g><circle cx="{}" cy="30" r="8" fill="{}" stroke="#1b1f23"/>'
        '<text x="{}" y="34" text-anchor="middle" font-size="10">{}</text>'
        '<text x="{}" y="58" text-anchor="middle">{}</text></g>',
        (
            (x(day), STATE_COLOURS.get(state, "#d0d7de"), x(day), number, x(day), f"{day:%d.%m}")
            for number, day, state in phases
        ),
    )
    return format_html(
        '<svg role="img" aria-labelledby="timeline-title" viewBox="0 0 {} 70" class="chart">'
        '<title id="timeline-title">{}</title>'
        '<line x1="20" y1="30" x2="{}" y2="30" stroke="#57606a"/>'
        '<rect x="{}" y="24" width="4" height="12" fill="#57606a"/>'
        '<text x="20" y="14">{} {}</text>{}</svg>',
        TIMELINE_WIDTH,
        _("Phases on a timeline, from the day of the agreement"),
        TIMELINE_WIDTH - 20,
        x(agreed_on) - 2,
        _("Agreed"),
        f"{agreed_on:%d.%m.%Y}",
        marks,
    )
