"""The scorecard as CSV, for a quarterly business review.

A few lines saying what it is (engagement, window, health), one row per figure (side, figure,
value, unit, shown as, definition), then the weekly trend rows (the last column says whether the
week is the one under way, counted so far only). Every text cell that a spreadsheet
would read as a formula (starting with = + - @, a tab or a carriage return) is prefixed with an
apostrophe, so a name typed into the portal can never run in the reader's spreadsheet.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

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
        ["side", "figure", "value", "unit", "shown as", "definition"],
    ]
    for figure in (*scorecard.client, *scorecard.provider):
        rows.append([figure.side, figure.label, figure.value, figure.unit, figure.display, figure.definition])
    rows += [[], ["week starting", *(FIGURE_SPECS[key].label for key in scorecard.charted), "partial week"]]
    for week in scorecard.weeks:
        partial = "yes (this week so far)" if week.partial else "no"
        rows.append([week.week_start.isoformat(), *(week.values.get(key) for key in scorecard.charted), partial])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
