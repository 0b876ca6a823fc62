"""The scorecard as CSV, for a quarterly business review.

A few lines saying what it is (engagement, window, health), one row per figure (side, figure,
value, unit, shown as, definition, target, met: "met", "missed", "no target" or "nothing
measured"), then the weekly trend rows (the last column says whether the week is the one under
way, counted so far only), then the cost of waiting: one row per bucket with its sample size.
Every text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with an apostrophe, so a name typed into the portal can never run in
the reader's spreadsheet.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from .targets import verdict
from .types import FIGURE_SPECS

if TYPE_CHECKING:
    from .types import Scorecard

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A CSV cell a spreadsheet shows as text, never as a formula; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def scorecard_csv(*, scorecard: Scorecard) -> str:
    zone_name = scorecard.engagement.time_zone
    first_day = scorecard.starts_at.astimezone(_zone(zone_name)).date()
    last_day = scorecard.ends_at.astimezone(_zone(zone_name)).date()
    rows: list[list] = [
        ["Engagement", scorecard.engagement.name],
        ["Window", f"{first_day.isoformat()} to {last_day.isoformat()} ({scorecard.days} days, {zone_name})"],
        ["Health", scorecard.health.label, scorecard.health.reason],
        [],
        ["side", "figure", "value", "unit", "shown as", "definition", "target", "met"],
    ]
    for figure in (*scorecard.client, *scorecard.provider):
        rows.append(
            [
                figure.side,
                figure.label,
                figure.value,
                figure.unit,
                figure.display,
                figure.definition,
                figure.target_display,
                verdict(figure),
            ]
        )
    rows += [[], ["week starting", *(FIGURE_SPECS[key].label for key in scorecard.charted), "partial week"]]
    for week in scorecard.weeks:
        partial = "yes (this week so far)" if week.partial else "no"
        rows.append([week.week_start.isoformat(), *(week.values.get(key) for key in scorecard.charted), partial])
    cost = scorecard.cost_of_waiting
    if cost is not None:
        rows += [
            [],
            ["Cost of waiting", f"candidates who withdrew, by their longest wait for feedback, over {cost.days} days"],
            ["waited for feedback", "candidates", "withdrew", "withdrawn share", "shown as"],
        ]
        for bucket in cost.buckets:
            rows.append([bucket.label, bucket.candidates, bucket.withdrawn, bucket.share, bucket.display])
        if cost.nudge_line:
            rows.append(["Reminder line", cost.nudge_line])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
