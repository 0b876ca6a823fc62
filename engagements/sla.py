"""Which service levels can work: the one home of the rule, and of the span a due time may take.

A due time must fall within ``SLA_MAX_DUE_WEEKS`` weeks (a setting, 8 by default), give or take
the public holidays on the way. Any seven days in a row without a holiday hold exactly one week of
business hours (counted on the calendar's wall clock), so N business hours from any moment end
within ceil(N / hours_per_week) weeks: the due hours allowed are the week's business hours times the
bound. One business hour a week allows 8 hours; Monday to Friday, 09:00 to 17:00 allows 320.

Public holidays (the engagement's country and region, ``holiday_errors``) are not business hours,
so each one on a business day pushes a due time a day further. The bound is not lengthened for
them: it is a rule about the settings, which cannot know which holidays a request will meet.
``feedback.services.request_ladder`` allows 15 days of slack over it before it treats a due time as
a broken calendar and falls back to the wall clock with a warning. That covers the holidays of
nearly every country: in 2026–27 most have at most 8 on Monday–Friday in any eight weeks (Christmas
to Epiphany in Bavaria is three); Iran, with 12, is the one that could exceed it, and only with
settings near the bound.

``engagement_update`` / ``engagement_create`` refuse settings outside this (the SLA page, the API
and the admin all save through them); ``feedback.services.request_ladder`` falls back to
``fallback_span`` for rows stored before the rule existed.
"""

from __future__ import annotations

import math
from datetime import time, timedelta

from django.conf import settings

# The hours that push a moment forward in business hours: the due times and the escalation.
# (The reminder lead is counted back from the due time, so it never reaches further.)
SLA_SPAN_FIELDS = (
    "resume_feedback_due_hours",
    "interview_feedback_due_hours",
    "availability_due_hours",
    "escalation_delay_hours",
)
NO_BUSINESS_DAY = "Pick at least one business day: without one, nothing can ever fall due."
DAY_ENDS_BEFORE_START = "The business day must end after it starts."  # as the model's constraint says it


def max_due_weeks() -> int:
    return max(int(settings.SLA_MAX_DUE_WEEKS), 1)


def fallback_span() -> timedelta:
    """The longest a due time may be away, also the cap of the wall-clock fallback."""
    return timedelta(weeks=max_due_weeks())


def business_weekdays_of(value) -> set[int]:
    return {int(day) for day in str(value or "") if day in "1234567"}


def business_hours_per_week(*, weekdays, day_start, day_end) -> float:
    """Business hours in a week of this calendar (0 when it has none)."""
    if not isinstance(day_start, time) or not isinstance(day_end, time) or day_end <= day_start:
        return 0.0
    seconds = _seconds_into_day(day_end) - _seconds_into_day(day_start)
    return len(business_weekdays_of(weekdays)) * seconds / 3600


def _seconds_into_day(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _hours(value: float) -> str:
    amount = f"{value:g}"
    return f"{amount} business hour{'' if value == 1 else 's'}"


def holiday_errors(engagement) -> dict[str, str]:
    """What is wrong with an engagement's country and region (the ``holidays`` library's codes)."""
    import holidays as holiday_calendars

    country = (engagement.country or "").strip()
    region = (engagement.region or "").strip()
    if not country:
        return {"region": "Pick the country first: a region belongs to a country."} if region else {}
    supported = holiday_calendars.list_supported_countries()
    if country not in supported:
        return {"country": f"“{country}” is not a country code we know holidays of (ISO 3166, e.g. DE, US, GB)."}
    if region and region not in supported[country]:
        known = ", ".join(sorted(supported[country])[:40]) or "none"
        return {"region": f"“{region}” is not a region of {country}. Known regions: {known}."}
    return {}


def sla_errors(engagement) -> dict[str, str]:
    """What is wrong with an engagement's service levels, by field, in words (empty if nothing)."""
    return {**holiday_errors(engagement), **_hours_errors(engagement)}


def _hours_errors(engagement) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not business_weekdays_of(engagement.business_weekdays):
        errors["business_weekdays"] = NO_BUSINESS_DAY
    start, end = engagement.business_day_start, engagement.business_day_end
    if isinstance(start, time) and isinstance(end, time) and end <= start:
        errors["business_day_end"] = DAY_ENDS_BEFORE_START
    if errors:
        return errors
    weeks = max_due_weeks()
    per_week = business_hours_per_week(weekdays=engagement.business_weekdays, day_start=start, day_end=end)
    allowed = math.floor(per_week * weeks)
    span = f"with {_hours(per_week)} a week, that is {weeks} week{'' if weeks == 1 else 's'}"
    if allowed < 1:
        return {
            "business_day_end": (
                f"Too few business hours for any due time: {span}, the longest a due time may be away. "
                "Lengthen the business day or add business days."
            )
        }
    for name in SLA_SPAN_FIELDS:
        value = getattr(engagement, name, None)
        if isinstance(value, int) and value > allowed:
            what = (
                f"Escalate at most {_hours(allowed)} after the due time"
                if name == "escalation_delay_hours"
                else f"Due in at most {_hours(allowed)}"
            )
            errors[name] = f"{what}: {span}, the longest a due time may be away. Shorten this or add business hours."
    return errors
