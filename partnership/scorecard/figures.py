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
"""

from __future__ import annotations

import bisect
import functools
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value

from engagements.business_hours import MAX_DAYS_SCANNED, BusinessCalendar, holidays_of
from engagements.models import SCORECARD_MOVES, Engagement, Interview, Requisition, Submission, SubmissionStageChange
from feedback.models import AvailabilityRequest, FeedbackRequest, Reminder, RequestStatus

from ..aggregates import BucketIndex, MedianHours
from .types import ratio, share

Stage = Submission.Stage


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


def feedback_on_time(*, engagement_ids, start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
    """{engagement id: (due, answered on time)} over [``start``, ``end``): one grouped query."""
    rows = (
        feedback_due(engagement_ids=engagement_ids, start=start, end=end)
        .values("engagement_id")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=FeedbackRequest.objects.answered_on_time_q()))
        .order_by()
    )
    return {row["engagement_id"]: (row["due"], row["on_time"]) for row in rows}


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


def feedback_on_time_by_week(*, engagement: Engagement, start: datetime, end: datetime, health_start: datetime):
    """{week: (due, answered on time, due since health_start, on time since health_start)}: the
    window's trend and the health rule's period (``feedback_on_time``'s numbers) in one query."""
    zone = ZoneInfo(engagement.time_zone)
    mondays = week_starts(min(start, health_start), end, zone)
    on_time = FeedbackRequest.objects.answered_on_time_q()
    recent = Q(due_at__gte=health_start)
    rows = (
        feedback_due(engagement_ids=[engagement.pk], start=min(start, health_start), end=end)
        .annotate(week=_week_of("due_at", mondays, zone))
        .values("week")
        .annotate(
            due=Count("due_at", filter=Q(due_at__gte=start)),
            on_time=Count("due_at", filter=Q(due_at__gte=start) & on_time),
            recent_due=Count("due_at", filter=recent),
            recent_on_time=Count("due_at", filter=recent & on_time),
        )
        .order_by()
    )
    return {
        mondays[row["week"]]: (row["due"], row["on_time"], row["recent_due"], row["recent_on_time"]) for row in rows
    }


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
    """{week: {"submitted", "interview", "offer", "hired", "offer_lost"}} from the stage history,
    and the submissions made and moves to interview since ``health_start`` (the health rule's
    period, for the provider's targets), in one query."""
    zone = ZoneInfo(engagement.time_zone)
    mondays = week_starts(min(start, health_start), end, zone)
    in_window, recent = Q(changed_at__gte=start), Q(changed_at__gte=health_start)
    submitted, interview = Q(from_stage="", to_stage=Stage.SUBMITTED), Q(to_stage=Stage.INTERVIEW)
    offer, from_offer = Q(to_stage=Stage.OFFER), Q(from_stage=Stage.OFFER)
    # Only the moves counted (SCORECARD_MOVES, about half of all: not the moves to review, nor
    # rejections before an offer), read from stage_change_counted_idx alone, which holds them only.
    rows = (
        SubmissionStageChange.objects.filter(
            SCORECARD_MOVES, _of(engagement), changed_at__gte=min(start, health_start), changed_at__lt=end
        )
        .annotate(week=_week_of("changed_at", mondays, zone))
        .values("week")
        .annotate(
            submitted=Count("to_stage", filter=in_window & submitted),
            interview=Count("to_stage", filter=in_window & interview),
            offer=Count("to_stage", filter=in_window & offer),
            hired=Count("to_stage", filter=in_window & from_offer & Q(to_stage=Stage.HIRED)),
            offer_lost=Count(
                "to_stage", filter=in_window & from_offer & Q(to_stage__in=[Stage.REJECTED, Stage.WITHDRAWN])
            ),
            recent_submitted=Count("to_stage", filter=recent & submitted),
            recent_interview=Count("to_stage", filter=recent & interview),
        )
        .order_by()
    )
    keys = ("submitted", "interview", "offer", "hired", "offer_lost")
    weeks, recent_moves = {}, {"submitted": 0, "interview": 0}
    for row in rows:
        weeks[mondays[row["week"]]] = {key: row[key] for key in keys}  # weeks before the window: zeros
        recent_moves["submitted"] += row["recent_submitted"]
        recent_moves["interview"] += row["recent_interview"]
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
    """``provider_values`` of each of ``engagements`` over [``start``, ``end``): two grouped
    queries whatever the number of engagements (the health map)."""
    ids = [engagement.pk for engagement in engagements]
    moves = {
        row["engagement_id"]: row
        for row in SubmissionStageChange.objects.filter(
            SCORECARD_MOVES, engagement_id__in=ids, changed_at__gte=start, changed_at__lt=end
        )
        .values("engagement_id")
        .annotate(
            submitted=Count("pk", filter=Q(from_stage="", to_stage=Stage.SUBMITTED)),
            interview=Count("pk", filter=Q(to_stage=Stage.INTERVIEW)),
        )
        .order_by()
    }
    rows: dict[int, list[RequisitionRow]] = {}
    for row in requisition_rows(engagement_ids=ids, start=start, end=end):
        rows.setdefault(row.engagement_id, []).append(row)
    return {
        engagement.pk: provider_values(
            engagement=engagement,
            rows=rows.get(engagement.pk, []),
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
