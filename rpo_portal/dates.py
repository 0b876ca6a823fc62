"""Dates a person enters must lie within a sane range of today: the one rule, for every app.

A slot in the year 9999 was accepted, and then showing it to someone east of UTC overflowed the
``datetime`` range (a 500). Every date or moment a person enters that sets a due or target moment
(availability slots, interview times, requisition dates, assignment periods, out-of-office
periods) goes through ``require_sane_dates`` in its service, so the API, the pages and the admin
all refuse it the same way, with a message beside the field.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

SANE_YEARS = 5


def _years_from(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February in a year that has none
        return moment.replace(year=moment.year + years, day=28)


def sane_range(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The earliest and the latest moment a person may enter: ``SANE_YEARS`` either side of now."""
    now = now or timezone.now()
    return _years_from(now, -SANE_YEARS), _years_from(now, SANE_YEARS)


def is_sane(value: date | datetime, now: datetime | None = None) -> bool:
    earliest, latest = sane_range(now)
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            return earliest.date() <= value.date() <= latest.date()
        return earliest <= value <= latest
    # A date: compared by day, so that any time zone's today is inside.
    return earliest.date() - timedelta(days=1) <= value <= latest.date() + timedelta(days=1)


def out_of_range_message(now: datetime | None = None) -> str:
    earliest, latest = sane_range(now)
    return f"Pick a date within {SANE_YEARS} years of today (from {earliest:%d %b %Y} to {latest:%d %b %Y})."


def require_sane_dates(*, now: datetime | None = None, **values: date | datetime | None) -> None:
    """Refuse, keyed by field, each given date or moment outside the sane range (None is skipped)."""
    errors = {
        field: out_of_range_message(now)
        for field, value in values.items()
        if value is not None and not is_sane(value, now)
    }
    if errors:
        raise ValidationError(errors)
