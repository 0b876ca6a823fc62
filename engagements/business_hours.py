"""Business-hours arithmetic: the one place that knows what "due in N business hours" means.

A ``BusinessCalendar`` is a time zone, the opening and closing time of a working day, and the
ISO weekdays that are working days, less the public holidays of a country (and optionally one
of its regions), as the ``holidays`` library knows them. Moments go in and come out as aware UTC datetimes; all
counting happens on the local wall clock of the calendar's zone, so a day with a daylight-saving
change still has exactly its business hours (09:00–17:00 is eight hours on either side of it).
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import holidays as holiday_calendars

MAX_DAYS_SCANNED = 3660  # ten years: a guard against a calendar with no working time at all


@dataclass(frozen=True)
class BusinessCalendar:
    time_zone: str = "UTC"
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    # ISO weekdays: Monday is 1, Sunday is 7.
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    # Public holidays of this country (ISO 3166 code) and region (subdivision) are not working days.
    country: str = ""
    region: str = ""

    def __post_init__(self) -> None:
        if self.day_end <= self.day_start:
            raise ValueError("A business day must end after it starts.")
        if not self.weekdays or not self.weekdays <= {1, 2, 3, 4, 5, 6, 7}:
            raise ValueError("Business weekdays are ISO weekday numbers 1 (Monday) to 7 (Sunday).")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def _window(self, day: date) -> tuple[datetime, datetime]:
        """The day's opening and closing as aware local datetimes."""
        zone = self.zone
        return (
            datetime.combine(day, self.day_start, tzinfo=zone),
            datetime.combine(day, self.day_end, tzinfo=zone),
        )

    def is_holiday(self, day: date) -> bool:
        return bool(self.country) and day in holidays_of(self.country, self.region, day.year)

    def is_working_day(self, day: date) -> bool:
        return day.isoweekday() in self.weekdays and not self.is_holiday(day)

    def working_day_on_or_after(self, day: date) -> date:
        """``day`` if it is a working day, else the first one after it (a weekend or a holiday moves on)."""
        return self._working_day_from(day, step=1)

    def working_day_on_or_before(self, day: date) -> date:
        """``day`` if it is a working day, else the last one before it."""
        return self._working_day_from(day, step=-1)

    def _working_day_from(self, day: date, *, step: int) -> date:
        for offset in range(MAX_DAYS_SCANNED):
            candidate = day + timedelta(days=offset * step)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("No working day found in ten years: check the calendar.")

    def _working_windows(self, start_day: date):
        for offset in range(MAX_DAYS_SCANNED):
            day = start_day + timedelta(days=offset)
            if self.is_working_day(day):
                yield self._window(day)
        raise ValueError("No business hours found in ten years: check the calendar.")


@functools.lru_cache(maxsize=512)
def holidays_of(country: str, region: str, year: int) -> dict[date, str]:
    """The public holidays of ``country`` (and ``region``) in ``year``: date → name. Unknown codes
    raise ``ValueError`` (the SLA rules refuse them before they are stored; the callers that must
    not fail, like ``feedback.services.request_ladder``, fall back on it as on any bad calendar)."""
    try:
        return dict(holiday_calendars.country_holidays(country, subdiv=region or None, years=year, language="en_US"))
    except NotImplementedError as error:
        raise ValueError(f"No public holidays known for {country!r}, region {region!r}: {error}") from error


def holidays_between(calendar: BusinessCalendar, start: date, end: date) -> list[tuple[date, str]]:
    """The holidays of the calendar from ``start`` to ``end`` inclusive, in order, with their names."""
    if not calendar.country:
        return []
    found: list[tuple[date, str]] = []
    for year in range(start.year, end.year + 1):
        of_year = holidays_of(calendar.country, calendar.region, year)
        found.extend((day, name) for day, name in of_year.items() if start <= day <= end)
    return sorted(found)


def coming_holidays(calendar: BusinessCalendar, today: date, days: int = 90) -> list[tuple[date, str]]:
    """The holidays the calendar will skip from ``today`` for ``days`` days: those on its business
    weekdays (one on a day off anyway changes nothing)."""
    return [
        (day, name)
        for day, name in holidays_between(calendar, today, today + timedelta(days=days))
        if day.isoweekday() in calendar.weekdays
    ]


_SMALL_WORDS = {"and", "of", "the", "da", "du"}


@functools.cache
def holiday_countries() -> tuple[tuple[str, str], ...]:
    """The countries the ``holidays`` library knows: (ISO 3166 alpha-2 code, English name), by name."""
    from holidays.registry import COUNTRIES

    supported = holiday_calendars.list_supported_countries()
    found = {}
    for module, (_class_name, code, *_rest) in COUNTRIES.items():
        if len(code) == 2 and code in supported:
            words = module.split("_")
            found[code] = " ".join(
                word if position and word in _SMALL_WORDS else word.capitalize() for position, word in enumerate(words)
            )
    return tuple(sorted(found.items(), key=lambda item: item[1]))


@functools.lru_cache(maxsize=64)
def holiday_regions(country: str) -> tuple[tuple[str, str], ...]:
    """The regions (subdivisions) of ``country`` the library knows: (code, name), by code; empty
    for an unknown country."""
    codes = holiday_calendars.list_supported_countries().get(country, [])
    if not codes:
        return ()
    aliases = holiday_calendars.country_holidays(country, years=[]).get_subdivision_aliases()
    return tuple((code, (aliases.get(code) or [code])[0]) for code in sorted(codes))


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Naive datetimes are not accepted: pass an aware datetime.")


def _elapsed(opening: datetime, closing: datetime) -> timedelta:
    # Wall-clock difference, so that an hour skipped or repeated by DST inside business hours
    # does not change how long the business day is.
    return closing.replace(tzinfo=None) - opening.replace(tzinfo=None)


def add_business_hours(start: datetime, hours: float, calendar: BusinessCalendar) -> datetime:
    """The moment ``hours`` business hours after ``start`` (aware, returned in UTC).

    A start outside business hours counts from the next opening. Zero hours from a moment
    outside business hours gives that next opening. Negative hours are refused.
    """
    _require_aware(start)
    if hours < 0:
        raise ValueError("Business hours to add must not be negative.")
    remaining = timedelta(hours=hours)
    local_start = start.astimezone(calendar.zone)
    for opening, closing in calendar._working_windows(local_start.date()):
        if local_start >= closing:
            continue
        # Same tzinfo on both sides: Python compares them on the wall clock, as we want.
        begin = max(opening, local_start)
        available = _elapsed(begin, closing)
        if remaining <= available:
            due = (begin.replace(tzinfo=None) + remaining).replace(tzinfo=calendar.zone)
            return due.astimezone(UTC)
        remaining -= available
    raise AssertionError("unreachable")  # pragma: no cover


def business_hours_between(start: datetime, end: datetime, calendar: BusinessCalendar) -> float:
    """How many business hours lie between two moments (0 when ``end`` is not after ``start``)."""
    _require_aware(start)
    _require_aware(end)
    if end <= start:
        return 0.0
    local_start = start.astimezone(calendar.zone)
    local_end = end.astimezone(calendar.zone)
    total = timedelta()
    for opening, closing in calendar._working_windows(local_start.date()):
        if opening >= local_end:
            break
        begin = max(opening, local_start)
        finish = min(closing, local_end)
        if finish > begin:
            total += _elapsed(begin, finish)
    return total.total_seconds() / 3600


class WorkedClock:
    """Business time as a running count, for many moments of one calendar: ``worked(moment)`` is
    the business time (wall clock, as everywhere here) from the start of ``first_day`` to
    ``moment``, read from a table of each day's running total, so comparing thousands of waits
    costs one table of days and no scan of working windows per wait (the cost of waiting over 180
    days of requests: 1 s of ``add_business_hours`` calls before).

    It answers what ``add_business_hours`` answers, exactly: for ``hours`` > 0, ``end`` is before
    ``add_business_hours(start, hours)`` if and only if ``worked(end) - worked(start)`` is less
    than ``hours`` (``before_hours_after``). A calendar with no working time raises ``ValueError``
    here, as there.
    """

    def __init__(self, calendar: BusinessCalendar, first_day: date, last_day: date):
        calendar.working_day_on_or_after(first_day)  # a calendar with no working time: ValueError
        self.calendar = calendar
        self.zone = calendar.zone
        self.first_day = first_day
        opening = datetime.combine(first_day, calendar.day_start)
        self.day_length = datetime.combine(first_day, calendar.day_end) - opening
        self._opening: list[datetime | None] = []  # each day's opening on the wall clock (None: a day off)
        self._before: list[timedelta] = []  # business time from first_day to the start of each day
        running = timedelta()
        for offset in range((last_day - first_day).days + 1):
            day = first_day + timedelta(days=offset)
            working = calendar.is_working_day(day)
            self._opening.append(datetime.combine(day, calendar.day_start) if working else None)
            self._before.append(running)
            running += self.day_length if working else timedelta()

    def worked(self, moment: datetime) -> timedelta:
        local = moment.astimezone(self.zone)
        index = (local.date() - self.first_day).days
        if not 0 <= index < len(self._before):
            raise ValueError(f"{moment} is outside the clock's days ({self.first_day}, {len(self._before)} days).")
        opening = self._opening[index]
        if opening is None:
            return self._before[index]
        within = min(max(local.replace(tzinfo=None) - opening, timedelta()), self.day_length)
        return self._before[index] + within

    def before_hours_after(
        self, end: datetime, start: datetime, hours: float, *, or_at: bool = False, gap: timedelta | None = None
    ) -> bool:
        """``end < add_business_hours(start, hours)`` (``<=`` with ``or_at``), for ``hours`` > 0;
        ``gap``: ``worked(end) - worked(start)`` when the caller has it (several limits, one wait)."""
        target = timedelta(hours=hours)
        if gap is None:
            gap = self.worked(end) - self.worked(start)
        if gap != target:
            return gap < target
        # Exactly that much business time: ``end`` is the due moment itself, or lies after it in
        # time off (the due moment is a closing time); only the first is "at" it.
        return or_at and end == add_business_hours(start, hours, self.calendar)


WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def is_outside_business_hours(start: datetime, end: datetime, calendar: BusinessCalendar) -> bool:
    """Whether any part of ``start``–``end`` (an interview slot) falls outside the calendar's
    working time: another day than a working weekday, before the opening or after the closing,
    on the calendar's own wall clock. The one rule behind every "outside business hours" warning."""
    _require_aware(start)
    _require_aware(end)
    local_start = start.astimezone(calendar.zone)
    local_end = end.astimezone(calendar.zone)
    if not calendar.is_working_day(local_start.date()):
        return True
    opening, closing = calendar._window(local_start.date())
    return not (opening <= local_start and local_end <= closing)


def describe_business_hours(calendar: BusinessCalendar) -> str:
    """How people read the calendar: "Mon–Fri 09:00–17:00 (Europe/Berlin)"."""
    days = sorted(calendar.weekdays)
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        day_text = f"{WEEKDAY_NAMES[days[0] - 1]}–{WEEKDAY_NAMES[days[-1] - 1]}"
    else:
        day_text = ", ".join(WEEKDAY_NAMES[day - 1] for day in days)
    return f"{day_text} {calendar.day_start:%H:%M}–{calendar.day_end:%H:%M} ({calendar.time_zone})"
