"""The scorecard of a known history (``scorecard_history``): every figure, exactly.

The same assertions run twice: on PostgreSQL (marked, as in CI) and on whatever database the suite
uses (SQLite locally), where the medians come from the registered ``median`` aggregate.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from partnership.scorecard import engagement_health_map, engagement_scorecard
from partnership.scorecard.overdue import engagement_overdue

from .scorecard_history import NOW, build_globex_history, build_history

ACME_30_DAYS = {
    # client side
    "feedback_on_time_share": (50.0, "50%"),  # F3, F1 on time of F3, F1, F2, F4 due in the window
    "feedback_median_turnaround_hours": (34.5, "34.5 h"),  # 20, 21, 48, 78 h
    "availability_median_lead_hours": (27.0, "27.0 h"),  # 12, 24, 30, 48 h
    "hiring_manager_no_shows": (1.0, "1"),  # I6; the candidate's no-show (I3) is the provider's
    "interview_reschedules": (3.0, "3"),
    "overdue_now": (3.0, "3"),  # F4, A4, the client's implementation task
    "escalations": (3.0, "3"),
    # provider side
    # Business days (New York dates, Monday to Friday; the engagement names no country): R2 opened
    # Wed 20 May, first submission Mon 25 May: 3; R6 opened Mon 1 June, first Wed 3 June: 2.
    "median_days_to_first_submission": (2.5, "2.5 business days"),
    "submissions_per_requisition": (1.2, "1.2"),  # 6 submissions / 5 requisitions open
    "submission_to_interview_ratio": (50.0, "50%"),  # 3 / 6
    "interview_to_offer_ratio": (66.67, "66.7%"),  # 2 / 3
    "offer_acceptance_share": (50.0, "50%"),  # S1 hired, S2 rejected at offer
    "candidate_no_shows": (1.0, "1"),  # I3; the hiring manager's no-show (I6) is the client's
    "median_days_to_fill": (28.0, "28 days"),  # 21 and 35 days
}


@pytest.fixture
def history(world):
    history = build_history(world)
    build_globex_history(world)  # the other tenant's activity must not show in Acme's figures
    return history


def _figures(scorecard) -> dict:
    return {figure.key: (figure.value, figure.display) for figure in (*scorecard.client, *scorecard.provider)}


def _assert_every_figure_of_the_known_history(history):
    scorecard = engagement_scorecard(engagement=history.world.acme_engagement, days=30, now=NOW)

    assert scorecard.starts_at == datetime(2026, 5, 18, 12, tzinfo=UTC)
    assert scorecard.ends_at == NOW
    assert _figures(scorecard) == ACME_30_DAYS
    assert next(figure.key for figure in scorecard.client) == "feedback_on_time_share"
    assert {figure.side for figure in scorecard.provider} == {"provider"}
    assert all(figure.definition.endswith(".") for figure in (*scorecard.client, *scorecard.provider))
    assert scorecard.escalations == 3
    assert scorecard.overdue_total == {"client": 3, "provider": 3}


@pytest.mark.postgres
def test_every_figure_of_a_known_history_on_postgresql(history):
    _assert_every_figure_of_the_known_history(history)


def test_every_figure_of_a_known_history(history):
    _assert_every_figure_of_the_known_history(history)


def test_the_weekly_trends_follow_the_engagements_weeks(history):
    scorecard = engagement_scorecard(engagement=history.world.acme_engagement, days=30, now=NOW)

    assert scorecard.charted == [
        "feedback_on_time_share",
        "feedback_median_turnaround_hours",
        "submission_to_interview_ratio",
        "interview_to_offer_ratio",
    ]
    weeks = {point.week_start: point.values for point in scorecard.weeks}
    assert list(weeks) == [date(2026, 5, 18), date(2026, 5, 25), date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 15)]
    assert weeks[date(2026, 5, 18)] == {
        "feedback_on_time_share": 100.0,
        "feedback_median_turnaround_hours": 49.5,
        "submission_to_interview_ratio": 200.0,
        "interview_to_offer_ratio": 0.0,
    }
    assert weeks[date(2026, 5, 25)] == {
        "feedback_on_time_share": 50.0,
        "feedback_median_turnaround_hours": 34.0,
        "submission_to_interview_ratio": 50.0,
        "interview_to_offer_ratio": 0.0,
    }
    # S6, submitted at 02:00 UTC on 4 June, falls in New York's week of 1 June.
    assert weeks[date(2026, 6, 1)] == {
        "feedback_on_time_share": None,
        "feedback_median_turnaround_hours": None,
        "submission_to_interview_ratio": 0.0,
        "interview_to_offer_ratio": None,
    }
    assert weeks[date(2026, 6, 8)]["feedback_on_time_share"] == 0.0
    assert set(weeks[date(2026, 6, 15)].values()) == {None}


def test_hiring_managers_are_ranked_slowest_first(history):
    world = history.world
    rows = engagement_scorecard(engagement=world.acme_engagement, days=30, now=NOW).hiring_managers

    assert [row.user.id for row in rows] == [world.other_hiring_manager.pk, world.hiring_manager.pk]
    slower, faster = rows
    # Same on-time share (50%): the longer median turnaround comes first.
    assert (slower.requests, slower.answered, slower.answered_on_time, slower.on_time_share) == (2, 2, 1, 50.0)
    assert (slower.median_turnaround_hours, slower.open_now, slower.overdue_now) == (34.0, 0, 0)
    assert (faster.requests, faster.answered, faster.answered_on_time, faster.on_time_share) == (3, 1, 1, 50.0)
    assert (faster.median_turnaround_hours, faster.open_now, faster.overdue_now) == (21.0, 2, 1)


def test_everything_overdue_on_either_side_is_listed_longest_overdue_first(history):
    world = history.world
    scorecard = engagement_scorecard(engagement=world.acme_engagement, days=30, now=NOW)

    listed = [(item.side, item.kind, item.who.id, item.due_at) for item in scorecard.overdue]
    assert listed == [
        ("provider", "requisition", world.recruiter.pk, datetime(2026, 6, 8, 4, tzinfo=UTC)),
        ("client", "implementation_task", world.client_admin.pk, datetime(2026, 6, 11, 4, tzinfo=UTC)),
        ("client", "feedback", world.hiring_manager.pk, datetime(2026, 6, 11, 12, tzinfo=UTC)),
        ("provider", "implementation_task", world.account_manager.pk, datetime(2026, 6, 13, 4, tzinfo=UTC)),
        ("provider", "booking", world.recruiter.pk, datetime(2026, 6, 14, 12, tzinfo=UTC)),
        ("client", "availability", world.hiring_manager.pk, datetime(2026, 6, 15, 12, tzinfo=UTC)),
    ]
    titles = [item.title for item in scorecard.overdue]
    assert titles[0] == f"First submission for ACME-4 {history.requisitions['r4'].title}"
    assert titles[1] == "Implementation: Share the interview rooms list"
    assert titles[2].startswith("Feedback on Candidate ")
    assert " for ACME-1 " in titles[2]
    links = [(item.url_name, item.url_pk) for item in scorecard.overdue]
    assert links[0] == ("partnership:requisition-detail", history.requisitions["r4"].pk)
    assert links[2] == ("feedback:feedback-respond", history.feedback["f4"].pk)
    assert links[4] == ("feedback:availability-book", history.availability["a5"].pk)
    assert links[5] == ("feedback:availability-respond", history.availability["a4"].pk)


def test_the_overdue_list_of_every_kind_takes_nine_queries(history, django_assert_num_queries):
    # The first ids and total of each kind (3 for the requests, tasks and requisitions with their
    # own fields: 5), what the listed requests show (feedback; both availability lists at once: 2),
    # and who covers the requisitions named (2).
    with django_assert_num_queries(9):
        items, totals = engagement_overdue(engagement=history.world.acme_engagement, now=NOW)
    assert {item.kind for item in items} == {
        "requisition",
        "implementation_task",
        "feedback",
        "booking",
        "availability",
    }
    assert totals == {"client": 3, "provider": 3}


def test_health_says_off_track_and_names_the_deciding_figures(history):
    scorecard = engagement_scorecard(engagement=history.world.acme_engagement, days=30, now=NOW)

    assert scorecard.health.status == "off_track"
    assert scorecard.health.label == "Off track"
    assert scorecard.health.reason == (
        "Feedback on time is 50% over the last 30 days (below 60%); 2 escalations were sent in the last 7 days."
    )


def test_the_90_day_window_reaches_further_back_but_health_stays_on_30_days(history):
    world = history.world
    scorecard = engagement_scorecard(engagement=world.acme_engagement, days=90, now=NOW)
    figures = _figures(scorecard)

    assert figures["feedback_on_time_share"] == (50.0, "50%")  # F6 (on time) and F8 (late) join: 3 of 6
    assert figures["feedback_median_turnaround_hours"] == (22.0, "22.0 h")  # 20, 21, 22, 48, 78 h
    assert figures["submission_to_interview_ratio"] == (42.86, "42.9%")  # 3 / 7 with S1
    assert figures["candidate_no_shows"] == (2.0, "2")  # I4 on 10 May
    assert figures["hiring_manager_no_shows"] == (2.0, "2")  # I7 on 12 May
    assert len(scorecard.weeks) == 14
    assert scorecard.health == engagement_scorecard(engagement=world.acme_engagement, days=30, now=NOW).health


def test_the_health_map_agrees_with_the_scorecards(history):
    world = history.world
    health = engagement_health_map(engagements=[world.acme_engagement, world.globex_engagement], now=NOW)

    assert health[world.acme_engagement.pk] == engagement_scorecard(engagement=world.acme_engagement, now=NOW).health
    assert (
        health[world.globex_engagement.pk] == engagement_scorecard(engagement=world.globex_engagement, now=NOW).health
    )
    assert health[world.globex_engagement.pk].status == "off_track"


def test_one_tenants_activity_never_shows_in_the_others_scorecard(history):
    world = history.world
    globex = engagement_scorecard(engagement=world.globex_engagement, days=30, now=NOW)

    assert _figures(globex) == {
        "feedback_on_time_share": (0.0, "0%"),
        "feedback_median_turnaround_hours": (72.0, "72.0 h"),
        "availability_median_lead_hours": (None, "—"),
        "hiring_manager_no_shows": (0.0, "0"),
        "interview_reschedules": (4.0, "4"),
        "overdue_now": (1.0, "1"),
        "escalations": (1.0, "1"),
        # Opened Saturday 2 May (the clock starts Monday 4 May), first submission Wednesday 20 May.
        "median_days_to_first_submission": (12.0, "12 business days"),
        "submissions_per_requisition": (1.0, "1.0"),
        "submission_to_interview_ratio": (100.0, "100%"),
        "interview_to_offer_ratio": (100.0, "100%"),
        "offer_acceptance_share": (100.0, "100%"),
        "candidate_no_shows": (1.0, "1"),
        "median_days_to_fill": (None, "—"),
    }
    assert [row.user.id for row in globex.hiring_managers] == [world.globex_hiring_manager.pk]
    assert {item.who.id for item in globex.overdue} == {world.globex_hiring_manager.pk}
    acme_people = {world.hiring_manager.pk, world.other_hiring_manager.pk, world.client_admin.pk, world.recruiter.pk}
    assert not acme_people & {item.who.id for item in globex.overdue}


def test_an_engagement_without_activity_has_nothing_to_measure(world):
    scorecard = engagement_scorecard(engagement=world.globex_engagement, days=30, now=NOW)

    counts = {
        "hiring_manager_no_shows",
        "interview_reschedules",
        "overdue_now",
        "escalations",
        "candidate_no_shows",
    }
    for figure in (*scorecard.client, *scorecard.provider):
        assert figure.value == (0.0 if figure.key in counts else None), figure.key
        assert figure.display == ("0" if figure.key in counts else "—")
    assert scorecard.health.status == "on_track"
    assert scorecard.health.reason == ("No feedback was due in the last 30 days and nothing is overdue on either side.")
    assert scorecard.hiring_managers == []
    assert scorecard.overdue == []


def _weeks_around_the_clock_change(world):
    """Answers and submissions on either side of New York's Monday midnights around the end of
    summer time (Sunday 1 November 2026, 02:00 EDT -> 01:00 EST): Sunday 25 October 23:30 EDT
    (03:30 UTC Monday), Monday 26 October 00:30 EDT (04:30 UTC), Sunday 1 November 23:30 EST
    (04:30 UTC Monday) and Monday 2 November 00:30 EST (05:30 UTC)."""
    from .scorecard_history import feedback_request, requisition, submission

    engagement = world.acme_engagement
    req = requisition(engagement, "R-DST", world.hiring_manager, date(2026, 10, 1))
    moments = {
        "sun_oct_25": datetime(2026, 10, 26, 3, 30, tzinfo=UTC),
        "mon_oct_26": datetime(2026, 10, 26, 4, 30, tzinfo=UTC),
        "sun_nov_1": datetime(2026, 11, 2, 4, 30, tzinfo=UTC),
        "mon_nov_2": datetime(2026, 11, 2, 5, 30, tzinfo=UTC),
    }
    # Each answered after a different number of hours, so that each week's median names its rows.
    for hours, moment in zip((10, 20, 30, 40), moments.values(), strict=True):
        sub = submission(req, moment)
        asked = moment - timedelta(hours=hours)
        feedback_request(sub, world.hiring_manager, asked, asked + timedelta(hours=48), answered=moment)
    return engagement


def _assert_weeks_split_at_local_midnight(world):
    engagement = _weeks_around_the_clock_change(world)
    now = datetime(2026, 11, 6, 12, 0, tzinfo=UTC)
    weeks = {
        point.week_start: point.values for point in engagement_scorecard(engagement=engagement, days=30, now=now).weeks
    }
    turnaround = {week: values["feedback_median_turnaround_hours"] for week, values in weeks.items()}
    assert turnaround[date(2026, 10, 19)] == 10.0  # Sunday 25 October 23:30 EDT
    assert turnaround[date(2026, 10, 26)] == 25.0  # Monday 26 October 00:30 EDT and Sunday 1 November 23:30 EST
    assert turnaround[date(2026, 11, 2)] == 40.0  # Monday 2 November 00:30 EST
    # The submissions made fall in the same weeks: the week of 19 October has one (Sunday night's),
    # so its submission-to-interview ratio is 0% rather than unmeasured.
    ratio = {week: values["submission_to_interview_ratio"] for week, values in weeks.items()}
    assert ratio[date(2026, 10, 12)] is None
    assert ratio[date(2026, 10, 19)] == 0.0
    assert ratio[date(2026, 11, 2)] == 0.0


def test_the_weeks_split_at_the_engagements_midnight_across_a_clock_change(world):
    _assert_weeks_split_at_local_midnight(world)


@pytest.mark.postgres
def test_the_weeks_split_at_the_engagements_midnight_across_a_clock_change_on_postgresql(world):
    _assert_weeks_split_at_local_midnight(world)
