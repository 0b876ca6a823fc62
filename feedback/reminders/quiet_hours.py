"""Quiet hours: no reminder lands at night in the recipient's own time zone.

Each person's window is their own, ``quiet_hours_start``:00 to ``quiet_hours_end``:00 local time,
chosen on their settings page (new accounts start with ``QUIET_HOURS_START`` and ``QUIET_HOURS_END``,
20 to 8 by default, so it wraps past midnight). Which hours are quiet is
``accounts.models.hour_is_quiet``; equal hours mean no quiet hours at all.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from accounts.models import User


def is_quiet(moment: datetime, person: User) -> bool:
    """Whether ``moment`` falls in ``person``'s quiet hours, in their time zone."""
    return person.is_quiet_hour(moment.astimezone(person.zone).hour)


def quiet_hours_end(moment: datetime, person: User) -> datetime:
    """The next ``quiet_hours_end``:00 in ``person``'s time zone after ``moment`` (aware, in UTC)."""
    zone, end = person.zone, person.quiet_hours_end
    local = moment.astimezone(zone)
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    # zoneinfo resolves a wall time skipped or repeated by DST to a real moment.
    return datetime.combine(day, time(end), tzinfo=zone).astimezone(UTC)
