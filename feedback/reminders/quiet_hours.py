"""Quiet hours: no reminder lands at night in the recipient's own time zone.

The window is ``QUIET_HOURS_START``:00 to ``QUIET_HOURS_END``:00 local time (20 to 8 by default,
so it wraps past midnight); equal hours mean no quiet hours at all.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time, timedelta

from django.conf import settings


def _hours() -> tuple[int, int]:
    return int(settings.QUIET_HOURS_START), int(settings.QUIET_HOURS_END)


def is_quiet(moment: datetime, zone: zoneinfo.ZoneInfo) -> bool:
    start, end = _hours()
    hour = moment.astimezone(zone).hour
    if start == end:
        return False
    if start > end:  # wraps past midnight: 20..24 and 0..8
        return hour >= start or hour < end
    return start <= hour < end


def quiet_hours_end(moment: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """The next ``QUIET_HOURS_END``:00 local time after ``moment`` (aware, in UTC)."""
    _, end = _hours()
    local = moment.astimezone(zone)
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    # zoneinfo resolves a wall time skipped or repeated by DST to a real moment.
    return datetime.combine(day, time(end), tzinfo=zone).astimezone(UTC)
