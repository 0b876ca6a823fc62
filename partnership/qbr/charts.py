"""The pack's trend charts: small bar charts drawn on the server as inline SVG (no script, no
CDN), so that the page, its print and the PDF (WeasyPrint) show the same picture.

Colours are SVG presentation attributes (``fill="…"``), not ``style`` attributes: the
Content-Security-Policy (``style-src 'self'``) refuses inline styles but not these, and WeasyPrint
draws an inline SVG from its own attributes only (the page's stylesheet does not reach into it).
Everything here is geometry; the template ``partnership/review_chart.html`` draws it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..scorecard import format_value

WIDTH = 260
HEIGHT = 150
TOP = 24  # room for the value over the tallest bar
BOTTOM = 22  # room for the quarter under each bar
SIDE = 6
BAR_SHARE = 0.58  # of each quarter's slot

INK = "#1f2933"
MUTED = "#52606d"
LINE = "#d9e2ec"
CURRENT = "#0b6e4f"  # the quarter of the pack
EARLIER = "#9fc9b8"  # the quarters before it
TARGET = "#b54708"


@dataclass(frozen=True)
class Bar:
    label: str  # the quarter, under the bar
    value_display: str  # over the bar ("—" when nothing was measured)
    x: float
    y: float
    width: float
    height: float
    current: bool
    label_x: float
    value_y: float
    measured: bool
    fill: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    side: str
    description: str  # the chart in words, for screen readers (and the SVG's <title>)
    bars: tuple[Bar, ...]
    baseline_y: float
    target_y: float | None
    target_display: str
    unit_note: str = ""  # the unit the bars' numbers are in, when they show the number alone
    width: int = WIDTH
    height: int = HEIGHT
    side_margin: int = SIDE
    ink: str = INK
    muted: str = MUTED
    line: str = LINE
    target_colour: str = TARGET

    @property
    def right(self) -> float:
        return self.width - self.side_margin


# Units whose words would not fit over a bar ("4 business days"): the bar shows the number, the
# caption names the unit.
UNIT_NOTES = {"days": "in days", "business_days": "in business days"}


def _bar_text(value: float | None, unit: str) -> str:
    if value is None or unit not in UNIT_NOTES:
        return format_value(value, unit)
    return f"{value:.1f}".removesuffix(".0")


def _nice_ceiling(value: float) -> float:
    """A round number at or above ``value`` (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def bar_chart(
    *,
    key: str,
    title: str,
    side: str,
    unit: str,
    points: list[tuple[str, float | None]],
    target: float | None = None,
    target_display: str = "",
) -> Chart:
    """Bars for ``points`` ([(quarter label, value or None)], oldest first; the last is the pack's
    quarter), scaled from zero to a round number over the largest value and the target; a share is
    drawn on 0–100%."""
    values = [value for _label, value in points if value is not None]
    top = 100.0 if unit == "percent" else _nice_ceiling(max([*values, target or 0, 0]) * 1.1)
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - 2 * SIDE) / max(len(points), 1)
    bar_width = slot * BAR_SHARE
    target_y = None if target is None else round(baseline - plot_height * min(target, top) / top, 1)
    bars = []
    for index, (label, value) in enumerate(points):
        current = index == len(points) - 1
        left = SIDE + index * slot + (slot - bar_width) / 2
        height = 0.0 if value is None else max(plot_height * min(value, top) / top, 1.0 if value > 0 else 0.0)
        value_y = baseline - height - 5
        if target_y is not None and target_y - 2 < value_y < target_y + 12:
            value_y = target_y - 3  # lifted clear of the target line, which would strike it through
        bars.append(
            Bar(
                label=label,
                value_display=_bar_text(value, unit),
                x=round(left, 1),
                y=round(baseline - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                current=current,
                label_x=round(left + bar_width / 2, 1),
                value_y=round(value_y, 1),
                measured=value is not None,
                fill=CURRENT if current else EARLIER,
            )
        )
    words = ", ".join(f"{label}: {format_value(value, unit)}" for label, value in points)
    description = f"{title} by quarter. {words}." + (f" Target: {target_display}." if target_display else "")
    return Chart(
        key=key,
        title=title,
        side=side,
        description=description,
        bars=tuple(bars),
        baseline_y=baseline,
        target_y=target_y,
        target_display=target_display,
        unit_note=UNIT_NOTES.get(unit, ""),
    )
