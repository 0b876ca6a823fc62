"""Calendar quarters of an engagement, in its own time zone: "2026-Q3" is 1 July 2026 00:00 to
1 October 2026 00:00 where the engagement is (the review pack's period, ``?quarter=``).

Which quarters a pack may be asked for: from the quarter the engagement started in (its
``started_on``, else the day it was created) to the quarter under way (shown "so far"); the default
is the last complete one (the quarter under way when the engagement started in it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from engagements.local_dates import local_date
from engagements.models import Engagement

QUARTER_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")
FIRST_YEAR = 2000  # a quarter before this is a typing mistake, not a review


class QuarterError(ValueError):
    """A ``quarter`` value that names no quarter: the message says what is expected."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``"2026-Q3"`` (also ``2026Q3``, ``2026-q3``) → Quarter(2026, 3)."""
        match = QUARTER_PATTERN.match(text or "")
        if match is None:
            shown = (text or "")[:40]
            raise QuarterError(f"“{shown}” is not a quarter: write it as a year and a quarter, e.g. 2026-Q3.")
        year, number = int(match[1]), int(match[2])
        if year < FIRST_YEAR:
            raise QuarterError(f"{year} is too early: the portal has no data before {FIRST_YEAR}.")
        return cls(year, number)

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}"

    @property
    def short_label(self) -> str:
        """For a chart's axis: "Q3 '26"."""
        return f"Q{self.number} ’{self.year % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        following = self.next().first_day
        return date.fromordinal(following.toordinal() - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: midnight of its first day and of the next quarter's,
        in ``zone``."""
        tz = ZoneInfo(zone)
        start, end = self.first_day, self.next().first_day
        return (
            datetime(start.year, start.month, start.day, tzinfo=tz),
            datetime(end.year, end.month, end.day, tzinfo=tz),
        )

    def __str__(self) -> str:
        return self.key


def engagement_start_day(engagement: Engagement) -> date:
    """The day the engagement started: its ``started_on``, else the day it was created (its zone)."""
    created = local_date(engagement.time_zone, engagement.created_at)
    if engagement.started_on is None:
        return created
    return min(engagement.started_on, created)


@dataclass(frozen=True)
class QuarterChoice:
    quarter: Quarter
    in_progress: bool  # the quarter under way: its figures are "so far"


def engagement_quarters(engagement: Engagement, *, now: datetime) -> list[QuarterChoice]:
    """The quarters a pack may be asked for, newest first: from the engagement's start to now."""
    first = Quarter.of(engagement_start_day(engagement))
    current = Quarter.of(local_date(engagement.time_zone, now))
    choices = []
    quarter = current
    while quarter >= first:
        choices.append(QuarterChoice(quarter=quarter, in_progress=quarter == current))
        quarter = quarter.previous()
    return choices


def default_quarter(engagement: Engagement, *, now: datetime) -> Quarter:
    """The last complete quarter; the quarter under way when the engagement started in it."""
    choices = engagement_quarters(engagement, now=now)
    complete = [choice.quarter for choice in choices if not choice.in_progress]
    return complete[0] if complete else choices[0].quarter


def choose_quarter(engagement: Engagement, raw: str | None, *, now: datetime) -> tuple[Quarter, str]:
    """The quarter ``?quarter=`` asks for, or the default one with a message saying why not."""
    fallback = default_quarter(engagement, now=now)
    if raw is None or raw.strip() == "":
        return fallback, ""
    try:
        quarter = Quarter.parse(raw)
    except QuarterError as error:
        return fallback, f"{error} Showing {fallback.label}."
    choices = engagement_quarters(engagement, now=now)
    if quarter > choices[0].quarter:
        return fallback, (
            f"{quarter.label} has not started yet: a review covers a quarter under way or past. "
            f"Showing {fallback.label}."
        )
    if quarter < choices[-1].quarter:
        started = engagement_start_day(engagement)
        return fallback, (
            f"{quarter.label} is before this engagement started ({started:%-d %B %Y}). Showing {fallback.label}."
        )
    return quarter, ""
