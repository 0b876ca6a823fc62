"""The database aggregates behind the figures: one query per source, whatever the amount of data.

Every function takes the engagement and the window [``start``, ``end``) and returns plain numbers;
weekly series come from the same grouped query as the window's totals where the figure adds up
(counts), and from one grouped query per source where it does not (medians).

One engagement's figures read its rows by the engagement they carry (``engagement_id`` on
feedback and availability requests, interviews and stage changes: ``engagements.models.OfSubmission``),
through an index on (engagement, moment) that holds what the figure reads: each figure is one range
of one index, with no join to submissions, whatever the size of the history and whether or not the
planner has statistics (``test_scorecard_plans``). Before, they were selected by the list of the
engagement's requisitions and joined to every submission of the engagement (a hash of 50,000
submissions per figure at ``seed_demo --scale 100``); before that, by a join on requisitions whose
plan fell off a cliff without statistics (66 s for a scorecard after a bulk load).

The figures that count (stage moves; feedback due and on time) read the whole UTC hours of their
window from hourly rollups the database keeps (``rpo_portal.rollups``: about 24 rows a day, where
an engagement at ``seed_demo --scale 100`` records about 2,900 stage moves a day), and from the rows
themselves only in the hours a window's edge or a week's first moment falls inside
(``hourly_split``). Medians do not add up across hours: they still read the window's rows.
"""

from __future__ import annotations

import bisect
import functools
import operator
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value

from engagements.business_hours import MAX_DAYS_SCANNED, BusinessCalendar, holidays_of
from engagements.models import (
    SCORECARD_MOVE_COUNTS,
    SCORECARD_MOVES,
    Engagement,
    Interview,
    Requisition,
    StageMovesHour,
    Submission,
    SubmissionStageChange,
)
from feedback.models import AvailabilityRequest, FeedbackDueHour, FeedbackRequest, Reminder, RequestStatus
from rpo_portal.rollups import HourlySplit, hourly_split

from ..aggregates import BucketIndex, MedianHours
from .types import ratio, share


def _of(engagement: Engagement, path: str = "") -> Q:
    """The rows of one engagement, by the engagement they carry (``OfSubmission``)."""
    return Q(**{f"{path}engagement_id": engagement.pk})


def feedback_due(*, engagement_ids, start: datetime, end: datetime):
    """The feedback requests "feedback on time" is measured on over [``start``, ``end``): those due
    in it, cancelled ones aside. The figure, its weekly trend and the health rule all count these,
    answered on time or not (``answered_on_time_q``). Of some engagements."""
    return FeedbackRequest.objects.filter(engagement_id__in=engagement_ids, due_at__gte=start, due_at__lt=end).exclude(
        status=RequestStatus.CANCELLED
    )


def _whole_hours(split: HourlySplit) -> Q:
    """A rollup's hours that ``split`` reads from it."""
    hours = Q(hour__gte=split.first, hour__lt=split.last)
    if split.cut_hours:
        hours &= ~Q(hour__in=split.cut_hours)
    return hours


def _rows_in(field: str, split: HourlySplit) -> Q:
    """The source's rows that ``split`` reads from the source: those of its ``raw`` ranges."""
    ranges = (Q(**{f"{field}__gte": low, f"{field}__lt": high}) for low, high in split.raw)
    return functools.reduce(operator.or_, ranges)


def _hourly(split: HourlySplit, hours, rows, moment: str):
    """The grouped rows of a rollup's whole hours (``hours()``, a queryset of the rollup) and of
    the source's rows in the rest (``rows()``, a queryset of the source, read by ``moment``): at
    most one query of each, both grouped alike, their rows to be added up by the caller. Each
    queryset is built only when it is read (building one costs about as much as running it)."""
    if split.first is not None:
        yield from hours().filter(_whole_hours(split))
    if split.raw:
        yield from rows().filter(_rows_in(moment, split))


def feedback_on_time(*, engagement_ids, start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
    """{engagement id: (due, answered on time)} over [``start``, ``end``) (``feedback_due``): its
    whole hours from the rollup (``feedback.models.FEEDBACK_DUE_HOURLY``), the rest from the
    requests, one grouped query of each."""
    split = hourly_split(start, end)
    counts: dict[int, tuple[int, int]] = {}

    def hours():
        return (
            FeedbackDueHour.objects.filter(engagement_id__in=engagement_ids)
            .values("engagement_id")
            .annotate(n_due=Sum("due"), n_on_time=Sum("on_time"))
            .order_by()
        )

    def rows():
        return (
            FeedbackRequest.objects.filter(engagement_id__in=engagement_ids)
            .exclude(status=RequestStatus.CANCELLED)
            .values("engagement_id")
            .annotate(n_due=Count("pk"), n_on_time=Count("pk", filter=FeedbackRequest.objects.answered_on_time_q()))
            .order_by()
        )

    for row in _hourly(split, hours, rows, "due_at"):
        due, on_time = counts.get(row["engagement_id"], (0, 0))
        counts[row["engagement_id"]] = (due + (row["n_due"] or 0), on_time + (row["n_on_time"] or 0))
    return {engagement: values for engagement, values in counts.items() if values[0]}


def week_starts(start: datetime, end: datetime, zone: ZoneInfo) -> list[date]:
    """The Mondays of the weeks (in ``zone``) that [``start``, ``end``) touches, in order."""
    monday = start.astimezone(zone).date()
    monday -= timedelta(days=monday.weekday())
    last = end.astimezone(zone).date()
    mondays = []
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(days=7)
    return mondays


def _first_moment(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _week_of(field: str, mondays: list[date], zone: ZoneInfo):
    """The index in ``mondays`` of the local week ``field`` falls in, for rows from the first
    Monday on: a binary search over the weeks' first moments per row (``BucketIndex``), where
    ``TruncWeek`` turns every row into the local time of ``zone`` (a third of the time over 40,000
    rows)."""
    if len(mondays) == 1:
        return Value(0, output_field=IntegerField())
    return BucketIndex(field, [_first_moment(monday, zone) for monday in mondays[1:]])


def _in_week(field: str, mondays: list[date], index: int, zone: ZoneInfo) -> Q:
    """The rows of week ``index`` of ``mondays``, as ``_week_of`` counts them."""
    rows = Q(**{f"{field}__gte": _first_moment(mondays[index], zone)})
    if index + 1 < len(mondays):
        rows &= Q(**{f"{field}__lt": _first_moment(mondays[index + 1], zone)})
    return rows


def _week_cuts(mondays: list[date], zone: ZoneInfo, *moments: datetime) -> list[datetime]:
    """Where a window's figures divide it: its weeks' first moments, and ``moments``."""
    return [*(_first_moment(monday, zone) for monday in mondays[1:]), *moments]


def feedback_on_time_by_week(*, engagement: Engagement, start: datetime, end: datetime, health_start: datetime):
    """{week: (due, answered on time, due since health_start, on time since health_start)}: the
    window's trend and the health rule's period (``feedback_on_time``'s numbers). The whole hours
    that no week or period divides from the rollup (``feedback.models.FEEDBACK_DUE_HOURLY``,
    about 24 rows a day), the rest from the requests (``feedback_due``): two grouped queries, the
    second over the few requests due in the hours a cut falls inside."""
    zone = ZoneInfo(engagement.time_zone)
    low = min(start, health_start)
    mondays = week_starts(low, end, zone)
    split = hourly_split(low, end, _week_cuts(mondays, zone, start, health_start))

    def hours():
        return (
            FeedbackDueHour.objects.filter(engagement_id=engagement.pk)
            .annotate(week=_week_of("hour", mondays, zone))
            .values("week")
            .annotate(
                n_due=Sum("due", filter=Q(hour__gte=start)),
                n_on_time=Sum("on_time", filter=Q(hour__gte=start)),
                n_recent_due=Sum("due", filter=Q(hour__gte=health_start)),
                n_recent_on_time=Sum("on_time", filter=Q(hour__gte=health_start)),
            )
            .order_by()
        )

    on_time = FeedbackRequest.objects.answered_on_time_q()
    recent = Q(due_at__gte=health_start)

    def rows():
        return (
            feedback_due(engagement_ids=[engagement.pk], start=low, end=end)
            .annotate(week=_week_of("due_at", mondays, zone))
            .values("week")
            .annotate(
                n_due=Count("due_at", filter=Q(due_at__gte=start)),
                n_on_time=Count("due_at", filter=Q(due_at__gte=start) & on_time),
                n_recent_due=Count("due_at", filter=recent),
                n_recent_on_time=Count("due_at", filter=recent & on_time),
            )
            .order_by()
        )

    weeks: dict[date, tuple[int, int, int, int]] = {}
    for row in _hourly(split, hours, rows, "due_at"):
        counted = (row["n_due"], row["n_on_time"], row["n_recent_due"], row["n_recent_on_time"])
        before = weeks.get(mondays[row["week"]], (0, 0, 0, 0))
        weeks[mondays[row["week"]]] = tuple(old + (new or 0) for old, new in zip(before, counted, strict=True))
    return weeks


def feedback_turnaround(*, engagement: Engagement, start: datetime, end: datetime) -> tuple[float | None, dict]:
    """The median hours from asking to answer of the feedback answered in the window, and the
    same of each week ({week: median}, weeks with answers only): one query, one pass over the
    window's answers (``feedback_request_answered_idx``), each week's median an aggregate of its
    own rows (medians do not add up)."""
    zone = ZoneInfo(engagement.time_zone)
    mondays = week_starts(start, end, zone)
    weekly = {
        f"week_{index}": MedianHours("answered_at", "created_at", filter=_in_week("answered_at", mondays, index, zone))
        for index in range(len(mondays))
    }
    medians = FeedbackRequest.objects.filter(_of(engagement), answered_at__gte=start, answered_at__lt=end).aggregate(
        window=MedianHours("answered_at", "created_at"), **weekly
    )
    weeks = {monday: medians[f"week_{index}"] for index, monday in enumerate(mondays)}
    return medians["window"], {monday: median for monday, median in weeks.items() if median is not None}


def availability_lead(*, engagement: Engagement, start: datetime, end: datetime) -> float | None:
    return AvailabilityRequest.objects.filter(
        _of(engagement),
        status=RequestStatus.ANSWERED,
        answered_at__gte=start,
        answered_at__lt=end,
    ).aggregate(median=MedianHours("answered_at", "created_at"))["median"]


def interviews(*, engagement: Engagement, start: datetime, end: datetime) -> dict:
    """Interviews starting in the window: no-shows of each kind (the candidate's count on the
    provider's side, the hiring manager's on the client's) and the times they were moved. Counted
    by a column ``interview_engagement_idx`` holds, not the id it does not: read from the index
    alone (counting ids, PostgreSQL read the whole table: 3.4 ms to under 2 at seed_demo --scale 100)."""
    return Interview.objects.filter(_of(engagement), starts_at__gte=start, starts_at__lt=end).aggregate(
        candidate_no_shows=Count("starts_at", filter=Q(status=Interview.Status.NO_SHOW)),
        hiring_manager_no_shows=Count("starts_at", filter=Q(status=Interview.Status.HM_NO_SHOW)),
        reschedules=Sum("rescheduled_count"),
    )


def escalation_q(engagement_ids) -> Q:
    return Q(feedback_request__engagement_id__in=engagement_ids) | Q(
        availability_request__engagement_id__in=engagement_ids
    )


def escalations_sent(*, engagement_ids, start: datetime, end: datetime):
    """Escalations about these engagements' requests sent in [``start``, ``end``)."""
    return Reminder.objects.filter(
        escalation_q(engagement_ids), level=Reminder.Level.ESCALATION, sent_at__gte=start, sent_at__lt=end
    )


def escalations(*, engagement: Engagement, start: datetime, end: datetime, recent_start: datetime) -> dict:
    """Escalations sent in the window, and since ``recent_start`` (the health rule's period)."""
    of = _of(engagement, "feedback_request__") | _of(engagement, "availability_request__")
    since = min(start, recent_start)
    return Reminder.objects.filter(of, level=Reminder.Level.ESCALATION, sent_at__gte=since, sent_at__lt=end).aggregate(
        window=Count("pk", filter=Q(sent_at__gte=start)), recent=Count("pk", filter=Q(sent_at__gte=recent_start))
    )


def stage_moves_by_week(
    *, engagement: Engagement, start: datetime, end: datetime, health_start: datetime
) -> tuple[dict, dict]:
    """{week: {"submitted", "interview", "offer", "hired", "offer_lost"}} from the stage history
    (``SCORECARD_MOVE_COUNTS``), and the submissions made and moves to interview since
    ``health_start`` (the health rule's period, for the provider's targets). The whole hours that no
    week or period divides from the rollup (``engagements.models.STAGE_MOVES_HOURLY``, about 24 rows
    a day), the rest from the moves themselves (``stage_change_counted_idx``): two grouped queries,
    the second over the moves of the few hours a cut falls inside."""
    zone = ZoneInfo(engagement.time_zone)
    low = min(start, health_start)
    mondays = week_starts(low, end, zone)
    split = hourly_split(low, end, _week_cuts(mondays, zone, start, health_start))
    keys, counted = tuple(SCORECARD_MOVE_COUNTS), SCORECARD_MOVE_COUNTS.items()

    def hours():
        return (
            StageMovesHour.objects.filter(engagement_id=engagement.pk)
            .annotate(week=_week_of("hour", mondays, zone))
            .values("week")
            .annotate(
                **{f"n_{key}": Sum(key, filter=Q(hour__gte=start)) for key in keys},
                n_recent_submitted=Sum("submitted", filter=Q(hour__gte=health_start)),
                n_recent_interview=Sum("interview", filter=Q(hour__gte=health_start)),
            )
            .order_by()
        )

    def rows():
        in_window, recent = Q(changed_at__gte=start), Q(changed_at__gte=health_start)
        return (
            SubmissionStageChange.objects.filter(
                SCORECARD_MOVES, _of(engagement), changed_at__gte=low, changed_at__lt=end
            )
            .annotate(week=_week_of("changed_at", mondays, zone))
            .values("week")
            .annotate(
                **{f"n_{key}": Count("to_stage", filter=in_window & rule) for key, rule in counted},
                n_recent_submitted=Count("to_stage", filter=recent & SCORECARD_MOVE_COUNTS["submitted"]),
                n_recent_interview=Count("to_stage", filter=recent & SCORECARD_MOVE_COUNTS["interview"]),
            )
            .order_by()
        )

    weeks, recent_moves = {}, {"submitted": 0, "interview": 0}
    for row in _hourly(split, hours, rows, "changed_at"):
        week = weeks.setdefault(mondays[row["week"]], dict.fromkeys(keys, 0))  # weeks before the window: zeros
        for key in keys:
            week[key] += row[f"n_{key}"] or 0
        recent_moves["submitted"] += row["n_recent_submitted"] or 0
        recent_moves["interview"] += row["n_recent_interview"] or 0
    return weeks, recent_moves


OPEN_OR_ON_HOLD = frozenset({Requisition.Status.OPEN, Requisition.Status.ON_HOLD})


@dataclass(frozen=True)
class RequisitionRow:
    """What the provider's figures read of one requisition."""

    engagement_id: int
    opened_on: date
    status: str
    filled_on: date | None
    first_at: datetime | None  # its first submission


def requisition_rows(*, engagement_ids, start: datetime, end: datetime) -> list[RequisitionRow]:
    """The requisitions of these engagements that can count in a window within [``start``,
    ``end``): open or on hold, filled since a day before ``start``, or with their first submission
    in it (the day of margin: each engagement's dates are in its own zone, sorted out by
    ``provider_values``). One query, whatever the number of engagements."""
    first = Submission.objects.filter(requisition_id=OuterRef("pk")).order_by("submitted_at").values("submitted_at")[:1]
    loose_first_day, loose_last_day = (start - timedelta(days=1)).date(), (end + timedelta(days=1)).date()
    may_be_open = Q(opened_on__lte=loose_last_day) & (
        Q(status__in=[Requisition.Status.OPEN, Requisition.Status.ON_HOLD])
        | Q(status=Requisition.Status.FILLED, filled_on__gte=loose_first_day)
    )
    return [
        RequisitionRow(*row)
        for row in Requisition.objects.filter(engagement_id__in=engagement_ids)
        .annotate(first_at=Subquery(first))
        .filter(may_be_open | Q(first_at__gte=start, first_at__lt=end))
        .order_by()
        .values_list("engagement_id", "opened_on", "status", "filled_on", "first_at")
    ]


def business_days_between(opened_on: date, day: date, calendar: BusinessCalendar) -> int:
    """Business days from a requisition's opening date to ``day``: the clock starts on the first
    working day on or after the opening (opened on a Saturday or a public holiday, it starts on the
    next working day), and each working day after that, up to and including ``day``, counts one.
    Opened and submitted on the same day: 0; opened on a Friday and submitted on the Monday: 1, or
    0 when that Monday is a public holiday (and 1 on the Tuesday)."""
    return _working_days(calendar).between(opened_on, day)


@functools.lru_cache(maxsize=64)
def _working_days(calendar: BusinessCalendar) -> _WorkingDays:
    return _WorkingDays(calendar)


class _WorkingDays:
    """``business_days_between`` of one calendar, counted rather than walked day by day: the
    working weekdays of the whole weeks and of the days left over, less the public holidays on
    working weekdays in between (each year's sorted once), the same count as ``is_working_day``
    day by day; a requisition open for months costs as little as one open for a day."""

    def __init__(self, calendar: BusinessCalendar):
        self.calendar = calendar
        self.weekdays = calendar.weekdays
        # Working weekdays among the ``left_over`` days after a day of ISO weekday ``weekday``.
        self.left_over = {
            (weekday, left_over): sum(
                (weekday + offset - 1) % 7 + 1 in self.weekdays for offset in range(1, left_over + 1)
            )
            for weekday in range(1, 8)
            for left_over in range(7)
        }
        self.holidays: dict[int, list[date]] = {}
        self.clock_starts: dict[date, date] = {}  # opening date: the first working day on or after it

    def holidays_of(self, year: int) -> list[date]:
        """The holidays of ``year`` on working weekdays, in order (``is_holiday`` reads a day's own year)."""
        found = self.holidays.get(year)
        if found is None:
            calendar = self.calendar
            of_year = holidays_of(calendar.country, calendar.region, year) if calendar.country else {}
            found = self.holidays[year] = sorted(
                day for day in of_year if day.year == year and day.isoweekday() in self.weekdays
            )
        return found

    def clock_start(self, opened_on: date) -> date:
        start = self.clock_starts.get(opened_on)
        if start is None:
            start = opened_on
            for _ in range(MAX_DAYS_SCANNED):
                if start.isoweekday() in self.weekdays and start not in self.holidays_of(start.year):
                    break
                start += timedelta(days=1)
            self.clock_starts[opened_on] = start
        return start

    def between(self, opened_on: date, day: date) -> int:
        start = self.clock_start(opened_on)
        if day <= start:
            return 0
        weeks, left_over = divmod((day - start).days, 7)
        count = weeks * len(self.weekdays) + self.left_over[start.isoweekday(), left_over]
        for year in range(start.year, day.year + 1):
            holidays = self.holidays_of(year)
            if holidays:
                count -= bisect.bisect_right(holidays, day) - bisect.bisect_right(holidays, start)
        return count


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def provider_values(
    *,
    engagement: Engagement,
    rows: list[RequisitionRow],
    submitted: int,
    interview: int,
    start: datetime,
    end: datetime,
) -> dict[str, float | None]:
    """The provider's figures that have targets, over [``start``, ``end``), from the engagement's
    ``requisition_rows`` and its submissions made and moves to interview in the window:

    - requisitions open during the window: opened by its last day, and open, on hold, or filled
      since its first day (dates in the engagement's time zone);
    - median time to first submission, in business days (``business_days_between``);
    - median time to fill, in days, of the requisitions filled in the window.
    """
    calendar = engagement.business_calendar
    zone = calendar.zone
    business_days = _working_days(calendar).between  # ``business_days_between`` of this calendar
    first_day, last_day = start.astimezone(zone).date(), (end - timedelta(microseconds=1)).astimezone(zone).date()
    engagement_id, filled_status, open_statuses = engagement.pk, Requisition.Status.FILLED, OPEN_OR_ON_HOLD
    open_during, to_fill, to_first = 0, [], []
    for row in rows:
        if row.engagement_id != engagement_id:
            continue
        filled = row.status == filled_status
        is_open = row.status in open_statuses
        if row.opened_on <= last_day and (is_open or (filled and row.filled_on >= first_day)):
            open_during += 1
        if filled and row.filled_on is not None and first_day <= row.filled_on <= last_day:
            to_fill.append((row.filled_on - row.opened_on).days)
        if row.first_at is not None and start <= row.first_at < end:
            to_first.append(business_days(row.opened_on, row.first_at.astimezone(zone).date()))
    return {
        "median_days_to_first_submission": _median(to_first),
        "submissions_per_requisition": ratio(submitted, open_during),
        "submission_to_interview_ratio": share(interview, submitted),
        "median_days_to_fill": _median(to_fill),
        "open_during": open_during,
    }


def provider_target_figures(*, engagements: list[Engagement], start: datetime, end: datetime) -> dict[int, dict]:
    """``provider_values`` of each of ``engagements`` over [``start``, ``end``): three grouped
    queries whatever the number of engagements (the health map): the moves of the window's whole
    hours from the rollup (``STAGE_MOVES_HOURLY``), the rest from the moves, and the requisitions."""
    ids = [engagement.pk for engagement in engagements]

    def hours():
        return (
            StageMovesHour.objects.filter(engagement_id__in=ids)
            .values("engagement_id")
            .annotate(n_submitted=Sum("submitted"), n_interview=Sum("interview"))
            .order_by()
        )

    def rows():
        return (
            SubmissionStageChange.objects.filter(SCORECARD_MOVES, engagement_id__in=ids)
            .values("engagement_id")
            .annotate(
                n_submitted=Count("pk", filter=SCORECARD_MOVE_COUNTS["submitted"]),
                n_interview=Count("pk", filter=SCORECARD_MOVE_COUNTS["interview"]),
            )
            .order_by()
        )

    moves: dict[int, dict[str, int]] = {}
    for row in _hourly(hourly_split(start, end), hours, rows, "changed_at"):
        counted = moves.setdefault(row["engagement_id"], {"submitted": 0, "interview": 0})
        counted["submitted"] += row["n_submitted"] or 0
        counted["interview"] += row["n_interview"] or 0
    requisitions: dict[int, list[RequisitionRow]] = {}
    for row in requisition_rows(engagement_ids=ids, start=start, end=end):
        requisitions.setdefault(row.engagement_id, []).append(row)
    return {
        engagement.pk: provider_values(
            engagement=engagement,
            rows=requisitions.get(engagement.pk, []),
            submitted=moves.get(engagement.pk, {}).get("submitted", 0),
            interview=moves.get(engagement.pk, {}).get("interview", 0),
            start=start,
            end=end,
        )
        for engagement in engagements
    }


def hiring_manager_rows(*, engagement: Engagement, start: datetime, end: datetime, now: datetime) -> list[dict]:
    """Per person asked for feedback (see ``HiringManagerRow``): what was asked of them in the
    window, one grouped query read from ``feedback_request_asked_by_idx`` alone, in the order it
    groups by (no sort); and what they have open now, whenever asked, one grouped query of the
    open requests only. Neither reads the rest of the engagement's history."""
    answered = Q(answered_at__isnull=False)
    on_time = FeedbackRequest.objects.answered_on_time_q()
    overdue = FeedbackRequest.objects.overdue_q(now)
    asked = (
        FeedbackRequest.objects.filter(_of(engagement), created_at__gte=start, created_at__lt=end)
        .exclude(status=RequestStatus.CANCELLED)
        .values("requested_of_id")
        .annotate(
            requests=Count("created_at"),
            answered=Count("created_at", filter=answered),
            answered_on_time=Count("created_at", filter=on_time),
            measurable=Count("created_at", filter=answered | overdue),
            median_turnaround_hours=MedianHours("answered_at", "created_at", filter=answered),
        )
        .order_by()
    )
    rows = {row["requested_of_id"]: {**row, "open_now": 0, "overdue_now": 0} for row in asked}
    open_now = (
        FeedbackRequest.objects.filter(_of(engagement), status=RequestStatus.OPEN)
        .values("requested_of_id")
        .annotate(open_now=Count("due_at"), overdue_now=Count("due_at", filter=overdue))
        .order_by()
    )
    for row in open_now:
        person = row["requested_of_id"]
        none_asked = {"requested_of_id": person, "requests": 0, "answered": 0, "answered_on_time": 0}
        rows.setdefault(person, {**none_asked, "measurable": 0, "median_turnaround_hours": None}).update(
            open_now=row["open_now"], overdue_now=row["overdue_now"]
        )
    return list(rows.values())
