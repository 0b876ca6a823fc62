"""Swapping a requisition's primary and backup recruiters in one action (issue 12): one
transaction, the same rules as assigning and ending, and a second click never swaps them back."""

import threading
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from engagements.models import Assignment
from engagements.selectors import requisition_covering_recruiter, requisition_teams
from engagements.services import assignment_swap
from tests import factories

Role = Assignment.Role
NOW = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
TODAY = date(2026, 3, 11)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def backed_up(world):
    """ACME-1: Rita primary, Ivan backup (Sam sources it)."""
    factories.AssignmentFactory(requisition=world.requisition, recruiter=world.idle_recruiter, role=Role.BACKUP)
    return world.requisition


def _team(requisition):
    team = requisition_teams(requisition_ids=[requisition.pk])[requisition.pk]
    return team.primary.recruiter, team.backup.recruiter


def test_swapping_makes_the_backup_primary_and_the_primary_backup_from_today(world, backed_up):
    new_primary, new_backup = assignment_swap(
        actor=world.account_manager, requisition=backed_up, primary=world.recruiter, backup=world.idle_recruiter
    )

    assert (new_primary.recruiter, new_primary.role, new_primary.starts_on) == (
        world.idle_recruiter,
        Role.PRIMARY,
        TODAY,
    )
    assert (new_backup.recruiter, new_backup.role, new_backup.starts_on) == (world.recruiter, Role.BACKUP, TODAY)
    assert _team(backed_up) == (world.idle_recruiter, world.recruiter)
    assert requisition_covering_recruiter(requisition=backed_up) == world.idle_recruiter
    # The old assignments end today (a handover), so the history keeps who held which role when.
    ended = backed_up.assignments.filter(ends_on=TODAY)
    assert {(item.recruiter, item.role) for item in ended} == {
        (world.recruiter, Role.PRIMARY),
        (world.idle_recruiter, Role.BACKUP),
    }
    # The sourcer is untouched.
    assert backed_up.assignments.get(role=Role.SOURCER).ends_on is None


def test_a_second_click_on_the_same_swap_changes_nothing(world, backed_up):
    seen = {"primary": world.recruiter, "backup": world.idle_recruiter}
    assignment_swap(actor=world.account_manager, requisition=backed_up, **seen)
    count = backed_up.assignments.count()

    with pytest.raises(ValidationError) as refused:
        assignment_swap(actor=world.account_manager, requisition=backed_up, **seen)

    assert "Nothing was swapped" in refused.value.messages[0]
    assert world.idle_recruiter.display_name in refused.value.messages[0]
    assert _team(backed_up) == (world.idle_recruiter, world.recruiter)
    assert backed_up.assignments.count() == count


def test_swapping_back_on_purpose_the_same_day_works(world, backed_up):
    assignment_swap(
        actor=world.account_manager, requisition=backed_up, primary=world.recruiter, backup=world.idle_recruiter
    )
    assignment_swap(
        actor=world.account_manager, requisition=backed_up, primary=world.idle_recruiter, backup=world.recruiter
    )
    assert _team(backed_up) == (world.recruiter, world.idle_recruiter)
    assert requisition_covering_recruiter(requisition=backed_up) == world.recruiter


def test_the_roles_keep_their_periods_when_the_people_swap(world, backed_up):
    backup = backed_up.assignments.get(role=Role.BACKUP)
    backup.ends_on = date(2026, 6, 30)
    backup.save(update_fields=["ends_on"])

    new_primary, new_backup = assignment_swap(
        actor=world.account_manager, requisition=backed_up, primary=world.recruiter, backup=world.idle_recruiter
    )

    assert new_primary.ends_on is None
    assert new_backup.ends_on == date(2026, 6, 30)


def test_a_requisition_without_a_backup_cannot_swap(world):
    with pytest.raises(ValidationError) as refused:
        assignment_swap(
            actor=world.account_manager, requisition=world.requisition, primary=world.recruiter, backup=world.sourcer
        )
    assert "no backup recruiter" in refused.value.messages[0]


def test_a_deactivated_backup_cannot_become_primary_and_nothing_changes(world, backed_up):
    world.idle_recruiter.is_active = False
    world.idle_recruiter.save(update_fields=["is_active"])
    count = backed_up.assignments.count()

    with pytest.raises(ValidationError) as refused:
        assignment_swap(
            actor=world.account_manager, requisition=backed_up, primary=world.recruiter, backup=world.idle_recruiter
        )

    assert "deactivated" in refused.value.message_dict["recruiter"][0]
    # One transaction: the two ends before the refusal are undone.
    assert backed_up.assignments.count() == count
    assert not backed_up.assignments.filter(ends_on__isnull=False).exists()


@pytest.mark.parametrize("persona", ["recruiter", "client_admin", "hiring_manager"])
def test_only_the_engagements_account_managers_and_provider_admins_swap(world, backed_up, persona):
    with pytest.raises(PermissionDenied):
        assignment_swap(
            actor=getattr(world, persona),
            requisition=backed_up,
            primary=world.recruiter,
            backup=world.idle_recruiter,
        )
    assert _team(backed_up) == (world.recruiter, world.idle_recruiter)


def test_the_provider_admin_swaps_too(world, backed_up):
    assignment_swap(
        actor=world.provider_admin, requisition=backed_up, primary=world.recruiter, backup=world.idle_recruiter
    )
    assert _team(backed_up) == (world.idle_recruiter, world.recruiter)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_swap_exactly_once(world, backed_up):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def swap():
        try:
            barrier.wait(timeout=10)
            assignment_swap(
                actor=world.account_manager,
                requisition=backed_up,
                primary=world.recruiter,
                backup=world.idle_recruiter,
            )
            outcomes.append("swapped")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=swap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "swapped"]
    assert _team(backed_up) == (world.idle_recruiter, world.recruiter)
