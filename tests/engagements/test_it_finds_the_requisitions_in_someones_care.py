"""What a recruiter covers today (``requisitions_in_care_of``) is the requisitions they see,
narrowed to those assigned to them (or they manage) and those they stand in for: worked out from
their assignments in one query, it must agree with that rule in every case the rule knows."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db.models import Q

from accounts.models import User
from engagements.models import Assignment
from engagements.selectors import requisition_ids_covered_as_stand_in, requisition_list, requisitions_in_care_of
from tests import factories

# Wednesday 4 June 2025, 23:30 UTC: already Thursday in Berlin (the Globex engagement's zone).
NOW = datetime(2025, 6, 4, 23, 30, tzinfo=UTC)
UTC_TODAY = date(2025, 6, 4)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _by_the_rule(user):
    """The definition, spelled with the scope selectors."""
    mine = requisition_list(user=user, mine=True).values("id")
    stand_in = requisition_ids_covered_as_stand_in(user=user, at=NOW)
    return set(requisition_list(user=user).filter(Q(id__in=mine) | Q(id__in=stand_in)).values_list("id", flat=True))


def _in_care_of(user):
    return set(requisitions_in_care_of(user=user, at=NOW).values_list("id", flat=True))


def _assign(requisition, recruiter, role, *, starts_on=UTC_TODAY - timedelta(days=10), ends_on=None):
    return factories.AssignmentFactory(
        requisition=requisition, recruiter=recruiter, role=role, starts_on=starts_on, ends_on=ends_on
    )


@pytest.fixture
def situations(world):
    """Assignments that end or start around the engagements' own midnight, an absence naming a
    backup, another provider's engagement, and an account manager."""
    colleague = factories.UserFactory(organization=world.provider, role=User.Role.RECRUITER, email="cole@tb.example")
    stand_in = factories.UserFactory(organization=world.provider, role=User.Role.RECRUITER, email="stan@tb.example")
    # Ended yesterday (Acme's calendar is on the 4th too): not in effect.
    ended = factories.RequisitionFactory(engagement=world.acme_engagement, hiring_manager=world.hiring_manager)
    _assign(ended, world.recruiter, Assignment.Role.BACKUP, ends_on=UTC_TODAY - timedelta(days=1))
    # Starts tomorrow by UTC, which is today in Berlin: in effect on Globex's calendar.
    starting = factories.RequisitionFactory(
        engagement=world.globex_engagement, hiring_manager=world.globex_hiring_manager
    )
    _assign(starting, world.recruiter, Assignment.Role.SOURCER, starts_on=UTC_TODAY + timedelta(days=1))
    # Ends today by UTC, already yesterday in Berlin: not in effect there.
    over = factories.RequisitionFactory(engagement=world.globex_engagement, hiring_manager=world.globex_hiring_manager)
    _assign(over, world.recruiter, Assignment.Role.BACKUP, ends_on=UTC_TODAY)
    # The colleague's requisitions while away, naming the stand-in: one without a backup (the
    # stand-in covers it), one with an in-office backup (who covers it), one whose backup is away too.
    away_ids = []
    for backup in (None, world.idle_recruiter, world.sourcer):
        requisition = factories.RequisitionFactory(
            engagement=world.acme_engagement, hiring_manager=world.hiring_manager
        )
        _assign(requisition, colleague, Assignment.Role.PRIMARY)
        if backup is not None:
            _assign(requisition, backup, Assignment.Role.BACKUP)
        away_ids.append(requisition.pk)
    factories.OutOfOfficeFactory(
        user=colleague, backup=stand_in, starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=3)
    )
    factories.OutOfOfficeFactory(
        user=world.sourcer, backup=colleague, starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=3)
    )
    # Another provider's engagement where the recruiter is (wrongly) assigned: not theirs to see.
    elsewhere = factories.EngagementFactory(client=world.acme)
    foreign = factories.RequisitionFactory(engagement=elsewhere, hiring_manager=world.hiring_manager)
    _assign(foreign, world.recruiter, Assignment.Role.PRIMARY)
    world.acme_engagement.account_managers.add(world.account_manager)
    return {
        "colleague": colleague,
        "stand_in": stand_in,
        "ended": ended,
        "starting": starting,
        "over": over,
        "away": away_ids,
        "foreign": foreign,
    }


def test_a_recruiters_requisitions_follow_each_engagements_own_date(world, situations):
    care = _in_care_of(world.recruiter)
    assert care == _by_the_rule(world.recruiter)
    assert world.requisition.pk in care
    assert situations["starting"].pk in care
    assert not care & {situations["ended"].pk, situations["over"].pk, situations["foreign"].pk}


def test_the_stand_in_gets_the_away_colleagues_requisitions_no_backup_of_theirs_covers(world, situations):
    no_backup, backup_in, backup_away = situations["away"]
    care = _in_care_of(situations["stand_in"])
    assert care == _by_the_rule(situations["stand_in"]) == {no_backup, backup_away}
    assert backup_in in _in_care_of(world.idle_recruiter)


@pytest.mark.parametrize(
    "persona", ["recruiter", "sourcer", "idle_recruiter", "account_manager", "provider_admin", "globex_recruiter"]
)
def test_every_provider_role_agrees_with_the_rule(world, situations, persona):
    user = getattr(world, persona)
    assert _in_care_of(user) == _by_the_rule(user)


def test_an_inactive_recruiter_covers_nothing(world, situations):
    world.recruiter.is_active = False
    world.recruiter.save(update_fields=["is_active"])
    assert _in_care_of(world.recruiter) == set()
