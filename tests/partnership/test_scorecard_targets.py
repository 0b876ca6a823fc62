"""Both sides against their targets: each provider target met or missed with the exact figures of a
built history (``scorecard_history``), on PostgreSQL and on the suite's database; health at risk
from the provider's targets alone; time to first submission in business days across a public
holiday; the targets in the API and the CSV."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from engagements.business_hours import BusinessCalendar
from engagements.models import Requisition
from partnership.scorecard import engagement_health_map, engagement_scorecard, scorecard_csv
from partnership.scorecard.figures import business_days_between
from tests import factories

from .scorecard_history import NOW, build_history, requisition, submission

# The known history's figures (test_scorecard_figures): 2.5 business days to first submission, 1.2
# submissions per requisition, 50% submission → interview, 28 days to fill.
PROVIDER_CASES = [
    # (target field, target, figure key, met, how the target reads)
    ("target_days_to_first_submission", 3, "median_days_to_first_submission", True, "at most 3 business days"),
    ("target_days_to_first_submission", 2, "median_days_to_first_submission", False, "at most 2 business days"),
    ("target_submissions_per_requisition", Decimal("1.2"), "submissions_per_requisition", True, "at least 1.2"),
    ("target_submissions_per_requisition", Decimal("3"), "submissions_per_requisition", False, "at least 3.0"),
    ("target_submission_to_interview_percent", 50, "submission_to_interview_ratio", True, "at least 50%"),
    ("target_submission_to_interview_percent", 51, "submission_to_interview_ratio", False, "at least 51%"),
    ("target_days_to_fill", 28, "median_days_to_fill", True, "at most 28 days"),
    ("target_days_to_fill", 27, "median_days_to_fill", False, "at most 27 days"),
]


def _assert_provider_target(world, field, target, key, met, reads):
    engagement = world.acme_engagement
    setattr(engagement, field, target)
    engagement.save()
    figure = engagement_scorecard(engagement=engagement, days=30, now=NOW).figure(key)
    assert (figure.target, figure.target_display, figure.met) == (float(target), reads, met)


@pytest.mark.postgres
@pytest.mark.parametrize(("field", "target", "key", "met", "reads"), PROVIDER_CASES)
def test_each_provider_target_met_or_missed_on_postgresql(world, field, target, key, met, reads):
    build_history(world)
    _assert_provider_target(world, field, target, key, met, reads)


@pytest.mark.parametrize(("field", "target", "key", "met", "reads"), PROVIDER_CASES)
def test_each_provider_target_met_or_missed(world, field, target, key, met, reads):
    build_history(world)
    _assert_provider_target(world, field, target, key, met, reads)


def test_every_figure_of_both_sides_shows_against_its_target(world):
    build_history(world)
    scorecard = engagement_scorecard(engagement=world.acme_engagement, days=30, now=NOW)

    judged = {figure.key: (figure.display, figure.target_display, figure.met) for figure in scorecard.client}
    judged |= {figure.key: (figure.display, figure.target_display, figure.met) for figure in scorecard.provider}
    assert judged == {
        "feedback_on_time_share": ("50%", "at least 80%", False),
        "feedback_median_turnaround_hours": ("34.5 h", "", None),  # wall clock: no business-hours target
        "availability_median_lead_hours": ("27.0 h", "", None),
        "hiring_manager_no_shows": ("1", "0", False),
        "interview_reschedules": ("3", "", None),
        "overdue_now": ("3", "0", False),
        "escalations": ("3", "0", False),
        # The engagement's defaults: 5 business days, 3 per requisition, 30%, 45 days.
        "median_days_to_first_submission": ("2.5 business days", "at most 5 business days", True),
        "submissions_per_requisition": ("1.2", "at least 3.0", False),
        "submission_to_interview_ratio": ("50%", "at least 30%", True),
        "interview_to_offer_ratio": ("66.7%", "", None),
        "offer_acceptance_share": ("50%", "", None),
        "candidate_no_shows": ("1", "0", False),
        "median_days_to_fill": ("28 days", "at most 45 days", True),
    }


def test_an_empty_target_is_no_target_and_nothing_measured_misses_nothing(world):
    engagement = world.acme_engagement
    engagement.target_days_to_fill = None
    engagement.save()
    scorecard = engagement_scorecard(engagement=engagement, days=30, now=NOW)  # no activity at all

    fill = scorecard.figure("median_days_to_fill")
    assert (fill.target, fill.target_display, fill.met) == (None, "", None)
    first = scorecard.figure("median_days_to_first_submission")
    assert (first.value, first.target_display, first.met) == (None, "at most 5 business days", None)
    assert scorecard.health.status == "on_track"


# --- time to first submission in business days ------------------------------------------------------


def test_business_days_start_on_the_first_working_day_and_skip_holidays(world):
    calendar = world.acme_engagement.business_calendar  # Mon–Fri, no country
    assert business_days_between(date(2026, 6, 1), date(2026, 6, 1), calendar) == 0  # same day
    assert business_days_between(date(2026, 5, 29), date(2026, 6, 1), calendar) == 1  # Friday → Monday
    assert business_days_between(date(2026, 5, 30), date(2026, 6, 1), calendar) == 0  # opened on a Saturday
    assert business_days_between(date(2026, 5, 30), date(2026, 6, 8), calendar) == 5
    engagement = world.acme_engagement
    engagement.country = "US"
    engagement.save()
    us = engagement.business_calendar
    # Memorial Day, Monday 25 May 2026, is not a working day in the US.
    assert business_days_between(date(2026, 5, 22), date(2026, 5, 25), us) == 0
    assert business_days_between(date(2026, 5, 22), date(2026, 5, 26), us) == 1
    assert business_days_between(date(2026, 5, 25), date(2026, 5, 26), us) == 0  # opened on the holiday


@pytest.mark.parametrize(
    "calendar",
    [
        BusinessCalendar(),
        BusinessCalendar(country="US", region="NY"),
        BusinessCalendar(country="GB", region="SCT", weekdays=frozenset({1, 2, 3, 4, 5, 6})),
        BusinessCalendar(country="IL", weekdays=frozenset({7, 1, 2, 3, 4})),
    ],
    ids=["weekdays", "US-NY", "GB-SCT-six-days", "IL-sunday-to-thursday"],
)
def test_business_days_count_as_walking_the_calendar_day_by_day(calendar):
    # Counted by whole weeks less the holidays between, the same as each working day counted one by
    # one: from every opening date of two years to a day up to a year later, across New Year.
    for opened_on in (date(2025, 11, 1) + timedelta(days=offset) for offset in range(0, 430, 3)):
        for day in (opened_on + timedelta(days=offset) for offset in (-3, 0, 1, 2, 5, 6, 7, 8, 13, 40, 95, 370)):
            start = next(
                opened_on + timedelta(days=skip)
                for skip in range(30)
                if calendar.is_working_day(opened_on + timedelta(days=skip))
            )
            walked = sum(calendar.is_working_day(start + timedelta(days=n)) for n in range(1, (day - start).days + 1))
            assert business_days_between(opened_on, day, calendar) == walked, (opened_on, day)


@pytest.mark.parametrize(("country", "expected"), [("", (3.0, "3 business days")), ("US", (2.0, "2 business days"))])
def test_time_to_first_submission_across_a_public_holiday(world, country, expected):
    engagement = world.acme_engagement  # America/New_York
    engagement.country = country
    engagement.save()
    Requisition.objects.filter(engagement=engagement).delete()
    # Opened Thursday 21 May; first submission Tuesday 26 May, 09:00 in New York. Friday, (Monday:
    # Memorial Day), Tuesday.
    opened = requisition(engagement, "HOL-1", world.hiring_manager, date(2026, 5, 21))
    submission(opened, datetime(2026, 5, 26, 13, tzinfo=UTC))

    figure = engagement_scorecard(engagement=engagement, days=30, now=NOW).figure("median_days_to_first_submission")
    assert (figure.value, figure.display) == expected
    assert figure.unit == "business_days"


# --- health judges both sides ---------------------------------------------------------------------


def _provider_only_history(world):
    """An engagement where the client does everything on time (nothing due, nothing overdue) and
    the provider's first submission takes 9 business days: opened Monday 1 June, submitted
    Friday 12 June."""
    engagement = factories.EngagementFactory(
        provider=world.provider,
        client=world.acme_engagement.client,
        name="Acme Labs partnership",
        time_zone="America/New_York",
        target_submissions_per_requisition=Decimal("1"),
        target_submission_to_interview_percent=None,
    )
    opened = requisition(engagement, "LABS-1", world.hiring_manager, date(2026, 6, 1))
    submission(opened, datetime(2026, 6, 12, 15, tzinfo=UTC))
    return engagement


def test_a_provider_missing_its_target_makes_the_partnership_at_risk_on_its_own(world):
    engagement = _provider_only_history(world)
    scorecard = engagement_scorecard(engagement=engagement, days=30, now=NOW)

    assert scorecard.overdue_total == {"client": 0, "provider": 0}
    assert scorecard.health.status == "at_risk"
    assert scorecard.health.reason == (
        "The provider missed 1 target over the last 30 days: median time to first submission 9 business days "
        "(target at most 5 business days)."
    )
    # Judged the same on the list of engagements (the health map's grouped queries).
    assert engagement_health_map(engagements=[engagement, world.acme_engagement], now=NOW)[engagement.pk] == (
        scorecard.health
    )


def test_the_reason_names_every_missed_provider_target(world):
    engagement = _provider_only_history(world)
    engagement.target_submissions_per_requisition = Decimal("2")
    engagement.target_submission_to_interview_percent = 30
    engagement.save()

    health = engagement_health_map(engagements=[engagement], now=NOW)[engagement.pk]
    assert health.status == "at_risk"
    assert health.reason == (
        "The provider missed 3 targets over the last 30 days: median time to first submission 9 business days "
        "(target at most 5 business days), submissions per requisition 1.0 (target at least 2.0), "
        "submission → interview 0% (target at least 30%)."
    )
    assert engagement_scorecard(engagement=engagement, days=90, now=NOW).health == health  # health's own period


def test_met_provider_targets_leave_the_partnership_on_track(world):
    engagement = _provider_only_history(world)
    engagement.target_days_to_first_submission = 9
    engagement.save()
    assert engagement_scorecard(engagement=engagement, days=30, now=NOW).health.status == "on_track"
    assert engagement_health_map(engagements=[engagement], now=NOW)[engagement.pk].status == "on_track"


# --- the API and the CSV ----------------------------------------------------------------------------


def test_the_api_gives_each_figures_target_and_whether_it_was_met(world, client):
    engagement = _provider_only_history(world)
    engagement.account_managers.set([world.account_manager])
    client.force_login(world.account_manager)
    response = client.get(reverse("engagement-scorecard", args=[engagement.pk]))

    assert response.status_code == 200
    body = response.json()
    provider = {figure["key"]: figure for figure in body["provider"]}
    first = provider["median_days_to_first_submission"]
    assert first["unit"] == "business_days"
    assert (first["target"], first["target_display"], first["met"]) == (5.0, "at most 5 business days", None)
    assert provider["interview_to_offer_ratio"]["target"] is None
    assert body["cost_of_waiting"]["min_candidates"] == 10
    assert [bucket["key"] for bucket in body["cost_of_waiting"]["buckets"]] == ["under_1", "1_to_3", "over_3"]
    assert body["cost_of_waiting"]["buckets"][0]["display"] == "Too few candidates (0; 10 needed)"


def test_the_csv_marks_each_figure_met_or_missed_and_holds_the_cost_of_waiting(world):
    build_history(world)
    scorecard = engagement_scorecard(engagement=world.acme_engagement, days=30, now=NOW)
    rows = list(csv.reader(io.StringIO(scorecard_csv(scorecard=scorecard))))

    header = rows.index(["side", "figure", "value", "unit", "shown as", "definition", "target", "met"])
    by_label = {row[1]: row for row in rows[header + 1 : header + 15]}
    assert by_label["Feedback on time"][6:] == ["at least 80%", "missed"]
    assert by_label["Median time to first submission"][2:5] == ["2.5", "business_days", "2.5 business days"]
    assert by_label["Median time to first submission"][6:] == ["at most 5 business days", "met"]
    assert by_label["Submissions per requisition"][6:] == ["at least 3.0", "missed"]
    assert by_label["Interview → offer"][6:] == ["", "no target"]
    start = rows.index(["waited for feedback", "candidates", "withdrew", "withdrawn share", "shown as"])
    assert [row[0] for row in rows[start + 1 : start + 4]] == [
        "Under 1 business day",
        "1 to 3 business days",
        "Over 3 business days",
    ]
