"""An engagement's "today": the date on its own calendar, in its own time zone.

The one home of that rule. Which assignments are in effect, who covers a requisition, how long a
requisition has been open, when it was filled and what the scorecard counts as overdue all ask
the engagement's date, not the server's (UTC) or the viewer's: a UTC+10 engagement moves to its
new assignments at its own midnight, not at 10:00 local time.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache

from django.db.models import Q
from django.utils import timezone

from accounts.models import TIME_ZONE_CHOICES


@cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def local_date(time_zone: str, at: datetime) -> date:
    """The date it is at ``at`` (aware) in ``time_zone``."""
    return at.astimezone(_zone(time_zone)).date()


def engagement_today(engagement, at: datetime | None = None) -> date:
    """The engagement's date at ``at`` (now by default)."""
    return local_date(engagement.time_zone, at or timezone.now())


def _zones_by_date(at: datetime) -> dict[date, list[str]]:
    by_date: dict[date, list[str]] = {}
    for name, _label in TIME_ZONE_CHOICES:
        by_date.setdefault(local_date(name, at), []).append(name)
    return by_date


@lru_cache(maxsize=4)
def _zones_by_date_during_minute(minute: datetime) -> dict[date, list[str]] | None:
    """The zones on each date throughout the UTC minute starting at ``minute``, or None when some
    zone changes date within it. Every page that scopes by "assignments in effect" asks this
    (about 600 zones) once or twice; once per minute per process is enough. Callers do not
    change the answer (on_engagement_today_q only reads it)."""
    first, last = _zones_by_date(minute), _zones_by_date(minute + timedelta(seconds=59, microseconds=999999))
    return first if first == last else None


def on_engagement_today_q(*, at: datetime, zone_field: str, condition: Callable[[date], Q]) -> Q:
    """``condition(today)`` where ``today`` is each row's engagement's date at ``at``.

    ``zone_field`` leads from the rows to their engagement's time zone (``"time_zone"`` on
    engagements, ``"requisition__engagement__time_zone"`` on assignments). At any moment the zones
    of the world are on at most three dates; the zones on the most common one are the default, so
    the condition names only the few zones on another date (a handful of parameters, no query).
    """
    by_date = _zones_by_date_during_minute(at.astimezone(UTC).replace(second=0, microsecond=0))
    if by_date is None:  # a zone's midnight falls within this minute: this very moment, exactly
        by_date = _zones_by_date(at)
    common = max(by_date, key=lambda day: len(by_date[day]))
    elsewhere = [name for day, names in by_date.items() if day != common for name in names]
    combined = ~Q(**{f"{zone_field}__in": elsewhere}) & condition(common)
    for day, names in by_date.items():
        if day != common:
            combined |= Q(**{f"{zone_field}__in": names}) & condition(day)
    return combined
