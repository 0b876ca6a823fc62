"""Due times in business hours: what "feedback due in 24 business hours" means on the calendar."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest

from engagements.business_hours import (
    BusinessCalendar,
    add_business_hours,
    business_hours_between,
    describe_business_hours,
    is_outside_business_hours,
)
from tests import factories

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

# Monday to Friday, 09:00-17:00, in UTC unless a test says otherwise.
OFFICE = BusinessCalendar()


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# June 2025: Monday 2, Tuesday 3, ..., Friday 6, Saturday 7, Sunday 8, Monday 9.


def test_hours_within_one_day_stay_on_that_day():
    assert add_business_hours(utc(2025, 6, 2, 10), 3, OFFICE) == utc(2025, 6, 2, 13)
    assert business_hours_between(utc(2025, 6, 2, 10), utc(2025, 6, 2, 13), OFFICE) == 3


def test_a_full_business_day_ends_at_closing_not_next_morning():
    assert add_business_hours(utc(2025, 6, 2, 9), 8, OFFICE) == utc(2025, 6, 2, 17)


def test_hours_left_at_closing_carry_over_to_the_next_morning():
    assert add_business_hours(utc(2025, 6, 2, 15), 4, OFFICE) == utc(2025, 6, 3, 11)
    assert business_hours_between(utc(2025, 6, 2, 15), utc(2025, 6, 3, 11), OFFICE) == 4


def test_friday_afternoon_request_is_due_monday_morning():
    assert add_business_hours(utc(2025, 6, 6, 15), 4, OFFICE) == utc(2025, 6, 9, 11)
    assert business_hours_between(utc(2025, 6, 6, 15), utc(2025, 6, 9, 11), OFFICE) == 4


def test_a_weekend_counts_no_business_hours():
    assert business_hours_between(utc(2025, 6, 6, 17), utc(2025, 6, 9, 9), OFFICE) == 0


@pytest.mark.parametrize(
    ("start", "label"),
    [
        (utc(2025, 6, 7, 12), "saturday noon"),
        (utc(2025, 6, 8, 23, 59), "sunday night"),
        (utc(2025, 6, 6, 17), "friday at closing"),
        (utc(2025, 6, 6, 20), "friday evening"),
        (utc(2025, 6, 9, 6, 30), "monday before opening"),
    ],
)
def test_a_start_outside_business_hours_counts_from_the_next_opening(start, label):
    assert add_business_hours(start, 2, OFFICE) == utc(2025, 6, 9, 11), label
    assert add_business_hours(start, 0, OFFICE) == utc(2025, 6, 9, 9), label


def test_a_start_after_closing_on_a_weekday_counts_from_the_next_morning():
    assert add_business_hours(utc(2025, 6, 3, 18), 1, OFFICE) == utc(2025, 6, 4, 10)


def test_zero_hours_during_business_hours_is_the_start_itself():
    assert add_business_hours(utc(2025, 6, 3, 10, 15), 0, OFFICE) == utc(2025, 6, 3, 10, 15)


def test_fractional_hours():
    assert add_business_hours(utc(2025, 6, 3, 16), 1.5, OFFICE) == utc(2025, 6, 4, 9, 30)
    assert add_business_hours(utc(2025, 6, 3, 9), 0.25, OFFICE) == utc(2025, 6, 3, 9, 15)
    assert business_hours_between(utc(2025, 6, 3, 16), utc(2025, 6, 4, 9, 30), OFFICE) == 1.5


def test_48_business_hours_are_six_business_days():
    # Monday 10:00 + 48h: 7 on Monday, 8 each Tuesday-Friday (39), 8 next Monday (47), 1 on Tuesday.
    assert add_business_hours(utc(2025, 6, 2, 10), 48, OFFICE) == utc(2025, 6, 10, 10)


def test_between_is_zero_when_the_end_is_not_after_the_start():
    assert business_hours_between(utc(2025, 6, 3, 12), utc(2025, 6, 3, 12), OFFICE) == 0
    assert business_hours_between(utc(2025, 6, 3, 12), utc(2025, 6, 2, 12), OFFICE) == 0


def test_a_sunday_to_thursday_calendar_works_sunday_and_rests_friday_and_saturday():
    calendar = BusinessCalendar(weekdays=frozenset({7, 1, 2, 3, 4}))
    # Thursday 15:00 + 4h: 2 on Thursday, then Friday and Saturday off, 2 on Sunday.
    assert add_business_hours(utc(2025, 6, 5, 15), 4, calendar) == utc(2025, 6, 8, 11)
    assert business_hours_between(utc(2025, 6, 6, 9), utc(2025, 6, 8, 9), calendar) == 0
    assert business_hours_between(utc(2025, 6, 5, 9), utc(2025, 6, 9, 9), calendar) == 16


def test_custom_opening_hours():
    calendar = BusinessCalendar(day_start=time(8, 30), day_end=time(12, 0))
    assert add_business_hours(utc(2025, 6, 2, 11), 2, calendar) == utc(2025, 6, 3, 9, 30)


def test_a_calendar_in_another_zone_counts_on_its_own_wall_clock_and_answers_in_utc():
    tokyo = BusinessCalendar(time_zone="Asia/Tokyo")  # UTC+9, no DST
    # Monday 07:00 UTC is 16:00 in Tokyo: one hour left today, three from Tuesday 09:00 JST.
    due = add_business_hours(utc(2025, 6, 2, 7), 4, tokyo)
    assert due == utc(2025, 6, 3, 3)  # Tuesday 12:00 JST
    assert due.utcoffset() == timedelta(0)
    assert due.tzinfo is UTC


def test_a_start_given_in_another_zone_is_the_same_moment():
    local_start = datetime(2025, 6, 2, 11, tzinfo=NEW_YORK)  # 15:00 UTC
    assert add_business_hours(local_start, 1, OFFICE) == utc(2025, 6, 2, 16)


def test_new_york_business_hours_follow_the_local_clock_not_utc():
    calendar = BusinessCalendar(time_zone="America/New_York")
    # 13:00 UTC on a June Monday is 09:00 EDT: the day is open until 21:00 UTC.
    assert add_business_hours(utc(2025, 6, 2, 13), 8, calendar) == utc(2025, 6, 2, 21)


@pytest.mark.parametrize(
    ("zone", "friday", "monday"),
    [
        # Spring forward: the clocks jump on Sunday 9 March 2025 (New York), 30 March 2025 (Berlin).
        (NEW_YORK, (2025, 3, 7), (2025, 3, 10)),
        (BERLIN, (2025, 3, 28), (2025, 3, 31)),
        # Fall back: Sunday 2 November 2025 (New York), 26 October 2025 (Berlin).
        (NEW_YORK, (2025, 10, 31), (2025, 11, 3)),
        (BERLIN, (2025, 10, 24), (2025, 10, 27)),
    ],
)
def test_a_weekend_with_a_daylight_saving_change_keeps_the_local_wall_time(zone, friday, monday):
    calendar = BusinessCalendar(time_zone=zone.key)
    start = datetime(*friday, 10, 30, tzinfo=zone)
    due = add_business_hours(start, 8, calendar)
    assert due.astimezone(zone) == datetime(*monday, 10, 30, tzinfo=zone)
    local_due = due.astimezone(zone)
    assert (local_due.date().timetuple()[:3], local_due.hour, local_due.minute) == (monday, 10, 30)
    assert business_hours_between(start, due, calendar) == 8
    # The real elapsed time is the weekend plus or minus the hour the clocks moved.
    assert abs((due - start) - timedelta(days=3)) == timedelta(hours=1)


@pytest.mark.parametrize(
    ("zone", "change_day"),
    [
        (NEW_YORK, (2025, 3, 9)),
        (NEW_YORK, (2025, 11, 2)),
        (BERLIN, (2025, 3, 30)),
        (BERLIN, (2025, 10, 26)),
    ],
)
def test_the_day_of_a_daylight_saving_change_still_has_eight_business_hours(zone, change_day):
    # A seven-day calendar, so that the Sunday of the change is a business day.
    calendar = BusinessCalendar(time_zone=zone.key, weekdays=frozenset(range(1, 8)))
    day_start = datetime(*change_day, 0, 0, tzinfo=zone)
    next_day = datetime(*change_day, 0, 0, tzinfo=zone) + timedelta(days=1)
    assert business_hours_between(day_start, next_day, calendar) == 8
    opening = datetime(*change_day, 9, 0, tzinfo=zone)
    assert add_business_hours(opening, 8, calendar).astimezone(zone) == datetime(*change_day, 17, 0, tzinfo=zone)
    assert add_business_hours(opening, 9, calendar).astimezone(zone) == next_day.replace(hour=10)


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="aware"):
        add_business_hours(datetime(2025, 6, 2, 10), 1, OFFICE)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        business_hours_between(datetime(2025, 6, 2, 10), utc(2025, 6, 3), OFFICE)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        business_hours_between(utc(2025, 6, 2), datetime(2025, 6, 3, 10), OFFICE)  # noqa: DTZ001


def test_negative_hours_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_business_hours(utc(2025, 6, 2, 10), -1, OFFICE)


@pytest.mark.parametrize(("day_start", "day_end"), [(time(17), time(9)), (time(9), time(9))])
def test_a_calendar_whose_day_ends_before_it_starts_is_refused(day_start, day_end):
    with pytest.raises(ValueError, match="end after it starts"):
        BusinessCalendar(day_start=day_start, day_end=day_end)


@pytest.mark.parametrize("weekdays", [frozenset(), frozenset({0, 1}), frozenset({8})])
def test_a_calendar_without_valid_weekdays_is_refused(weekdays):
    with pytest.raises(ValueError, match="weekday"):
        BusinessCalendar(weekdays=weekdays)


@pytest.mark.parametrize(
    "calendar",
    [
        OFFICE,
        BusinessCalendar(time_zone="America/New_York"),
        BusinessCalendar(time_zone="Europe/Berlin", day_start=time(8, 30), day_end=time(16, 45)),
        BusinessCalendar(time_zone="Asia/Kolkata", weekdays=frozenset({7, 1, 2, 3, 4})),
    ],
    ids=["utc", "new-york", "berlin-short-days", "kolkata-sunday-to-thursday"],
)
def test_counting_back_the_hours_added_gives_the_same_hours(calendar):
    # Starts every 5 hours 20 minutes over three weeks around the spring DST changes, so that every
    # hour of the day, every weekday and both changes are hit; hours from a quarter to two weeks.
    first = utc(2025, 3, 5, 0, 10)
    starts = [first + timedelta(minutes=320 * step) for step in range(100)]
    for start in starts:
        for hours in (0, 0.25, 1, 3.5, 7.99, 8, 9, 24, 48, 80):
            due = add_business_hours(start, hours, calendar)
            assert due >= start
            assert business_hours_between(start, due, calendar) == pytest.approx(hours, abs=1e-6), (start, hours)


def test_an_engagement_builds_its_calendar_from_its_settings(db):
    engagement = factories.EngagementFactory(
        time_zone="Europe/Berlin",
        business_day_start=time(8, 0),
        business_day_end=time(16, 30),
        business_weekdays="71234",
    )
    assert engagement.business_calendar == BusinessCalendar(
        time_zone="Europe/Berlin",
        day_start=time(8, 0),
        day_end=time(16, 30),
        weekdays=frozenset({7, 1, 2, 3, 4}),
    )


def test_an_engagement_with_default_settings_works_monday_to_friday_nine_to_five(db):
    engagement = factories.EngagementFactory(time_zone="America/New_York")
    calendar = engagement.business_calendar
    # Friday 16:00 EDT (20:00 UTC) + 2h: one on Friday, one on Monday from 09:00 EDT.
    assert add_business_hours(utc(2025, 6, 6, 20), 2, calendar) == utc(2025, 6, 9, 14)


# --- Is an interview slot outside business hours? ----------------------------------------------


def test_a_slot_inside_the_working_day_is_not_outside():
    assert not is_outside_business_hours(utc(2025, 6, 2, 9), utc(2025, 6, 2, 10), OFFICE)
    assert not is_outside_business_hours(utc(2025, 6, 6, 16), utc(2025, 6, 6, 17), OFFICE)


def test_sunday_night_in_the_calendars_zone_is_outside():
    berlin = BusinessCalendar(time_zone="Europe/Berlin")
    # 02:00 on Sunday 8 June in Berlin is Sunday 00:00 UTC.
    assert is_outside_business_hours(utc(2025, 6, 8, 0), utc(2025, 6, 8, 1), berlin)
    # 08:00 UTC on Monday is 10:00 in Berlin: inside, though 08:00 would be before opening in UTC.
    assert not is_outside_business_hours(utc(2025, 6, 9, 8), utc(2025, 6, 9, 9), berlin)


def test_a_slot_running_past_closing_or_starting_before_opening_is_outside():
    assert is_outside_business_hours(utc(2025, 6, 2, 16, 30), utc(2025, 6, 2, 17, 30), OFFICE)
    assert is_outside_business_hours(utc(2025, 6, 2, 8, 30), utc(2025, 6, 2, 9, 30), OFFICE)


def test_the_hours_read_as_people_write_them():
    assert describe_business_hours(BusinessCalendar(time_zone="Europe/Berlin")) == "Mon–Fri 09:00–17:00 (Europe/Berlin)"
    weekend = BusinessCalendar(weekdays=frozenset({6, 7}), day_start=time(10, 0), day_end=time(14, 0))
    assert describe_business_hours(weekend) == "Sat, Sun 10:00–14:00 (UTC)"
