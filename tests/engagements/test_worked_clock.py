"""``WorkedClock`` answers what ``add_business_hours`` answers, on every kind of moment: the cost
of waiting sorts thousands of waits with it (issue 14), and a wait put in the wrong bucket would
change the share of candidates who withdrew after waiting."""

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from engagements.business_hours import BusinessCalendar, WorkedClock, add_business_hours

CALENDARS = [
    BusinessCalendar(),
    BusinessCalendar(time_zone="America/New_York", country="US", region="NY"),  # DST, Thanksgiving
    BusinessCalendar(time_zone="Europe/Berlin", country="DE", region="BE", day_start=time(8, 30), day_end=time(17, 15)),
    BusinessCalendar(time_zone="Asia/Singapore", weekdays=frozenset({1, 2, 3, 4, 5, 6})),
]
FIRST, LAST = date(2026, 2, 20), date(2026, 12, 10)  # both DST changes of 2026, and the autumn holidays


def _moments(calendar: BusinessCalendar, rng: random.Random, count: int):
    """Random moments, and moments on the edges where a mistake would hide: openings, closings, midnight."""
    zone = calendar.zone
    for _ in range(count):
        day = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days - 20))
        edge = rng.choice([calendar.day_start, calendar.day_end, time(0, 0), None])
        at = edge or time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
        yield datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


@pytest.mark.parametrize("calendar", CALENDARS, ids=lambda calendar: calendar.time_zone)
@pytest.mark.parametrize("hours", [8, 24, 8.75, 26.25, 1])
def test_before_hours_after_agrees_with_add_business_hours(calendar, hours):
    rng = random.Random(f"{calendar.time_zone}-{hours}")
    clock = WorkedClock(calendar, FIRST, LAST)
    checked = 0
    for start in _moments(calendar, rng, 300):
        due = add_business_hours(start, hours, calendar)
        # The due moment itself, a second either side, and moments in the time off after it.
        candidates = [due, due - timedelta(seconds=1), due + timedelta(seconds=1), due + timedelta(hours=2)]
        candidates += [start + timedelta(hours=rng.uniform(0, 24 * 7)) for _ in range(3)]
        for end in candidates:
            end = max(end, start)
            assert clock.before_hours_after(end, start, hours) == (end < due), (start, end, due)
            assert clock.before_hours_after(end, start, hours, or_at=True) == (end <= due), (start, end, due)
            checked += 1
    assert checked == 300 * 7


def test_a_calendar_without_working_time_is_refused_as_add_business_hours_refuses_it():
    WorkedClock(BusinessCalendar(weekdays=frozenset({6})), FIRST, LAST)  # Saturdays only: fine
    everything_off = BusinessCalendar(country="US")
    object.__setattr__(everything_off, "weekdays", frozenset())  # stored before it was validated
    with pytest.raises(ValueError, match="No working day"):
        WorkedClock(everything_off, FIRST, LAST)
    with pytest.raises(ValueError, match="No business hours"):
        add_business_hours(datetime(2026, 3, 2, tzinfo=UTC), 8, everything_off)
