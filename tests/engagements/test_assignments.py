"""Assignments: who works a requisition, as primary, backup or sourcer, and for which period."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.models import User
from engagements.local_dates import engagement_today
from engagements.models import Assignment
from engagements.selectors import requisition_covering_recruiter
from engagements.services import assignment_create, assignment_end
from tests import factories

Role = Assignment.Role


def _error_fields(refused) -> set[str]:
    return set(refused.value.message_dict)


def test_account_manager_assigns_a_primary_recruiter_from_today(world):
    assignment = assignment_create(
        actor=world.provider_admin, requisition=world.other_requisition, recruiter=world.recruiter, role=Role.PRIMARY
    )
    assert assignment.pk
    assert assignment.starts_on == engagement_today(world.acme_engagement)
    assert assignment.ends_on is None


def test_a_requisition_has_at_most_one_active_primary(world):
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            actor=world.provider_admin, requisition=world.requisition, recruiter=world.idle_recruiter, role=Role.PRIMARY
        )
    assert _error_fields(refused) == {"role"}
    assert world.requisition.assignments.filter(role=Role.PRIMARY).count() == 1


def test_the_database_refuses_a_second_open_ended_primary(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            requisition=world.requisition, recruiter=world.idle_recruiter, role=Role.PRIMARY, ends_on=None
        )


def test_the_database_allows_a_second_primary_once_the_first_has_an_end(world):
    Assignment.objects.filter(requisition=world.requisition, role=Role.PRIMARY).update(
        ends_on=engagement_today(world.acme_engagement)
    )
    Assignment.objects.create(requisition=world.requisition, recruiter=world.idle_recruiter, role=Role.PRIMARY)
    assert world.requisition.assignments.filter(role=Role.PRIMARY).count() == 2


def test_overlapping_dated_primaries_are_refused(world):
    requisition = world.other_requisition
    assignment_create(
        actor=world.provider_admin,
        requisition=requisition,
        recruiter=world.recruiter,
        role=Role.PRIMARY,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 1, 31),
    )
    for starts_on, ends_on in [
        (date(2025, 1, 15), date(2025, 2, 15)),  # overlaps the end
        (date(2024, 12, 1), date(2025, 1, 2)),  # covers the first two days
        (date(2025, 1, 10), date(2025, 1, 20)),  # inside
        (date(2024, 12, 1), None),  # open-ended from before
        (date(2025, 1, 30), None),  # open-ended from the day before the last
    ]:
        with pytest.raises(ValidationError) as refused:
            assignment_create(
                actor=world.provider_admin,
                requisition=requisition,
                recruiter=world.idle_recruiter,
                role=Role.PRIMARY,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        assert _error_fields(refused) == {"role"}, (starts_on, ends_on)


def test_a_primary_can_hand_over_on_the_same_day(world):
    current = Assignment.objects.get(requisition=world.requisition, role=Role.PRIMARY)
    assignment_end(actor=world.provider_admin, assignment=current)  # Rita's last day is today, and
    assignment_create(
        actor=world.provider_admin, requisition=world.requisition, recruiter=world.idle_recruiter, role=Role.PRIMARY
    )  # Ivan's first

    assert requisition_covering_recruiter(requisition=world.requisition) == world.idle_recruiter


def test_consecutive_dated_primaries_are_accepted(world):
    requisition = world.other_requisition
    assignment_create(
        actor=world.provider_admin,
        requisition=requisition,
        recruiter=world.recruiter,
        role=Role.PRIMARY,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 1, 31),
    )
    assignment_create(
        actor=world.provider_admin,
        requisition=requisition,
        recruiter=world.idle_recruiter,
        role=Role.PRIMARY,
        starts_on=date(2025, 2, 1),
    )
    assert requisition.assignments.filter(role=Role.PRIMARY).count() == 2


def test_a_requisition_may_have_several_backups_and_sourcers(world):
    assignment_create(
        actor=world.provider_admin, requisition=world.requisition, recruiter=world.idle_recruiter, role=Role.BACKUP
    )
    assignment_create(
        actor=world.provider_admin, requisition=world.requisition, recruiter=world.account_manager, role=Role.BACKUP
    )
    assignment_create(
        actor=world.provider_admin, requisition=world.requisition, recruiter=world.idle_recruiter, role=Role.SOURCER
    )
    assert world.requisition.assignments.count() == 5


def test_the_same_person_cannot_hold_the_same_role_twice_at_once(world):
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            actor=world.provider_admin, requisition=world.requisition, recruiter=world.sourcer, role=Role.SOURCER
        )
    assert _error_fields(refused) == {"recruiter"}


def test_a_recruiter_of_another_provider_cannot_be_assigned(world):
    other_provider = factories.ProviderFactory(name="Rival RPO")
    outsider = factories.UserFactory(organization=other_provider, role=User.Role.RECRUITER)
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            actor=world.provider_admin, requisition=world.other_requisition, recruiter=outsider, role=Role.PRIMARY
        )
    assert _error_fields(refused) == {"recruiter"}
    assert not world.other_requisition.assignments.exists()


@pytest.mark.parametrize("persona", ["hiring_manager", "client_admin", "globex_admin"])
def test_a_client_user_cannot_be_assigned_as_recruiter(world, persona):
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            actor=world.provider_admin,
            requisition=world.other_requisition,
            recruiter=getattr(world, persona),
            role=Role.BACKUP,
        )
    assert _error_fields(refused) == {"recruiter"}


def test_a_deactivated_recruiter_cannot_be_assigned(world):
    world.idle_recruiter.is_active = False
    world.idle_recruiter.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            actor=world.provider_admin,
            requisition=world.other_requisition,
            recruiter=world.idle_recruiter,
            role=Role.PRIMARY,
        )
    assert _error_fields(refused) == {"recruiter"}


def test_an_unknown_role_is_refused_by_field(world):
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            actor=world.provider_admin,
            requisition=world.other_requisition,
            recruiter=world.recruiter,
            role="coordinator",
        )
    assert "role" in _error_fields(refused)


def test_an_assignment_cannot_end_before_it_starts_when_created(world):
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            actor=world.provider_admin,
            requisition=world.other_requisition,
            recruiter=world.recruiter,
            role=Role.PRIMARY,
            starts_on=date(2025, 3, 1),
            ends_on=date(2025, 2, 1),
        )
    assert refused.value.message_dict == {"ends_on": ["An assignment cannot end before it starts."]}


def test_ending_an_assignment_defaults_to_today(world):
    assignment = world.requisition.assignments.get(role=Role.PRIMARY)
    assignment_end(actor=world.provider_admin, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.ends_on == engagement_today(world.acme_engagement)


def test_ending_an_assignment_on_a_given_day(world):
    assignment = world.requisition.assignments.get(role=Role.PRIMARY)
    ends_on = engagement_today(world.acme_engagement) - timedelta(days=1)
    assignment_end(actor=world.provider_admin, assignment=assignment, ends_on=ends_on)
    assignment.refresh_from_db()
    assert assignment.ends_on == ends_on


def test_an_assignment_cannot_end_before_it_started(world):
    assignment = world.requisition.assignments.get(role=Role.PRIMARY)
    with pytest.raises(ValidationError) as refused:
        assignment_end(
            actor=world.provider_admin, assignment=assignment, ends_on=assignment.starts_on - timedelta(days=1)
        )
    assert _error_fields(refused) == {"ends_on"}
    assignment.refresh_from_db()
    assert assignment.ends_on is None


def test_account_manager_hands_a_requisition_over_to_a_new_primary(world):
    current = world.requisition.assignments.get(role=Role.PRIMARY)
    today = engagement_today(world.acme_engagement)
    assignment_end(actor=world.provider_admin, assignment=current, ends_on=today - timedelta(days=1))
    successor = assignment_create(
        actor=world.provider_admin, requisition=world.requisition, recruiter=world.idle_recruiter, role=Role.PRIMARY
    )
    assert successor.starts_on == today


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_account_managers_assigning_a_primary_at_once_get_exactly_one(world):
    requisition = world.other_requisition
    candidates = [world.recruiter, world.idle_recruiter]
    barrier = threading.Barrier(len(candidates))
    outcomes: list[str] = []

    def assign(recruiter):
        try:
            barrier.wait(timeout=10)
            assignment_create(
                actor=world.provider_admin, requisition=requisition, recruiter=recruiter, role=Role.PRIMARY
            )
            outcomes.append("assigned")
        except ValidationError as error:
            outcomes.append(f"refused: {sorted(error.message_dict)}")
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(recruiter,)) for recruiter in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["assigned", "refused: ['role']"]
    assert requisition.assignments.filter(role=Role.PRIMARY).count() == 1


def test_an_ended_assignment_is_not_extended_by_ending_it_later(world):
    assignment = Assignment.objects.get(requisition=world.requisition, recruiter=world.recruiter)
    today = engagement_today(world.acme_engagement)
    assignment_end(actor=world.provider_admin, assignment=assignment, ends_on=today)
    with pytest.raises(ValidationError) as refused:
        assignment_end(actor=world.provider_admin, assignment=assignment, ends_on=today + timedelta(days=30))
    assert "add a new assignment" in refused.value.message_dict["ends_on"][0]
    assignment.refresh_from_db()
    assert assignment.ends_on == today
