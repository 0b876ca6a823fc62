"""Out of office: a recruiter away names a backup, and the rules that keep that safe."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import OutOfOffice, User
from accounts.selectors import out_of_office_list
from accounts.services import out_of_office_create, out_of_office_delete, out_of_office_update
from tests import factories

MONDAY = datetime(2025, 6, 9, 0, 0, tzinfo=UTC)
FRIDAY = datetime(2025, 6, 13, 23, 59, tzinfo=UTC)


def _error_fields(refused) -> set[str]:
    return set(refused.value.message_dict)


def test_recruiter_sets_out_of_office_with_a_colleague_as_backup(world):
    absence = out_of_office_create(
        actor=world.recruiter,
        user=world.recruiter,
        starts_at=MONDAY,
        ends_at=FRIDAY,
        backup=world.idle_recruiter,
        note="Holiday",
    )
    absence.refresh_from_db()
    assert (absence.user, absence.backup, absence.starts_at, absence.ends_at, absence.note) == (
        world.recruiter,
        world.idle_recruiter,
        MONDAY,
        FRIDAY,
        "Holiday",
    )


@pytest.mark.parametrize("manager", ["account_manager", "provider_admin"])
def test_an_account_manager_or_admin_sets_out_of_office_for_a_recruiter(world, manager):
    absence = out_of_office_create(
        actor=getattr(world, manager), user=world.recruiter, starts_at=MONDAY, ends_at=FRIDAY, backup=world.sourcer
    )
    assert absence.user == world.recruiter


@pytest.mark.parametrize("actor", ["idle_recruiter", "sourcer", "hiring_manager", "client_admin", "globex_admin"])
def test_nobody_else_sets_out_of_office_for_a_recruiter(world, actor):
    with pytest.raises(PermissionDenied):
        out_of_office_create(
            actor=getattr(world, actor), user=world.recruiter, starts_at=MONDAY, ends_at=FRIDAY, backup=world.sourcer
        )
    assert not OutOfOffice.objects.exists()


def test_an_account_manager_of_another_provider_cannot_set_it(world):
    rival = factories.ProviderFactory(name="Rival RPO")
    rival_manager = factories.UserFactory(organization=rival, role=User.Role.ACCOUNT_MANAGER)
    with pytest.raises(PermissionDenied):
        out_of_office_create(
            actor=rival_manager, user=world.recruiter, starts_at=MONDAY, ends_at=FRIDAY, backup=world.sourcer
        )


@pytest.mark.parametrize(
    "backup", ["hiring_manager", "client_admin", "globex_hiring_manager"], ids=lambda name: f"client-{name}"
)
def test_the_backup_cannot_be_a_client_user(world, backup):
    with pytest.raises(ValidationError) as refused:
        out_of_office_create(
            actor=world.recruiter,
            user=world.recruiter,
            starts_at=MONDAY,
            ends_at=FRIDAY,
            backup=getattr(world, backup),
        )
    assert _error_fields(refused) == {"backup"}


def test_the_backup_cannot_work_for_another_provider(world):
    rival = factories.ProviderFactory(name="Rival RPO")
    rival_recruiter = factories.UserFactory(organization=rival, role=User.Role.RECRUITER)
    with pytest.raises(ValidationError) as refused:
        out_of_office_create(
            actor=world.recruiter, user=world.recruiter, starts_at=MONDAY, ends_at=FRIDAY, backup=rival_recruiter
        )
    assert _error_fields(refused) == {"backup"}


def test_the_backup_must_be_active(world):
    world.idle_recruiter.is_active = False
    world.idle_recruiter.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as refused:
        out_of_office_create(
            actor=world.recruiter, user=world.recruiter, starts_at=MONDAY, ends_at=FRIDAY, backup=world.idle_recruiter
        )
    assert _error_fields(refused) == {"backup"}


def test_one_cannot_be_ones_own_backup(world):
    with pytest.raises(ValidationError) as refused:
        out_of_office_create(
            actor=world.recruiter, user=world.recruiter, starts_at=MONDAY, ends_at=FRIDAY, backup=world.recruiter
        )
    assert refused.value.message_dict == {"backup": ["The backup must be someone else."]}


@pytest.mark.parametrize("ends_at", [MONDAY, MONDAY - timedelta(hours=1)], ids=["same-moment", "before"])
def test_the_end_must_be_after_the_start(world, ends_at):
    with pytest.raises(ValidationError) as refused:
        out_of_office_create(
            actor=world.recruiter, user=world.recruiter, starts_at=MONDAY, ends_at=ends_at, backup=world.sourcer
        )
    assert _error_fields(refused) == {"ends_at"}


def test_every_problem_is_reported_at_once(world):
    with pytest.raises(ValidationError) as refused:
        out_of_office_create(
            actor=world.recruiter, user=world.recruiter, starts_at=FRIDAY, ends_at=MONDAY, backup=world.hiring_manager
        )
    assert _error_fields(refused) == {"ends_at", "backup"}


def test_a_client_user_cannot_be_out_of_office_with_a_backup(world):
    with pytest.raises(ValidationError) as refused:
        out_of_office_create(
            actor=world.hiring_manager,
            user=world.hiring_manager,
            starts_at=MONDAY,
            ends_at=FRIDAY,
            backup=world.other_hiring_manager,
        )
    assert "user" in _error_fields(refused)


def test_recruiter_extends_their_absence_and_changes_backup(world):
    absence = out_of_office_create(
        actor=world.recruiter, user=world.recruiter, starts_at=MONDAY, ends_at=FRIDAY, backup=world.sourcer
    )
    later = FRIDAY + timedelta(days=3)
    out_of_office_update(actor=world.recruiter, out_of_office=absence, ends_at=later, backup=world.idle_recruiter)
    absence.refresh_from_db()
    assert (absence.ends_at, absence.backup) == (later, world.idle_recruiter)


def test_an_update_is_held_to_the_same_rules(world):
    absence = out_of_office_create(
        actor=world.recruiter, user=world.recruiter, starts_at=MONDAY, ends_at=FRIDAY, backup=world.sourcer
    )
    with pytest.raises(ValidationError):
        out_of_office_update(actor=world.recruiter, out_of_office=absence, ends_at=MONDAY - timedelta(days=1))
    with pytest.raises(ValidationError):
        out_of_office_update(actor=world.recruiter, out_of_office=absence, backup=world.recruiter)
    with pytest.raises(PermissionDenied):
        out_of_office_update(actor=world.idle_recruiter, out_of_office=absence, note="Hijacked")
    fresh = OutOfOffice.objects.get(pk=absence.pk)
    assert (fresh.ends_at, fresh.backup, fresh.note) == (FRIDAY, world.sourcer, "")


def test_only_the_owner_or_a_manager_deletes_an_absence(world):
    absence = out_of_office_create(
        actor=world.recruiter, user=world.recruiter, starts_at=MONDAY, ends_at=FRIDAY, backup=world.sourcer
    )
    with pytest.raises(PermissionDenied):
        out_of_office_delete(actor=world.sourcer, out_of_office=absence)
    out_of_office_delete(actor=world.account_manager, out_of_office=absence)
    assert not OutOfOffice.objects.exists()


def test_the_database_refuses_an_absence_that_ends_before_it_starts(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutOfOffice.objects.create(user=world.recruiter, backup=world.sourcer, starts_at=MONDAY, ends_at=MONDAY)


def test_the_database_refuses_an_absence_covered_by_oneself(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutOfOffice.objects.create(user=world.recruiter, backup=world.recruiter, starts_at=MONDAY, ends_at=FRIDAY)


# Who sees the absences


@pytest.fixture
def absences(world):
    rival = factories.ProviderFactory(name="Rival RPO")
    return {
        "recruiter": factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer),
        "sourcer": factories.OutOfOfficeFactory(user=world.sourcer, backup=world.idle_recruiter),
        "rival": factories.OutOfOfficeFactory(user__organization=rival),
    }


@pytest.mark.parametrize(
    "persona", ["provider_admin", "account_manager", "recruiter", "sourcer", "idle_recruiter", "globex_recruiter"]
)
def test_provider_staff_see_who_covers_whom_in_their_provider(world, absences, persona):
    assert set(out_of_office_list(user=getattr(world, persona))) == {absences["recruiter"], absences["sourcer"]}


@pytest.mark.parametrize("persona", ["hiring_manager", "client_admin", "globex_hiring_manager", "globex_admin"])
def test_client_users_do_not_see_provider_absences(world, absences, persona):
    assert not out_of_office_list(user=getattr(world, persona)).exists()


def test_a_deactivated_recruiter_sees_no_absences(world, absences):
    world.idle_recruiter.is_active = False
    world.idle_recruiter.save(update_fields=["is_active"])
    assert not out_of_office_list(user=world.idle_recruiter).exists()
