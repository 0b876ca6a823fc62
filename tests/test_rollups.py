"""The hourly rollups the database keeps (``rpo_portal.rollups``) hold what their rules count.

Each rollup is compared with its rule's own count, by the ORM and the Q objects the figures use
(``SCORECARD_MOVES`` and ``SCORECARD_MOVE_COUNTS``; ``feedback_due`` and ``answered_on_time_q``),
after rows are written by a service, by ``bulk_create``, by ``save`` and by queryset ``update``,
and after deletes (a cascade from a submission, from an engagement). Both databases: the
triggers are written once for each.
"""

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import TruncHour

from engagements.models import (
    SCORECARD_MOVE_COUNTS,
    SCORECARD_MOVES,
    STAGE_MOVES_HOURLY,
    Engagement,
    StageMovesHour,
    Submission,
    SubmissionStageChange,
)
from engagements.services import submission_change_stage
from feedback.models import FEEDBACK_DUE_HOURLY, FeedbackDueHour, FeedbackRequest, RequestStatus
from partnership.scorecard import HEALTH_DAYS
from partnership.scorecard.figures import feedback_on_time_by_week, stage_moves_by_week, week_starts
from rpo_portal import rollups
from rpo_portal.rollups import hourly_split

from . import factories

Stage = Submission.Stage
START = datetime(2026, 3, 1, tzinfo=UTC)


def _nonzero(rows, columns):
    return {
        (row["engagement_id"], row["hour"].astimezone(UTC)): tuple(row[column] for column in columns)
        for row in rows
        if any(row[column] for column in columns)
    }


def stage_rollup():
    columns = list(SCORECARD_MOVE_COUNTS)
    return _nonzero(StageMovesHour.objects.values("engagement_id", "hour", *columns), columns)


def stage_rule():
    columns = list(SCORECARD_MOVE_COUNTS)
    rows = (
        SubmissionStageChange.objects.filter(SCORECARD_MOVES)
        .annotate(hour=TruncHour("changed_at", tzinfo=UTC))
        .values("engagement_id", "hour")
        .annotate(**{column: Count("pk", filter=condition) for column, condition in SCORECARD_MOVE_COUNTS.items()})
        .order_by()
    )
    return _nonzero(rows, columns)


def due_rollup():
    return _nonzero(FeedbackDueHour.objects.values("engagement_id", "hour", "due", "on_time"), ["due", "on_time"])


def due_rule():
    rows = (
        FeedbackRequest.objects.exclude(status=RequestStatus.CANCELLED)
        .annotate(hour=TruncHour("due_at", tzinfo=UTC))
        .values("engagement_id", "hour")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=FeedbackRequest.objects.answered_on_time_q()))
        .order_by()
    )
    return _nonzero(rows, ["due", "on_time"])


def assert_rollups_hold():
    assert stage_rollup() == stage_rule()
    assert due_rollup() == due_rule()


def moment(rng):
    return START + timedelta(minutes=rng.randrange(0, 60 * 24 * 10), microseconds=rng.randrange(0, 10**6))


def history(world, rng, submissions=12):
    """Submissions of both engagements with stage moves of every kind written in bulk, and
    feedback requests due at random moments, answered on time, late, not yet, or cancelled."""
    moves, requests = [], []
    paths = [
        [Stage.SUBMITTED, Stage.HM_REVIEW, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED],
        [Stage.SUBMITTED, Stage.HM_REVIEW, Stage.INTERVIEW, Stage.OFFER, Stage.WITHDRAWN],
        [Stage.SUBMITTED, Stage.HM_REVIEW, Stage.REJECTED],
        [Stage.SUBMITTED, Stage.HM_REVIEW, Stage.INTERVIEW, Stage.OFFER, Stage.REJECTED],
    ]
    for index in range(submissions):
        requisition = world.requisition if index % 3 else world.globex_requisition
        path = rng.choice(paths)
        submission = factories.SubmissionFactory(requisition=requisition, stage=path[-1])
        at, previous = moment(rng), ""
        for stage in path:
            moves.append(
                SubmissionStageChange(
                    submission=submission,
                    engagement_id=requisition.engagement_id,
                    from_stage=previous,
                    to_stage=stage,
                    changed_at=at,
                )
            )
            previous, at = stage, at + timedelta(minutes=rng.randrange(1, 3000))
        due = moment(rng)
        status = rng.choice([RequestStatus.OPEN, RequestStatus.ANSWERED, RequestStatus.CANCELLED])
        answered = due + timedelta(minutes=rng.randrange(-600, 600)) if status == RequestStatus.ANSWERED else None
        requests.append((submission, due, status, answered))
    SubmissionStageChange.objects.bulk_create(moves)
    for submission, due, status, answered in requests:
        factories.FeedbackRequestFactory(
            submission=submission,
            created_at=due - timedelta(hours=24),
            due_at=due,
            status=status,
            answered_at=answered,
        )


@pytest.mark.django_db(transaction=True)
def test_the_rollups_count_what_their_rules_count_through_every_kind_of_write(world):
    rng = random.Random(20261201)
    history(world, rng)
    assert stage_rollup(), "the history has counted moves"
    assert due_rollup(), "the history has feedback due"
    assert_rollups_hold()

    # A service's move (one row, now), and an update that changes nothing counted (an erasure's notes).
    submission = Submission.objects.filter(stage=Stage.SUBMITTED).first() or factories.SubmissionFactory(
        requisition=world.requisition
    )
    submission_change_stage(actor=world.recruiter, submission=submission, to_stage=Stage.HM_REVIEW)
    submission_change_stage(actor=world.recruiter, submission=submission, to_stage=Stage.INTERVIEW)
    SubmissionStageChange.objects.update(note="erased")
    assert_rollups_hold()

    # Answers, late and on time, by save; a cancellation; due times moved by a queryset update.
    open_requests = list(FeedbackRequest.objects.filter(status=RequestStatus.OPEN).order_by("pk"))
    for index, request in enumerate(open_requests[:4]):
        request.status = RequestStatus.ANSWERED
        request.answered_at = request.due_at + timedelta(hours=1 if index % 2 else -1)
        request.save()
    answered = FeedbackRequest.objects.filter(status=RequestStatus.ANSWERED).order_by("pk").first()
    FeedbackRequest.objects.filter(pk=answered.pk).update(status=RequestStatus.CANCELLED)
    later = timedelta(hours=3, minutes=17)
    FeedbackRequest.objects.filter(engagement=world.acme_engagement).update(
        remind_at=F("remind_at") + later, due_at=F("due_at") + later, escalate_at=F("escalate_at") + later
    )
    FeedbackRequest.objects.filter(status=RequestStatus.CANCELLED).update(status=RequestStatus.OPEN)
    assert_rollups_hold()

    # Moves of a row to another engagement, and deletes: a submission with its history, an engagement with all.
    change = SubmissionStageChange.objects.filter(SCORECARD_MOVES, engagement=world.acme_engagement).first()
    SubmissionStageChange.objects.filter(pk=change.pk).update(engagement=world.globex_engagement)
    assert_rollups_hold()
    Submission.objects.filter(pk__in=Submission.objects.filter(requisition=world.requisition).values("pk")[:3]).delete()
    assert_rollups_hold()
    SubmissionStageChange.objects.filter(pk=change.pk).update(engagement=world.acme_engagement)
    Engagement.objects.filter(pk=world.globex_engagement.pk).delete()
    assert_rollups_hold()
    assert not StageMovesHour.objects.filter(engagement_id=world.globex_engagement.pk).exists()
    assert not FeedbackDueHour.objects.filter(engagement_id=world.globex_engagement.pk).exists()


@pytest.mark.django_db
def test_a_rebuild_counts_the_same_as_the_triggers_kept(world):
    history(world, random.Random(7), submissions=8)
    kept = (stage_rollup(), due_rollup())
    for spec in (STAGE_MOVES_HOURLY, FEEDBACK_DUE_HOURLY):
        rollups.rebuild(connection, spec)
    assert (stage_rollup(), due_rollup()) == kept


def test_a_window_is_read_from_the_hours_no_cut_falls_inside_and_the_rest_from_its_rows():
    start = datetime(2026, 3, 1, 10, 20, tzinfo=UTC)
    end = datetime(2026, 3, 3, 8, 5, tzinfo=UTC)
    monday_in_kolkata = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)  # midnight at UTC+5:30
    monday_on_the_hour = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    split = hourly_split(start, end, [monday_in_kolkata, monday_on_the_hour, start])
    assert split.first == datetime(2026, 3, 1, 11, tzinfo=UTC)
    assert split.last == datetime(2026, 3, 3, 8, tzinfo=UTC)
    assert split.cut_hours == (datetime(2026, 3, 1, 18, tzinfo=UTC),)
    assert split.raw == (
        (start, split.first),
        (datetime(2026, 3, 1, 18, tzinfo=UTC), datetime(2026, 3, 1, 19, tzinfo=UTC)),
        (split.last, end),
    )
    # Shorter than an hour between whole hours: all from the rows.
    short = hourly_split(start, start + timedelta(minutes=30))
    assert (short.first, short.raw) == (None, ((start, start + timedelta(minutes=30)),))


def _week_of(moment, zone):
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata"])
@pytest.mark.django_db
def test_the_weekly_counts_read_from_hours_and_rows_are_those_of_the_rows_alone(world, zone):
    """Rows on both sides of every cut (the window's start and end, the health period's start, each
    week's first moment in a zone half an hour off UTC): the figures, read from the rollup's whole
    hours and the rows of the hours cut, count what the rows alone count."""
    engagement = world.acme_engagement
    Engagement.objects.filter(pk=engagement.pk).update(time_zone=zone)
    engagement.refresh_from_db()
    now = datetime(2026, 3, 30, 9, 41, 13, 500, tzinfo=UTC)
    start, health_start = now - timedelta(days=2 * HEALTH_DAYS), now - timedelta(days=HEALTH_DAYS)
    mondays = week_starts(start, now, ZoneInfo(zone))
    cuts = [start, health_start, now] + [datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)) for day in mondays]
    rng = random.Random(5)
    moments = [cut + timedelta(microseconds=offset) for cut in cuts for offset in (-1, 0, 1, 40 * 60 * 10**6)]
    moments += [start + timedelta(seconds=rng.randrange(0, 60 * 86400)) for _ in range(40)]
    paths = [(Stage.SUBMITTED, Stage.HM_REVIEW, Stage.INTERVIEW, Stage.OFFER), (Stage.OFFER, Stage.HIRED)]
    moves = []
    for index, at in enumerate(moments):
        submission = factories.SubmissionFactory(requisition=world.requisition)
        previous = Stage.INTERVIEW if index % 2 else ""
        for stage in paths[index % 2]:
            moves.append(
                SubmissionStageChange(
                    submission=submission, engagement=engagement, from_stage=previous, to_stage=stage, changed_at=at
                )
            )
            previous = stage
        factories.FeedbackRequestFactory(
            submission=submission,
            created_at=at - timedelta(days=1),
            due_at=at,
            status=RequestStatus.ANSWERED if index % 3 else RequestStatus.OPEN,
            answered_at=at - timedelta(minutes=5) if index % 3 else None,
        )
    SubmissionStageChange.objects.bulk_create(moves)

    weeks, recent = stage_moves_by_week(engagement=engagement, start=start, end=now, health_start=health_start)
    on_time = feedback_on_time_by_week(engagement=engagement, start=start, end=now, health_start=health_start)

    expected_weeks, expected_recent = {}, {"submitted": 0, "interview": 0}
    for change in SubmissionStageChange.objects.filter(SCORECARD_MOVES, engagement=engagement):
        if not min(start, health_start) <= change.changed_at < now:
            continue
        local_week = _week_of(change.changed_at, ZoneInfo(zone))
        week = expected_weeks.setdefault(local_week, dict.fromkeys(SCORECARD_MOVE_COUNTS, 0))
        for key, rule in SCORECARD_MOVE_COUNTS.items():
            counted = SubmissionStageChange.objects.filter(rule, pk=change.pk).exists()
            week[key] += counted and change.changed_at >= start
            if key in expected_recent and change.changed_at >= health_start:
                expected_recent[key] += counted
    expected_on_time = {}
    for request in FeedbackRequest.objects.filter(engagement=engagement):
        if not min(start, health_start) <= request.due_at < now:
            continue
        in_time = request.answered_at is not None and request.answered_at <= request.due_at
        counts = expected_on_time.get(_week_of(request.due_at, ZoneInfo(zone)), (0, 0, 0, 0))
        window, period = request.due_at >= start, request.due_at >= health_start
        added = (window, window and in_time, period, period and in_time)
        expected_on_time[_week_of(request.due_at, ZoneInfo(zone))] = tuple(
            old + new for old, new in zip(counts, added, strict=True)
        )
    assert weeks == expected_weeks
    assert recent == expected_recent
    assert on_time == expected_on_time
    assert sum(week["submitted"] for week in weeks.values()) > 0
