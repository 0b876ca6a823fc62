"""The scorecard's rules around the figures: health thresholds, the CSV export, the number of
queries (constant whatever the data), the Median aggregate on both databases, and the interview
reschedules the scorecard counts. Its cache: ``test_scorecard_cache``."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.models import Engagement, Interview
from engagements.services import interview_update
from feedback.models import FeedbackRequest
from partnership.aggregates import HoursBetween, Median
from partnership.scorecard import engagement_health_map, engagement_scorecard, scorecard_csv, window_days
from partnership.scorecard.health import judge

from .. import factories
from .scorecard_history import NOW, at, build_globex_history, build_history, feedback_request, many_submissions

NOTHING_OVERDUE = {"client": 0, "provider": 0}


# --- health ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on_time", "escalations", "overdue", "status", "reason"),
    [
        (95.0, 0, NOTHING_OVERDUE, "on_track",
         "Feedback on time is 95% over the last 30 days and nothing is overdue on either side."),
        (80.0, 0, NOTHING_OVERDUE, "on_track",
         "Feedback on time is 80% over the last 30 days and nothing is overdue on either side."),
        (79.5, 0, NOTHING_OVERDUE, "at_risk", "Feedback on time is 79.5% over the last 30 days (below 80%)."),
        (90.0, 0, {"client": 2, "provider": 0}, "at_risk", "2 items overdue on the client side."),
        (90.0, 0, {"client": 0, "provider": 1}, "at_risk", "1 item overdue on the provider side."),
        (70.0, 0, {"client": 1, "provider": 3}, "at_risk",
         "Feedback on time is 70% over the last 30 days (below 80%); 1 item overdue on the client side; "
         "3 items overdue on the provider side."),
        (60.0, 0, NOTHING_OVERDUE, "at_risk", "Feedback on time is 60% over the last 30 days (below 80%)."),
        (59.0, 0, NOTHING_OVERDUE, "off_track", "Feedback on time is 59% over the last 30 days (below 60%)."),
        (59.66, 0, NOTHING_OVERDUE, "off_track", "Feedback on time is 59.7% over the last 30 days (below 60%)."),
        # judged as shown: 59.96% shows as 60%, so it is not called "below 60%"
        (59.96, 0, NOTHING_OVERDUE, "at_risk", "Feedback on time is 60% over the last 30 days (below 80%)."),
        (None, 1, NOTHING_OVERDUE, "off_track", "1 escalation was sent in the last 7 days."),
        (None, 0, NOTHING_OVERDUE, "on_track",
         "No feedback was due in the last 30 days and nothing is overdue on either side."),
    ],
)  # fmt: skip
def test_health_thresholds(on_time, escalations, overdue, status, reason):
    health = judge(on_time_share=on_time, recent_escalations=escalations, overdue=overdue)
    assert (health.status, health.reason) == (status, reason)
    assert health.label == {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}[status]


def test_health_map_takes_the_same_queries_for_two_or_six_engagements(world):
    build_history(world)
    build_globex_history(world)
    few = [world.acme_engagement, world.globex_engagement]
    more = few + [factories.EngagementFactory(provider=world.provider) for _ in range(4)]
    with CaptureQueriesContext(connection) as two:
        engagement_health_map(engagements=few, now=NOW)
    with CaptureQueriesContext(connection) as six:
        health = engagement_health_map(engagements=more, now=NOW)
    assert len(two) == len(six) <= 9  # two of them: the provider's figures that have targets
    assert {health[engagement.pk].status for engagement in more[2:]} == {"on_track"}
    assert engagement_health_map(engagements=[], now=NOW) == {}


# --- queries ---------------------------------------------------------------------------------------


def _queries(engagement, days=30) -> int:
    with CaptureQueriesContext(connection) as queries:
        engagement_scorecard(engagement=engagement, days=days, now=NOW)
    return len(queries)


def test_the_scorecard_takes_the_same_number_of_queries_for_5_and_50_requisitions(world):
    build_history(world)
    many_submissions(world, 5)
    few = _queries(world.acme_engagement)
    many_submissions(world, 45)
    scorecard = engagement_scorecard(engagement=world.acme_engagement, now=NOW)
    assert scorecard.overdue_total["provider"] > 25
    assert len(scorecard.overdue) == 25
    # One of them: the cost of waiting (as of NOW); three: the overdue requests listed, loaded with
    # their candidates once counted; two: the hiring managers (asked in the window; open now).
    assert _queries(world.acme_engagement) == few <= 22
    assert _queries(world.acme_engagement, days=90) == few


def test_a_window_other_than_30_or_90_days_falls_back_to_30():
    assert [window_days(value) for value in (30, "90", "7", "abc", None, "")] == [30, 90, 30, 30, 30, 30]


# --- CSV -------------------------------------------------------------------------------------------


def test_the_csv_export_holds_every_figure_and_the_weekly_trends(world):
    build_history(world)
    scorecard = engagement_scorecard(engagement=world.acme_engagement, days=30, now=NOW)
    rows = list(csv.reader(io.StringIO(scorecard_csv(scorecard=scorecard))))

    assert rows[0] == ["Engagement", "Acme partnership"]
    assert rows[1] == ["Window", "2026-05-18 to 2026-06-17 (30 days, America/New_York)"]
    assert rows[2][:2] == ["Health", "Off track"]
    header = rows.index(["side", "figure", "value", "unit", "shown as", "definition", "target", "met"])
    figures = rows[header + 1 : header + 15]
    assert figures[0] == [
        "client",
        "Feedback on time",
        "50.0",
        "percent",
        "50%",
        "Share of feedback requests due in the window that were answered by their due time.",
        "at least 80%",
        "missed",
    ]
    assert figures[-1][:5] == ["provider", "Median time to fill", "28.0", "days", "28 days"]
    assert figures[-1][6:] == ["at most 45 days", "met"]
    assert rows[header + 15] == []  # fourteen figures, then the trends
    # Each kind of no-show on its own side, with its definition.
    assert [
        "client",
        "Hiring-manager no-shows",
        "1.0",
        "count",
        "1",
        "Interviews starting in the window that the hiring manager did not show up for.",
        "0",
        "missed",
    ] in figures
    assert [
        "provider",
        "Candidate no-shows",
        "1.0",
        "count",
        "1",
        "Interviews starting in the window that the candidate did not show up for.",
        "0",
        "missed",
    ] in figures
    trend = rows.index(["week starting", "Feedback on time", "Median feedback turnaround",
                        "Submission → interview", "Interview → offer", "partial week"])  # fmt: skip
    assert rows[trend + 1] == ["2026-05-18", "100.0", "49.5", "200.0", "0.0", "no"]
    assert rows[trend + 5] == ["2026-06-15", "", "", "", "", "yes (this week so far)"]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd"])
def test_the_csv_export_never_lets_a_cell_run_as_a_formula(world, name):
    Engagement.objects.filter(pk=world.acme_engagement.pk).update(name=name)
    world.acme_engagement.refresh_from_db()
    scorecard = engagement_scorecard(engagement=world.acme_engagement, days=30, now=NOW)
    rows = list(csv.reader(io.StringIO(scorecard_csv(scorecard=scorecard))))
    assert rows[0] == ["Engagement", f"'{name}"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t")), cell


# --- the Median aggregate --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "median"),
    [([5], 5.0), ([1, 9, 3], 3.0), ([4, 1, 10, 2], 3.0), ([], None)],
)
def test_median_takes_the_middle_value_or_the_mean_of_the_two_middle_ones(world, hours, median):
    submission = factories.SubmissionFactory(requisition=world.requisition)
    for number, hour in enumerate(hours):
        feedback_request(
            factories.SubmissionFactory(requisition=world.requisition) if number else submission,
            world.hiring_manager, at(6, 1), at(6, 2), answered=at(6, 1) + timedelta(hours=hour),
        )  # fmt: skip
    result = FeedbackRequest.objects.aggregate(
        median=Median(HoursBetween("answered_at", "created_at")),
        none=Median(Value(None, output_field=Median.output_field)),
    )
    assert result["median"] == (pytest.approx(median) if median is not None else None)
    assert result["none"] is None


# --- reschedules -----------------------------------------------------------------------------------


def test_moving_an_interview_counts_a_reschedule_and_changing_the_room_does_not(world):
    interview = factories.InterviewFactory(submission=factories.SubmissionFactory(requisition=world.requisition))
    interview_update(actor=world.provider_admin, interview=interview, location="Room 4")
    assert Interview.objects.get(pk=interview.pk).rescheduled_count == 0

    later = interview.starts_at + timedelta(days=1)
    interview_update(
        actor=world.provider_admin, interview=interview, starts_at=later, ends_at=later + timedelta(hours=1)
    )
    interview_update(
        actor=world.provider_admin, interview=interview, starts_at=later, ends_at=later + timedelta(hours=1)
    )  # same time again
    interview_update(
        actor=world.provider_admin,
        interview=interview,
        starts_at=later + timedelta(hours=2),
        ends_at=later + timedelta(hours=3),
    )
    assert Interview.objects.get(pk=interview.pk).rescheduled_count == 2
    assert interview.rescheduled_count == 2

    interview.refresh_from_db()
    window_start = timezone.now() - timedelta(days=1)
    assert interview.starts_at > window_start
