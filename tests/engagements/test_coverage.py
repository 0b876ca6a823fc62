"""Who covers a requisition: the primary recruiter, or while they are away, a backup."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from accounts.models import User
from engagements.models import Assignment
from engagements.selectors import Coverage, requisition_covering_recruiter, requisition_covering_recruiters
from tests import factories

# Wednesday 4 June 2025, mid-morning. The personas' assignments started 30 days before.
NOW = datetime(2025, 6, 4, 10, 0, tzinfo=UTC)
TODAY = date(2025, 6, 4)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _away(user, backup, *, starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=5)):
    return factories.OutOfOfficeFactory(user=user, backup=backup, starts_at=starts_at, ends_at=ends_at)


def _assign(requisition, recruiter, role, *, starts_on=TODAY - timedelta(days=10), ends_on=None):
    return factories.AssignmentFactory(
        requisition=requisition, recruiter=recruiter, role=role, starts_on=starts_on, ends_on=ends_on
    )


@pytest.fixture
def colleague(world):
    """Another recruiter of the provider, named as backup in out-of-office periods."""
    return factories.UserFactory(organization=world.provider, role=User.Role.RECRUITER, email="cole@tb.example")


def test_primary_recruiter_covers_their_requisition_while_in(world):
    assert requisition_covering_recruiter(requisition=world.requisition) == world.recruiter
    coverage = requisition_covering_recruiters(requisition_ids=[world.requisition.pk])[world.requisition.pk]
    assert coverage == Coverage(recruiter=world.recruiter, primary=world.recruiter, primary_is_away=False)


def test_the_sourcer_never_covers_a_requisition(world):
    requisition = factories.RequisitionFactory(engagement=world.acme_engagement)
    _assign(requisition, world.sourcer, Assignment.Role.SOURCER)
    assert requisition_covering_recruiter(requisition=requisition) is None


def test_recruiter_backup_receives_requisition_while_primary_is_away(world, colleague):
    _assign(world.requisition, world.idle_recruiter, Assignment.Role.BACKUP)
    _away(world.recruiter, backup=colleague)

    # The requisition's own, cross-trained backup wins over the backup named for the absence.
    assert requisition_covering_recruiter(requisition=world.requisition) == world.idle_recruiter
    coverage = requisition_covering_recruiters(requisition_ids=[world.requisition.pk])[world.requisition.pk]
    assert coverage == Coverage(recruiter=world.idle_recruiter, primary=world.recruiter, primary_is_away=True)


def test_the_backup_named_for_the_absence_covers_when_the_requisition_has_no_backup(world, colleague):
    _away(world.recruiter, backup=colleague)
    assert requisition_covering_recruiter(requisition=world.requisition) == colleague


def test_the_backup_named_for_the_absence_covers_when_the_requisition_backup_is_also_away(world, colleague):
    _assign(world.requisition, world.idle_recruiter, Assignment.Role.BACKUP)
    _away(world.recruiter, backup=colleague)
    _away(world.idle_recruiter, backup=world.globex_recruiter)
    assert requisition_covering_recruiter(requisition=world.requisition) == colleague


def test_a_backup_who_is_away_while_the_primary_is_in_changes_nothing(world, colleague):
    _assign(world.requisition, world.idle_recruiter, Assignment.Role.BACKUP)
    _away(world.idle_recruiter, backup=colleague)
    assert requisition_covering_recruiter(requisition=world.requisition) == world.recruiter


def test_primary_covers_again_once_the_absence_is_over(world, colleague, clock):
    _away(world.recruiter, backup=colleague, starts_at=NOW + timedelta(days=1), ends_at=NOW + timedelta(days=3))
    assert requisition_covering_recruiter(requisition=world.requisition) == world.recruiter

    clock.move_to(NOW + timedelta(days=1))  # the absence starts this very moment
    assert requisition_covering_recruiter(requisition=world.requisition) == colleague

    clock.move_to(NOW + timedelta(days=3) - timedelta(seconds=1))
    assert requisition_covering_recruiter(requisition=world.requisition) == colleague

    clock.move_to(NOW + timedelta(days=3))  # ends_at is the first moment back
    assert requisition_covering_recruiter(requisition=world.requisition) == world.recruiter


def test_coverage_can_be_asked_for_another_moment(world, colleague):
    _away(world.recruiter, backup=colleague, starts_at=NOW + timedelta(days=7), ends_at=NOW + timedelta(days=14))
    assert requisition_covering_recruiter(requisition=world.requisition) == world.recruiter
    assert requisition_covering_recruiter(requisition=world.requisition, at=NOW + timedelta(days=8)) == colleague


def test_an_ended_primary_assignment_no_longer_covers(world):
    requisition = factories.RequisitionFactory(engagement=world.acme_engagement)
    _assign(requisition, world.recruiter, Assignment.Role.PRIMARY, ends_on=TODAY - timedelta(days=1))
    assert requisition_covering_recruiter(requisition=requisition) is None


def test_an_assignment_ending_today_still_covers_today(world):
    requisition = factories.RequisitionFactory(engagement=world.acme_engagement)
    _assign(requisition, world.recruiter, Assignment.Role.PRIMARY, ends_on=TODAY)
    assert requisition_covering_recruiter(requisition=requisition) == world.recruiter
    assert requisition_covering_recruiter(requisition=requisition, at=NOW + timedelta(days=1)) is None


def test_an_ended_backup_assignment_no_longer_covers(world, colleague):
    _assign(world.requisition, world.idle_recruiter, Assignment.Role.BACKUP, ends_on=TODAY - timedelta(days=1))
    _away(world.recruiter, backup=colleague)
    assert requisition_covering_recruiter(requisition=world.requisition) == colleague


def test_a_future_primary_does_not_cover_yet(world):
    requisition = factories.RequisitionFactory(engagement=world.acme_engagement)
    _assign(requisition, world.recruiter, Assignment.Role.PRIMARY, starts_on=TODAY + timedelta(days=1))
    assert requisition_covering_recruiter(requisition=requisition) is None
    assert requisition_covering_recruiter(requisition=requisition, at=NOW + timedelta(days=1)) == world.recruiter


def test_a_future_backup_does_not_cover_yet(world, colleague):
    _assign(world.requisition, world.idle_recruiter, Assignment.Role.BACKUP, starts_on=TODAY + timedelta(days=2))
    _away(world.recruiter, backup=colleague)
    assert requisition_covering_recruiter(requisition=world.requisition) == colleague


def test_the_next_primary_takes_over_when_the_previous_one_ends(world, clock):
    requisition = factories.RequisitionFactory(engagement=world.acme_engagement)
    _assign(requisition, world.recruiter, Assignment.Role.PRIMARY, ends_on=TODAY)
    _assign(requisition, world.idle_recruiter, Assignment.Role.PRIMARY, starts_on=TODAY + timedelta(days=1))
    assert requisition_covering_recruiter(requisition=requisition) == world.recruiter
    clock.move_to(NOW + timedelta(days=1))
    assert requisition_covering_recruiter(requisition=requisition) == world.idle_recruiter


def test_without_a_primary_the_backup_covers(world):
    requisition = factories.RequisitionFactory(engagement=world.acme_engagement)
    _assign(requisition, world.idle_recruiter, Assignment.Role.BACKUP)
    coverage = requisition_covering_recruiters(requisition_ids=[requisition.pk])[requisition.pk]
    assert coverage == Coverage(recruiter=world.idle_recruiter, primary=None, primary_is_away=False)


def test_without_any_recruiter_nobody_covers(world):
    requisition = factories.RequisitionFactory(engagement=world.acme_engagement)
    coverage = requisition_covering_recruiters(requisition_ids=[requisition.pk])[requisition.pk]
    assert coverage == Coverage(recruiter=None, primary=None, primary_is_away=False)


def test_coverage_of_many_requisitions_at_once(world, colleague):
    covered_by_backup = factories.RequisitionFactory(engagement=world.acme_engagement)
    _assign(covered_by_backup, world.recruiter, Assignment.Role.PRIMARY)
    _assign(covered_by_backup, world.idle_recruiter, Assignment.Role.BACKUP)
    _away(world.recruiter, backup=colleague)

    coverage = requisition_covering_recruiters(
        requisition_ids=[world.requisition.pk, covered_by_backup.pk, world.other_requisition.pk]
    )
    assert {requisition_id: c.recruiter for requisition_id, c in coverage.items()} == {
        world.requisition.pk: colleague,
        covered_by_backup.pk: world.idle_recruiter,
        world.other_requisition.pk: None,
    }


def _requisitions_with_coverage(world, count, colleague):
    requisition_ids = []
    for index in range(count):
        requisition = factories.RequisitionFactory(engagement=world.acme_engagement)
        primary = factories.UserFactory(organization=world.provider, role=User.Role.RECRUITER)
        _assign(requisition, primary, Assignment.Role.PRIMARY)
        _assign(requisition, world.idle_recruiter, Assignment.Role.BACKUP)
        if index % 2:
            _away(primary, backup=colleague)
        requisition_ids.append(requisition.pk)
    return requisition_ids


@pytest.mark.parametrize("count", [3, 30])
def test_coverage_of_a_whole_list_takes_the_same_queries_for_3_or_30_requisitions(
    world, colleague, django_assert_num_queries, count
):
    requisition_ids = _requisitions_with_coverage(world, count, colleague)
    with django_assert_num_queries(2):
        coverage = requisition_covering_recruiters(requisition_ids=requisition_ids)
        covering = [coverage[requisition_id].recruiter.email for requisition_id in requisition_ids]
    assert covering.count(world.idle_recruiter.email) == count // 2
