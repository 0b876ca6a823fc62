"""The database aggregates behind the figures: one query per source, whatever the amount of data.

Every function takes the engagement and the window [``start``, ``end``) and returns plain numbers;
weekly series come from the same grouped query as the window's totals where the figure adds up
(counts), and from one grouped query per source where it does not (medians).

One engagement's figures select its rows by the list of its requisitions (``requisition_ids``,
read once per scorecard), not by joining requisitions on ``engagement_id``: the join's plan
depends on statistics. Without them (right after a bulk load) PostgreSQL takes the engagement to
have one requisition, puts it outside a nested loop and rereads every row of the window once per
requisition: 27 s for the interview aggregate and 66 s for a scorecard at ``seed_demo --scale
100``, on a machine where the same scorecard takes 1 s after ``ANALYZE``. Filtered by the list,
each row of the window is read once, with or without statistics (``test_scorecard_plans``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate, TruncWeek

from engagements.models import Engagement, Interview, Requisition, Submission, SubmissionStageChange
from feedback.models import AvailabilityRequest, FeedbackRequest, Reminder, RequestStatus

from ..aggregates import DaysBetween, HoursBetween, Median

Stage = Submission.Stage


def requisition_ids(engagement: Engagement) -> list[int]:
    """The engagement's requisitions: what the figures of one engagement filter on (see above)."""
    return list(Requisition.objects.filter(engagement_id=engagement.pk).order_by().values_list("pk", flat=True))


def _of(requisition_ids: list[int], path: str = "submission__") -> Q:
    return Q(**{f"{path}requisition_id__in": requisition_ids})


def _week(value: datetime, zone: ZoneInfo):
    return value.astimezone(zone).date()


def feedback_due(*, engagement_ids=None, requisition_ids=None, start: datetime, end: datetime):
    """The feedback requests "feedback on time" is measured on over [``start``, ``end``): those due
    in it, cancelled ones aside. The figure, its weekly trend and the health rule all count these,
    answered on time or not (``answered_on_time_q``). Of some engagements, or of one engagement's
    requisitions."""
    of = (
        _of(requisition_ids)
        if requisition_ids is not None
        else Q(submission__requisition__engagement_id__in=engagement_ids)
    )
    return FeedbackRequest.objects.filter(of, due_at__gte=start, due_at__lt=end).exclude(status=RequestStatus.CANCELLED)


def feedback_on_time(*, engagement_ids, start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
    """{engagement id: (due, answered on time)} over [``start``, ``end``): one grouped query."""
    rows = (
        feedback_due(engagement_ids=engagement_ids, start=start, end=end)
        .values("submission__requisition__engagement_id")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=FeedbackRequest.objects.answered_on_time_q()))
        .order_by()
    )
    return {row["submission__requisition__engagement_id"]: (row["due"], row["on_time"]) for row in rows}


def feedback_on_time_by_week(
    *, engagement: Engagement, requisition_ids: list[int], start: datetime, end: datetime, health_start: datetime
):
    """{week: (due, answered on time, due since health_start, on time since health_start)}: the
    window's trend and the health rule's period (``feedback_on_time``'s numbers) in one query."""
    zone = ZoneInfo(engagement.time_zone)
    on_time = FeedbackRequest.objects.answered_on_time_q()
    recent = Q(due_at__gte=health_start)
    rows = (
        feedback_due(requisition_ids=requisition_ids, start=min(start, health_start), end=end)
        .annotate(week=TruncWeek("due_at", tzinfo=zone))
        .values("week")
        .annotate(
            due=Count("pk", filter=Q(due_at__gte=start)),
            on_time=Count("pk", filter=Q(due_at__gte=start) & on_time),
            recent_due=Count("pk", filter=recent),
            recent_on_time=Count("pk", filter=recent & on_time),
        )
        .order_by()
    )
    return {
        _week(row["week"], zone): (row["due"], row["on_time"], row["recent_due"], row["recent_on_time"]) for row in rows
    }


def _turnaround():
    return Median(HoursBetween("answered_at", "created_at"))


def feedback_turnaround_by_week(
    *, engagement: Engagement, requisition_ids: list[int], start: datetime, end: datetime
) -> dict:
    zone = ZoneInfo(engagement.time_zone)
    rows = (
        FeedbackRequest.objects.filter(_of(requisition_ids), answered_at__gte=start, answered_at__lt=end)
        .annotate(week=TruncWeek("answered_at", tzinfo=zone))
        .values("week")
        .annotate(median=_turnaround())
        .order_by()
    )
    return {_week(row["week"], zone): row["median"] for row in rows}


def feedback_turnaround(
    *, engagement: Engagement, requisition_ids: list[int], start: datetime, end: datetime
) -> float | None:
    return FeedbackRequest.objects.filter(_of(requisition_ids), answered_at__gte=start, answered_at__lt=end).aggregate(
        median=_turnaround()
    )["median"]


def availability_lead(
    *, engagement: Engagement, requisition_ids: list[int], start: datetime, end: datetime
) -> float | None:
    return AvailabilityRequest.objects.filter(
        _of(requisition_ids),
        status=RequestStatus.ANSWERED,
        answered_at__gte=start,
        answered_at__lt=end,
    ).aggregate(median=_turnaround())["median"]


def interviews(*, engagement: Engagement, requisition_ids: list[int], start: datetime, end: datetime) -> dict:
    """Interviews starting in the window: no-shows of each kind (the candidate's count on the
    provider's side, the hiring manager's on the client's) and the times they were moved."""
    return Interview.objects.filter(_of(requisition_ids), starts_at__gte=start, starts_at__lt=end).aggregate(
        candidate_no_shows=Count("pk", filter=Q(status=Interview.Status.NO_SHOW)),
        hiring_manager_no_shows=Count("pk", filter=Q(status=Interview.Status.HM_NO_SHOW)),
        reschedules=Sum("rescheduled_count"),
    )


def escalation_q(engagement_ids) -> Q:
    return Q(feedback_request__submission__requisition__engagement_id__in=engagement_ids) | Q(
        availability_request__submission__requisition__engagement_id__in=engagement_ids
    )


def escalations_sent(*, engagement_ids, start: datetime, end: datetime):
    """Escalations about these engagements' requests sent in [``start``, ``end``)."""
    return Reminder.objects.filter(
        escalation_q(engagement_ids), level=Reminder.Level.ESCALATION, sent_at__gte=start, sent_at__lt=end
    )


def escalations(
    *, engagement: Engagement, requisition_ids: list[int], start: datetime, end: datetime, recent_start: datetime
) -> dict:
    """Escalations sent in the window, and since ``recent_start`` (the health rule's period)."""
    of = _of(requisition_ids, "feedback_request__submission__") | _of(
        requisition_ids, "availability_request__submission__"
    )
    since = min(start, recent_start)
    return Reminder.objects.filter(of, level=Reminder.Level.ESCALATION, sent_at__gte=since, sent_at__lt=end).aggregate(
        window=Count("pk", filter=Q(sent_at__gte=start)), recent=Count("pk", filter=Q(sent_at__gte=recent_start))
    )


def stage_moves_by_week(*, engagement: Engagement, requisition_ids: list[int], start: datetime, end: datetime) -> dict:
    """{week: {"submitted", "interview", "offer", "hired", "offer_lost"}} from the stage history."""
    zone = ZoneInfo(engagement.time_zone)
    rows = (
        SubmissionStageChange.objects.filter(_of(requisition_ids), changed_at__gte=start, changed_at__lt=end)
        .annotate(week=TruncWeek("changed_at", tzinfo=zone))
        .values("week")
        .annotate(
            submitted=Count("pk", filter=Q(from_stage="", to_stage=Stage.SUBMITTED)),
            interview=Count("pk", filter=Q(to_stage=Stage.INTERVIEW)),
            offer=Count("pk", filter=Q(to_stage=Stage.OFFER)),
            hired=Count("pk", filter=Q(from_stage=Stage.OFFER, to_stage=Stage.HIRED)),
            offer_lost=Count("pk", filter=Q(from_stage=Stage.OFFER, to_stage__in=[Stage.REJECTED, Stage.WITHDRAWN])),
        )
        .order_by()
    )
    keys = ("submitted", "interview", "offer", "hired", "offer_lost")
    return {_week(row["week"], zone): {key: row[key] for key in keys} for row in rows}


def requisitions(*, engagement: Engagement, requisition_ids: list[int], start: datetime, end: datetime) -> dict:
    """Requisitions open during the window, median days to fill and to first submission."""
    zone = ZoneInfo(engagement.time_zone)
    first_day, last_day = start.astimezone(zone).date(), (end - timedelta(microseconds=1)).astimezone(zone).date()
    first_submission = (
        Submission.objects.filter(requisition_id=OuterRef("pk")).order_by("submitted_at").values("submitted_at")[:1]
    )
    open_during = Q(opened_on__lte=last_day) & (
        Q(status__in=[Requisition.Status.OPEN, Requisition.Status.ON_HOLD])
        | Q(status=Requisition.Status.FILLED, filled_on__gte=first_day)
    )
    filled_in = Q(status=Requisition.Status.FILLED, filled_on__gte=first_day, filled_on__lte=last_day)
    first_in = Q(first_at__gte=start, first_at__lt=end)
    return (
        Requisition.objects.filter(engagement_id=engagement.pk)
        .annotate(first_at=Subquery(first_submission))
        .aggregate(
            open_during=Count("pk", filter=open_during),
            days_to_fill=Median(DaysBetween("filled_on", "opened_on"), filter=filled_in),
            days_to_first=Median(DaysBetween(TruncDate("first_at", tzinfo=zone), "opened_on"), filter=first_in),
        )
    )


def hiring_manager_rows(
    *, engagement: Engagement, requisition_ids: list[int], start: datetime, end: datetime, now: datetime
) -> list[dict]:
    """Per person asked for feedback: one grouped query (see ``HiringManagerRow``)."""
    asked = Q(created_at__gte=start, created_at__lt=end)
    answered = Q(answered_at__isnull=False)
    on_time = FeedbackRequest.objects.answered_on_time_q()
    overdue = FeedbackRequest.objects.overdue_q(now)
    is_open = Q(status=RequestStatus.OPEN)
    return list(
        FeedbackRequest.objects.filter(_of(requisition_ids))
        .exclude(status=RequestStatus.CANCELLED)
        .filter(asked | is_open)
        .values("requested_of_id")
        .annotate(
            requests=Count("pk", filter=asked),
            answered=Count("pk", filter=asked & answered),
            answered_on_time=Count("pk", filter=asked & on_time),
            measurable=Count("pk", filter=asked & (answered | overdue)),
            median_turnaround_hours=Median(HoursBetween("answered_at", "created_at"), filter=asked & answered),
            open_now=Count("pk", filter=is_open),
            overdue_now=Count("pk", filter=overdue),
        )
        .order_by()
    )
