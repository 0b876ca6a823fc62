"""A fair clock: an engagement's public holidays (its country and region, as the ``holidays``
library knows them) are not business hours. A request due over one falls due a business day later,
its reminder and escalation too, on the engagement's own wall clock; unknown codes are refused."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from engagements.business_hours import (
    BusinessCalendar,
    add_business_hours,
    business_hours_between,
    coming_holidays,
    holiday_countries,
    holiday_regions,
    is_outside_business_hours,
)
from engagements.models import Submission
from engagements.services import engagement_update, submission_change_stage
from feedback.models import FeedbackRequest
from feedback.services import request_ladder
from tests import factories

BERLIN = "Europe/Berlin"
LOS_ANGELES = "America/Los_Angeles"


def _at(zone: str, *args) -> datetime:
    import zoneinfo

    return datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


def _engagement(*, time_zone, country, region, **sla):
    return factories.EngagementFactory(
        time_zone=time_zone,
        country=country,
        region=region,
        resume_feedback_due_hours=sla.get("due", 8),
        reminder_lead_hours=sla.get("lead", 2),
        escalation_delay_hours=sla.get("escalation", 8),
    )


# --- the clock ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "country", "region", "opened", "due_local"),
    [
        # Epiphany, Tuesday 6 January 2026, is a holiday in Bavaria, not in Berlin.
        (BERLIN, "DE", "BY", (2026, 1, 5, 15, 0), (2026, 1, 7, 15, 0)),
        (BERLIN, "DE", "BE", (2026, 1, 5, 15, 0), (2026, 1, 6, 15, 0)),
        # César Chávez Day, Tuesday 31 March 2026, is a holiday in California, not in the whole US.
        (LOS_ANGELES, "US", "CA", (2026, 3, 30, 15, 0), (2026, 4, 1, 15, 0)),
        (LOS_ANGELES, "US", "", (2026, 3, 30, 15, 0), (2026, 3, 31, 15, 0)),
        # No country: every business day counts.
        (LOS_ANGELES, "", "", (2026, 3, 30, 15, 0), (2026, 3, 31, 15, 0)),
    ],
)
def test_a_request_opened_the_afternoon_before_a_holiday_falls_due_a_business_day_later(
    zone, country, region, opened, due_local
):
    calendar = BusinessCalendar(time_zone=zone, country=country, region=region)
    due = add_business_hours(_at(zone, *opened), 8, calendar)
    assert due == _at(zone, *due_local).astimezone(UTC)
    assert business_hours_between(_at(zone, *opened), due, calendar) == 8


def test_the_holiday_is_the_engagements_day_not_utcs():
    """00:30 on Epiphany in Munich is still Monday 5 January in UTC: the clock starts on Wednesday."""
    calendar = BusinessCalendar(time_zone=BERLIN, country="DE", region="BY")
    opened = _at(BERLIN, 2026, 1, 6, 0, 30)
    assert opened.astimezone(UTC).date() == date(2026, 1, 5)
    assert add_business_hours(opened, 8, calendar) == _at(BERLIN, 2026, 1, 7, 17, 0).astimezone(UTC)
    assert add_business_hours(opened, 0, calendar) == _at(BERLIN, 2026, 1, 7, 9, 0).astimezone(UTC)


def test_an_interview_slot_on_a_holiday_is_outside_business_hours():
    calendar = BusinessCalendar(time_zone=LOS_ANGELES, country="US", region="CA")
    slot = (_at(LOS_ANGELES, 2026, 3, 31, 10, 0), _at(LOS_ANGELES, 2026, 3, 31, 11, 0))
    assert is_outside_business_hours(*slot, calendar)
    assert not is_outside_business_hours(*slot, BusinessCalendar(time_zone=LOS_ANGELES, country="US"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "country", "region", "opened", "remind", "due", "escalate"),
    [
        # 16 hours to answer, reminded 8 before, escalated 8 after: each skips Epiphany in Munich.
        (
            BERLIN, "DE", "BY", (2026, 1, 5, 16, 0),
            (2026, 1, 7, 16, 0), (2026, 1, 8, 16, 0), (2026, 1, 9, 16, 0),
        ),
        # Thanksgiving and the day after in Los Angeles: from Wednesday afternoon to the Monday.
        (
            LOS_ANGELES, "US", "CA", (2026, 11, 25, 16, 0),
            (2026, 11, 30, 16, 0), (2026, 12, 1, 16, 0), (2026, 12, 2, 16, 0),
        ),
    ],
)  # fmt: skip
def test_the_reminder_and_the_escalation_skip_the_holidays_too(zone, country, region, opened, remind, due, escalate):
    engagement = _engagement(time_zone=zone, country=country, region=region, due=16, lead=8, escalation=8)
    ladder = request_ladder(engagement=engagement, opened_at=_at(zone, *opened), due_hours=16)
    assert ladder == {
        "remind_at": _at(zone, *remind).astimezone(UTC),
        "due_at": _at(zone, *due).astimezone(UTC),
        "escalate_at": _at(zone, *escalate).astimezone(UTC),
    }


@pytest.mark.django_db
def test_a_candidate_sent_to_review_before_a_holiday_is_due_after_it(time_machine, world):
    """The whole path: a stage move opens the résumé review with the engagement's holidays skipped."""
    engagement = world.acme_engagement
    engagement_update(
        actor=world.account_manager,
        engagement=engagement,
        time_zone=LOS_ANGELES,
        country="US",
        region="CA",
        resume_feedback_due_hours=8,
        reminder_lead_hours=2,
        escalation_delay_hours=8,
    )
    submission = factories.SubmissionFactory(requisition=world.requisition)
    time_machine.move_to(_at(LOS_ANGELES, 2026, 3, 30, 15, 0), tick=False)

    submission_change_stage(actor=world.recruiter, submission=submission, to_stage=Submission.Stage.HM_REVIEW)

    request = FeedbackRequest.objects.get(submission=submission)
    assert request.remind_at == _at(LOS_ANGELES, 2026, 4, 1, 13, 0)  # 6 business hours: Mon 2, Wed 4
    assert request.due_at == _at(LOS_ANGELES, 2026, 4, 1, 15, 0)
    assert request.escalate_at == _at(LOS_ANGELES, 2026, 4, 2, 15, 0)
    assert request.ladder.next_step_at == request.remind_at


# --- the holidays the SLA page lists -----------------------------------------------------------


def test_the_coming_holidays_are_those_on_business_days_in_order():
    bavaria = BusinessCalendar(time_zone=BERLIN, country="DE", region="BY")
    # 26 December 2026 is a Saturday: a day off anyway, so not one the clock skips.
    assert coming_holidays(bavaria, date(2026, 12, 1), days=40) == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2027, 1, 1), "New Year's Day"),
        (date(2027, 1, 6), "Epiphany"),
    ]
    assert coming_holidays(BusinessCalendar(time_zone=BERLIN), date(2026, 12, 1)) == []


def test_countries_and_regions_come_with_their_names():
    countries = dict(holiday_countries())
    assert countries["DE"] == "Germany"
    assert countries["US"] == "United States"
    assert all(len(code) == 2 for code in countries)
    assert ("BY", "Bayern") in holiday_regions("DE") or ("BY", "Bavaria") in holiday_regions("DE")
    assert ("CA", "California") in holiday_regions("US")
    assert holiday_regions("ZZ") == ()


# --- refused codes ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "“ZZ” is not a country code we know holidays of"),
        ({"country": "DE", "region": "XX"}, "region", "“XX” is not a region of DE. Known regions:"),
        ({"country": "", "region": "BY"}, "region", "Pick the country first"),
    ],
)
def test_unknown_codes_and_a_region_without_country_are_refused_by_the_service(world, fields, field, message):
    engagement = world.acme_engagement
    with pytest.raises(ValidationError) as refused:
        engagement_update(actor=world.account_manager, engagement=engagement, **fields)
    assert refused.value.message_dict[field][0].startswith(message)
    engagement.refresh_from_db()
    assert (engagement.country, engagement.region) == ("", "")


def test_the_business_day_window_is_unchanged_by_a_country():
    calendar = BusinessCalendar(time_zone=BERLIN, day_start=time(8), day_end=time(12), country="DE")
    opened = _at(BERLIN, 2026, 12, 24, 11, 0)  # Christmas Eve is a working day in Germany
    assert add_business_hours(opened, 2, calendar) == _at(BERLIN, 2026, 12, 28, 9, 0).astimezone(UTC)
