"""What the partnership counts in business days skips the engagement's public holidays too: the
pulse survey goes out on the first business day of the period, an issue due on a holiday is chased
from the business day after it, and the demo's history never lands on a holiday."""

import zoneinfo
from datetime import date, datetime

import pytest

from partnership.demo.history import _business_day_on_or_before, _first_business_day
from partnership.ladder import issue_ladder
from partnership.pulse.sending import pulse_opens_at
from tests import factories

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def bavaria(db):
    return factories.EngagementFactory(time_zone="Europe/Berlin", country="DE", region="BY", escalation_delay_hours=8)


@pytest.fixture
def berlin(db):
    return factories.EngagementFactory(time_zone="Europe/Berlin", country="DE", region="BE")


def test_the_pulse_survey_is_not_sent_on_new_years_day(bavaria):
    # 1 January 2027 is a Friday: the first business day of January is Monday the 4th.
    assert pulse_opens_at(bavaria, date(2027, 1, 1)) == datetime(2027, 1, 4, 9, 0, tzinfo=BERLIN)
    no_country = factories.EngagementFactory(time_zone="Europe/Berlin")
    assert pulse_opens_at(no_country, date(2027, 1, 1)) == datetime(2027, 1, 1, 9, 0, tzinfo=BERLIN)


def test_an_issue_due_on_a_holiday_is_chased_from_the_business_day_after(bavaria, berlin):
    epiphany = date(2026, 1, 6)  # a holiday in Bavaria, a Tuesday like any other in Berlin

    in_bavaria = issue_ladder(engagement=bavaria, due_on=epiphany)
    in_berlin = issue_ladder(engagement=berlin, due_on=epiphany)

    assert in_bavaria["remind_at"] == datetime(2026, 1, 7, 9, 0, tzinfo=BERLIN)
    assert in_bavaria["due_at"] == datetime(2026, 1, 7, 17, 0, tzinfo=BERLIN)
    assert in_bavaria["escalate_at"] == datetime(2026, 1, 8, 17, 0, tzinfo=BERLIN)  # 8 business hours on
    assert in_berlin["remind_at"] == datetime(2026, 1, 6, 9, 0, tzinfo=BERLIN)
    assert in_berlin["due_at"] == datetime(2026, 1, 6, 17, 0, tzinfo=BERLIN)


def test_the_demo_history_lands_on_business_days(bavaria):
    assert _business_day_on_or_before(bavaria, date(2026, 1, 6)) == date(2026, 1, 5)
    assert _first_business_day(bavaria, date(2026, 1, 1)) == date(2026, 1, 2)
