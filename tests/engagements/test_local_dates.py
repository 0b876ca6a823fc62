"""An engagement keeps its own calendar: its today is the date in its time zone, for the
assignments in effect, who covers, how long a requisition is open, and the dates services fill in.

At 22:00 UTC on Tuesday 1 December 2026 it is already Wednesday 2 December in Sydney (UTC+11),
and still Tuesday in New York.
"""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Q

from accounts.models import TIME_ZONE_CHOICES, User
from engagements.local_dates import (
    engagement_today,
    forget_zones_in_use,
    local_date,
    on_engagement_today_q,
    world_today,
    zones_in_use,
)
from engagements.models import Assignment, Engagement, Requisition
from engagements.selectors import active_assignment_q, requisition_covering_recruiter, requisition_list
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


def one_day_assignments(engagement, days):
    """One assignment per day on ``engagement``, each in effect on that day only."""
    requisition = factories.RequisitionFactory(engagement=engagement)
    return {
        day: factories.AssignmentFactory(
            requisition=requisition, starts_on=day, ends_on=day, role=Assignment.Role.BACKUP
        )
        for day in days
    }


ZONES_AROUND_MIDNIGHT = ["Asia/Kathmandu", "Pacific/Kiritimati", "America/Adak", "Australia/Sydney", "UTC"]


@pytest.mark.django_db
def test_each_engagement_is_on_its_own_date_to_the_microsecond_around_midnight_in_several_zones():
    """Around the midnights of zones +05:45, +14, -10, +11 and UTC, every engagement's assignments
    in effect are those of its own date: a moment before its midnight still the old day, at its
    midnight already the new one, while the other zones keep theirs."""
    days = [date(2026, 11, 30) + timedelta(days=n) for n in range(4)]
    by_zone = {
        zone: one_day_assignments(factories.EngagementFactory(time_zone=zone), days) for zone in ZONES_AROUND_MIDNIGHT
    }
    ours = [assignment.pk for assignments in by_zone.values() for assignment in assignments.values()]
    moments = []
    for zone in ZONES_AROUND_MIDNIGHT:
        midnight = datetime(2026, 12, 2, tzinfo=ZoneInfo(zone)).astimezone(UTC)
        moments += [midnight - timedelta(microseconds=1), midnight, midnight + timedelta(seconds=59)]
    for at in moments:
        in_effect = set(Assignment.objects.filter(active_assignment_q(at), pk__in=ours).values_list("pk", flat=True))
        expected = {by_zone[zone][local_date(zone, at)].pk for zone in ZONES_AROUND_MIDNIGHT}
        assert in_effect == expected, at


@pytest.mark.django_db
def test_an_engagement_in_a_zone_no_one_used_counts_on_its_own_date_at_once():
    forget_zones_in_use()
    assert "Pacific/Kiritimati" not in zones_in_use()  # this process has read the zones in use already
    at = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)  # already Wednesday on Kiritimati (UTC+14)
    days = [date(2026, 12, 1), date(2026, 12, 2)]
    assignments = one_day_assignments(factories.EngagementFactory(time_zone="Pacific/Kiritimati"), days)
    in_effect = set(
        Assignment.objects.filter(active_assignment_q(at), pk__in=[a.pk for a in assignments.values()]).values_list(
            "pk", flat=True
        )
    )
    assert in_effect == {assignments[date(2026, 12, 2)].pk}


def test_the_date_most_of_the_world_is_on_kept_for_a_minute_is_the_one_worked_out_each_time():
    """The answer kept per UTC minute agrees with working it out afresh, second by second (and a
    microsecond either side of each minute) across the hours when the majority moves to Wednesday."""
    start = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
    moments = []
    for seconds in range(0, 3 * 3600, 11):
        moment = start + timedelta(seconds=seconds)
        moments += [moment, moment + timedelta(microseconds=999_999)]
    answers = set()
    for at in moments:
        counts = Counter(local_date(name, at) for name, _label in TIME_ZONE_CHOICES)
        assert world_today(at) == max(counts, key=lambda day: counts[day]), at
        answers.add(world_today(at))
    assert answers == {date(2026, 12, 1), date(2026, 12, 2)}
