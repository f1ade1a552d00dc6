"""A progress chart drawn on the server as SVG: no chart library, no script, readable without."""

from __future__ import annotations

from dataclasses import dataclass

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
