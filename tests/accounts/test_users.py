"""People: email login, and a role that fits the organisation they belong to."""

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from tests import factories
from tests.factories import DEFAULT_PASSWORD


def test_a_user_logs_in_with_their_email_in_any_case(world):
    assert authenticate(username="RITA@TB.EXAMPLE", password=DEFAULT_PASSWORD) == world.recruiter
    assert authenticate(email="Rita@tb.example", password=DEFAULT_PASSWORD) == world.recruiter


def test_a_wrong_password_or_a_deactivated_account_does_not_log_in(world):
    assert authenticate(username="rita@tb.example", password="wrong") is None
    world.recruiter.is_active = False
    world.recruiter.save(update_fields=["is_active"])
    assert authenticate(username="rita@tb.example", password=DEFAULT_PASSWORD) is None


def test_an_email_is_stored_lower_case(db):
    provider = factories.ProviderFactory()
    user = User.objects.create_user(
        "Jane.Doe@Example.COM", "pw", full_name="Jane", organization=provider, role=User.Role.RECRUITER
    )
    assert user.email == "jane.doe@example.com"
    assert authenticate(username="JANE.DOE@example.com", password="pw") == user


def test_an_email_cannot_be_registered_twice_in_another_case(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="RITA@tb.example", full_name="Rita 2", organization=world.provider, role="recruiter")


def test_clean_lower_cases_the_email_and_reports_a_duplicate(world):
    user = User(email="Rita@TB.example", full_name="Rita again", organization=world.provider, role="recruiter")
    with pytest.raises(ValidationError):
        user.full_clean(exclude=["password"])
    assert user.email == "rita@tb.example"


def test_an_email_is_required(db):
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user("", "pw")


def test_the_bootstrap_superuser_has_no_organisation_and_no_role(db):
    root = User.objects.create_superuser("root@example.com", "pw", full_name="Root")
    assert root.organization is None
    assert root.role == ""
    assert root.is_staff
    assert root.is_superuser


def test_the_database_refuses_a_member_of_an_organisation_without_a_role(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="norole@acme.example", full_name="No role", organization=world.acme, role="")


def test_the_database_refuses_a_role_without_an_organisation(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="floating@example.com", full_name="Floating", organization=None, role="recruiter")


@pytest.mark.parametrize("role", sorted(User.PROVIDER_ROLES))
def test_a_provider_role_is_refused_in_a_client_organisation(world, role):
    user = User(email="x@acme.example", full_name="X", organization=world.acme, role=role)
    with pytest.raises(ValidationError) as refused:
        user.clean()
    assert set(refused.value.message_dict) == {"role"}


@pytest.mark.parametrize("role", sorted(User.CLIENT_ROLES))
def test_a_client_role_is_refused_in_the_provider(world, role):
    user = User(email="x@tb.example", full_name="X", organization=world.provider, role=role)
    with pytest.raises(ValidationError) as refused:
        user.clean()
    assert set(refused.value.message_dict) == {"role"}


def test_roles_that_fit_their_organisation_are_accepted(world):
    User(email="x@tb.example", full_name="X", organization=world.provider, role=User.Role.SOURCER).clean()
    User(email="y@acme.example", full_name="Y", organization=world.acme, role=User.Role.CLIENT_ADMIN).clean()
    User(email="root@example.com", full_name="Root", organization=None, role="").clean()


def test_clean_asks_for_an_organisation_with_a_role_and_a_role_with_an_organisation(world):
    with pytest.raises(ValidationError) as refused:
        User(email="x@example.com", full_name="X", organization=None, role=User.Role.RECRUITER).clean()
    assert set(refused.value.message_dict) == {"organization"}
    with pytest.raises(ValidationError) as refused:
        User(email="x@example.com", full_name="X", organization=world.acme, role="").clean()
    assert set(refused.value.message_dict) == {"role"}


def test_an_unknown_time_zone_is_refused(world):
    world.hiring_manager.time_zone = "Europe/Atlantis"
    with pytest.raises(ValidationError) as refused:
        world.hiring_manager.full_clean(exclude=["password"])
    assert "time_zone" in refused.value.message_dict


def test_role_helpers(world):
    assert world.recruiter.is_provider_staff
    assert not world.recruiter.is_client_user
    assert world.provider_admin.is_provider_admin
    assert world.hiring_manager.is_client_user
    assert not world.hiring_manager.is_provider_staff
    assert world.globex_hiring_manager.zone.key == "Europe/Berlin"
