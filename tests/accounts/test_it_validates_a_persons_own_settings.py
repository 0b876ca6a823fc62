"""``user_update_profile`` is the one home of what a person may save about themselves (the settings
page and the API's ``me/`` both call it): refused values are named per field, nothing is saved,
and the refused values are not left on the user object either."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.services import user_update_profile


def _refused(user, **changes) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refusal:
        user_update_profile(user=user, **changes)
    return refusal.value.message_dict


def _saved(user) -> tuple:
    user.refresh_from_db()
    return (
        user.time_zone,
        user.notification_preference,
        user.digest_hour,
        user.quiet_hours_start,
        user.quiet_hours_end,
    )


def test_new_and_existing_accounts_start_with_the_operators_hours(world, settings):
    assert (world.hiring_manager.digest_hour, world.hiring_manager.quiet_hours_start) == (8, 20)
    assert world.hiring_manager.quiet_hours_end == 8
    settings.DIGEST_HOUR, settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = 9, 21, 7
    newcomer = User.objects.create_user("new@acme.example", organization=world.acme, role="hiring_manager")
    assert (newcomer.digest_hour, newcomer.quiet_hours_start, newcomer.quiet_hours_end) == (9, 21, 7)


def test_quiet_hours_that_start_and_end_at_the_same_hour_are_refused_with_a_reason(world):
    errors = _refused(world.recruiter, quiet_hours_start=9, quiet_hours_end=9)
    assert errors == {
        "quiet_hours_end": [
            "Quiet hours cannot start and end at the same hour (09:00): choose an end hour after the start, "
            "for example 08:00 after 20:00."
        ]
    }
    assert world.recruiter.quiet_hours_start == 20  # not left changed on the object
    assert _saved(world.recruiter) == ("America/New_York", "each", 8, 20, 8)


def test_an_unknown_time_zone_is_refused(world):
    assert _refused(world.recruiter, time_zone="Mars/Olympus") == {"time_zone": ["Choose a time zone from the list."]}
    assert world.recruiter.time_zone == "America/New_York"


@pytest.mark.parametrize("hour", [-1, 24, 99, True, "8", 7.5])
def test_hours_outside_0_to_23_are_refused(world, hour):
    errors = _refused(world.recruiter, digest_hour=hour, quiet_hours_start=hour, quiet_hours_end=hour)
    assert set(errors) == {"digest_hour", "quiet_hours_start", "quiet_hours_end"}
    assert errors["digest_hour"] == ["Choose an hour from 00:00 to 23:00."]


def test_a_digest_inside_ones_own_quiet_hours_is_refused(world):
    errors = _refused(world.hiring_manager, notification_preference="digest", digest_hour=6)
    assert errors == {
        "digest_hour": [
            "Your digest at 06:00 would fall in your quiet hours (20:00 to 08:00): choose an hour outside them, "
            "or change the quiet hours."
        ]
    }
    # Moving the quiet hours out of the way makes the same hour fine.
    user_update_profile(
        user=world.hiring_manager,
        notification_preference="digest",
        digest_hour=6,
        quiet_hours_start=22,
        quiet_hours_end=5,
    )
    assert _saved(world.hiring_manager) == ("America/New_York", "digest", 6, 22, 5)


def test_an_early_digest_hour_is_kept_for_later_by_someone_on_each_reminder(world):
    """On "each reminder" the digest hour is not used yet: any hour may be kept for later."""
    user_update_profile(user=world.hiring_manager, digest_hour=3)
    assert _saved(world.hiring_manager)[2] == 3
    assert "digest_hour" in _refused(world.hiring_manager, notification_preference="digest")


def test_several_refusals_are_reported_together_and_nothing_is_saved(world):
    errors = _refused(world.recruiter, full_name=" ", time_zone="Nowhere", quiet_hours_start=8, digest_hour=2)
    assert set(errors) == {"full_name", "time_zone", "quiet_hours_end"}
    assert world.recruiter.full_name == "Rita"
    assert _saved(world.recruiter) == ("America/New_York", "each", 8, 20, 8)


def test_valid_settings_are_saved_together(world):
    user_update_profile(
        user=world.globex_hiring_manager,
        full_name=" Greta Berg ",
        time_zone="Asia/Tokyo",
        notification_preference="digest",
        digest_hour=18,
        quiet_hours_start=23,
        quiet_hours_end=7,
    )
    assert _saved(world.globex_hiring_manager) == ("Asia/Tokyo", "digest", 18, 23, 7)
    assert world.globex_hiring_manager.full_name == "Greta Berg"


@pytest.mark.parametrize("field", ["digest_hour", "quiet_hours_start", "quiet_hours_end"])
def test_the_database_refuses_an_hour_outside_the_day(world, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=world.recruiter.pk).update(**{field: 24})


def test_an_operators_equal_quiet_hours_kept_as_they_are_do_not_block_other_changes(world, settings):
    """QUIET_HOURS_START = QUIET_HOURS_END (no quiet hours) is the operator's to set; the settings page
    sends it back unchanged with the rest, and the rest is saved."""
    User.objects.filter(pk=world.hiring_manager.pk).update(quiet_hours_start=8, quiet_hours_end=8)
    world.hiring_manager.refresh_from_db()
    user_update_profile(
        user=world.hiring_manager,
        notification_preference="digest",
        digest_hour=17,
        quiet_hours_start=8,
        quiet_hours_end=8,
    )
    assert _saved(world.hiring_manager) == ("America/New_York", "digest", 17, 8, 8)


def test_the_admin_form_gets_a_message_not_an_error_page_for_an_hour_outside_the_day(world):
    """The admin's change form validates the model's constraints (full_clean) before saving."""
    world.recruiter.quiet_hours_start = 24
    with pytest.raises(ValidationError) as refusal:
        world.recruiter.full_clean()
    assert "Quiet hours start: choose an hour from 0 to 23." in str(refusal.value)
