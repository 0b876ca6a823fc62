"""An engagement keeps its own calendar: its today is the date in its time zone, for the
assignments in effect, who covers, how long a requisition is open, and the dates services fill in.

At 22:00 UTC on Tuesday 1 December 2026 it is already Wednesday 2 December in Sydney (UTC+11),
and still Tuesday in New York.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db.models import Q

from accounts.models import User
from engagements.local_dates import engagement_today, on_engagement_today_q
from engagements.models import Assignment, Engagement, Requisition
from engagements.selectors import requisition_covering_recruiter, requisition_list
from engagements.services import assignment_create, assignment_end, requisition_create, requisition_update
from tests import factories

NOW = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
SYDNEY_TODAY = date(2026, 12, 2)
UTC_TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sydney(world):
    """An engagement run on Sydney's calendar, with a requisition handed over from Rita to Ivan
    on Sydney's Wednesday."""
    world.acme_engagement.time_zone = "Australia/Sydney"
    world.acme_engagement.save(update_fields=["time_zone"])
    Assignment.objects.filter(requisition=world.requisition, role=Assignment.Role.PRIMARY).update(
        ends_on=date(2026, 12, 1)
    )
    factories.AssignmentFactory(
        requisition=world.requisition,
        recruiter=world.idle_recruiter,
        role=Assignment.Role.PRIMARY,
        starts_on=SYDNEY_TODAY,
    )
    return world.acme_engagement


def test_the_engagements_today_is_its_own_date(world, sydney):
    assert engagement_today(sydney) == SYDNEY_TODAY
    assert engagement_today(world.globex_engagement) == UTC_TODAY  # Berlin: 23:00 on Tuesday


def test_a_handover_on_the_engagements_own_wednesday_is_in_effect_there_already(world, sydney):
    assert requisition_covering_recruiter(requisition=world.requisition) == world.idle_recruiter
    mine = set(requisition_list(user=world.idle_recruiter, mine=True).values_list("pk", flat=True))
    assert world.requisition.pk in mine
    assert world.requisition.pk not in set(
        requisition_list(user=world.recruiter, mine=True).values_list("pk", flat=True)
    )


def test_the_same_handover_waits_for_wednesday_on_a_utc_calendar(world):
    world.acme_engagement.time_zone = "UTC"
    world.acme_engagement.save(update_fields=["time_zone"])
    Assignment.objects.filter(requisition=world.requisition, role=Assignment.Role.PRIMARY).update(
        ends_on=date(2026, 12, 1)
    )
    factories.AssignmentFactory(
        requisition=world.requisition,
        recruiter=world.idle_recruiter,
        role=Assignment.Role.PRIMARY,
        starts_on=SYDNEY_TODAY,
    )
    assert requisition_covering_recruiter(requisition=world.requisition) == world.recruiter


def test_dates_the_services_fill_in_are_the_engagements_today(world, sydney):
    requisition = requisition_create(
        actor=world.account_manager,
        engagement=sydney,
        code="SYD-1",
        title="Site lead",
        hiring_manager=world.hiring_manager,
    )
    assert requisition.opened_on == SYDNEY_TODAY
    requisition = requisition_update(
        actor=world.account_manager, requisition=requisition, status=Requisition.Status.FILLED
    )
    assert requisition.filled_on == SYDNEY_TODAY

    other = factories.UserFactory(organization=world.provider, role=User.Role.RECRUITER)
    assignment = assignment_create(
        actor=world.account_manager, requisition=world.other_requisition, recruiter=other, role=Assignment.Role.BACKUP
    )
    assert assignment.starts_on == SYDNEY_TODAY
    assert assignment_end(actor=world.account_manager, assignment=assignment).ends_on == SYDNEY_TODAY


def test_days_open_count_to_the_engagements_today(world, sydney, client):
    Requisition.objects.filter(pk=world.requisition.pk).update(opened_on=date(2026, 11, 22))
    client.force_login(world.idle_recruiter)
    page = client.get(f"/requisitions/{world.requisition.pk}/").content.decode()
    assert "open 10 days" in page  # 22 November to Sydney's 2 December (9 days to UTC's 1 December)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 1, 12, 59, 59, 999999, tzinfo=UTC),  # the last instant of Sydney's Tuesday
        datetime(2026, 12, 1, 13, 0, tzinfo=UTC),  # Sydney's Wednesday, from its first instant
        datetime(2026, 12, 1, 18, 29, 59, 999999, tzinfo=UTC),  # Kolkata (UTC+5:30): Tuesday still
        datetime(2026, 12, 1, 18, 30, tzinfo=UTC),  # Kolkata: Wednesday
        datetime(2026, 12, 1, 18, 30, 30, tzinfo=UTC),  # the same minute, asked again (answered from memory)
    ],
)
def test_assignments_in_effect_follow_each_engagements_midnight_to_the_instant(world, moment):
    """Which zones are on which date is worked out once a minute, never across a midnight."""
    world.acme_engagement.time_zone = "Asia/Kolkata"
    world.acme_engagement.save(update_fields=["time_zone"])
    world.globex_engagement.time_zone = "Australia/Sydney"
    world.globex_engagement.save(update_fields=["time_zone"])
    for engagement in (world.acme_engagement, world.globex_engagement):
        today = engagement_today(engagement, at=moment)
        in_effect = Engagement.objects.filter(
            on_engagement_today_q(at=moment, zone_field="time_zone", condition=lambda day: Q(started_on__lte=day)),
            pk=engagement.pk,
        )
        Engagement.objects.filter(pk=engagement.pk).update(started_on=today)
        assert in_effect.exists(), (engagement.time_zone, moment)
        Engagement.objects.filter(pk=engagement.pk).update(started_on=today + timedelta(days=1))
        assert not in_effect.exists(), (engagement.time_zone, moment)
