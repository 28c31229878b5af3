"""Charts drawn on the server as SVG: horizontal bars, each labelled with its value, so the
chart reads without script and matches the table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 200
WIDTH = 560


def bar_chart(rows: Sequence[tuple[str, float]], title: str) -> SafeString:
    """An accessible SVG bar chart of (label, value) rows: a title, and each bar with its
    label and value as text (the numbers are the table's)."""
    top = max((value for _label, value in rows), default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    room = WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = max(1.0, room * value / top) if value else 0.0
        shown = f"{value:g}"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label[:32])}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'class="chart__bar" data-value="{shown}"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}" font-size="12" '
            f'class="chart__value">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
