"""After "Add and submit" or a move to review, the message names the channel the hiring manager
really gets: an email with a one-click link now (or at the end of their own quiet hours), or the daily
digest at their own digest hour, their time."""

import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import User
from tests import factories

# Monday 12 January 2026, 10:00 in New York, 16:00 in Berlin: no quiet hours in either.
NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
EACH = User.NotificationPreference.EACH
DIGEST = User.NotificationPreference.DIGEST


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _hiring_manager(world, preference, time_zone="America/New_York"):
    manager = world.hiring_manager
    manager.notification_preference = preference
    manager.time_zone = time_zone
    manager.save(update_fields=["notification_preference", "time_zone"])
    return manager


def _submit(client, world):
    client.force_login(world.recruiter)
    data = {
        "form_token": str(uuid.uuid4()),
        "full_name": "Grace Hopper",
        "email": "grace@example.com",
        "summary": "Invented the compiler.",
        "send_to_review": "on",
    }
    url = reverse("partnership:candidate-submit", kwargs={"requisition_pk": world.requisition.pk})
    response = client.post(url, data)
    assert response.status_code == 303
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    return message


def _move_to_review(client, world):
    submission = factories.SubmissionFactory(requisition=world.requisition, candidate__full_name="Ada Lovelace")
    client.force_login(world.recruiter)
    response = client.post(reverse("partnership:submission-move", kwargs={"pk": submission.pk}), {"stage": "hm_review"})
    assert response.status_code == 303
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    return message


@pytest.mark.parametrize("act", [_submit, _move_to_review])
def test_a_hiring_manager_on_each_reminder_gets_an_email_with_a_one_click_link_now(client, world, act):
    manager = _hiring_manager(world, EACH)
    message = act(client, world)
    assert f"{manager.display_name} gets an email with a one-click link now." in message
    assert "digest" not in message


@pytest.mark.parametrize("act", [_submit, _move_to_review])
def test_a_hiring_manager_on_the_daily_digest_reads_it_at_their_own_digest_hour_their_time(client, world, act):
    manager = _hiring_manager(world, DIGEST, time_zone="Europe/Berlin")
    manager.digest_hour = 7  # chosen on their settings page (the operator's DIGEST_HOUR is 8)
    manager.save(update_fields=["digest_hour"])
    message = act(client, world)
    assert f"{manager.display_name} reads requests in a daily digest at 07:00 their time (Europe/Berlin)." in message
    assert "one-click link" not in message
    assert "by email" not in message


def test_in_their_quiet_hours_the_email_waits_for_their_morning(client, world):
    manager = _hiring_manager(world, EACH, time_zone="Asia/Tokyo")  # 00:00 on Tuesday in Tokyo
    message = _submit(client, world)
    assert (
        f"{manager.display_name} gets an email with a one-click link at 08:00 their time, after their quiet hours."
        in (message)
    )


def test_the_email_waits_for_the_end_of_their_own_quiet_hours(client, world):
    manager = _hiring_manager(world, EACH, time_zone="Asia/Tokyo")  # 00:00 on Tuesday in Tokyo
    manager.quiet_hours_start, manager.quiet_hours_end = 23, 6
    manager.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    message = _submit(client, world)
    assert f"{manager.display_name} gets an email with a one-click link at 06:00 their time" in message


def test_outside_their_own_quiet_hours_the_email_goes_now_even_at_night(client, world):
    manager = _hiring_manager(world, EACH, time_zone="Asia/Tokyo")  # 00:00 on Tuesday in Tokyo
    manager.quiet_hours_start, manager.quiet_hours_end = 2, 7
    manager.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    assert f"{manager.display_name} gets an email with a one-click link now." in _submit(client, world)
