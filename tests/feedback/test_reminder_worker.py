"""A real Celery worker on the real Redis broker: an overdue request becomes exactly one email."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from celery.signals import task_postrun
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import User
from feedback.models import Reminder
from feedback.tasks import sweep_reminders
from rpo_portal.celery import app as celery_app

from .reminder_kit import FlakySMTPBackend, backdate_assignments, chased_request, levels

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _close_connection(**kwargs):
    connection.close()  # the worker thread's own connection, after each task


@pytest.fixture
def real_worker(settings):
    # Reminders may go out at any hour in this test: the clock is the real one. Quiet hours are
    # each person's own (new accounts take the settings), so the people already made lose theirs too.
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = 0
    User.objects.update(quiet_hours_start=0, quiet_hours_end=0)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    task_postrun.connect(_close_connection, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
            yield
    finally:
        task_postrun.disconnect(_close_connection)
        celery_app.conf.task_always_eager = eager


def _wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _overdue_request(world):
    backdate_assignments()
    now = timezone.now()
    return chased_request(
        requisition=world.requisition,
        remind_at=now - timedelta(hours=5),
        due_at=now - timedelta(minutes=1),
        escalate_at=now + timedelta(days=2),
    )


def test_a_real_worker_turns_an_overdue_request_into_exactly_one_email(world, real_worker):
    request = _overdue_request(world)

    published = sweep_reminders.delay()
    assert not isinstance(published, EagerResult)  # it went through Redis to the worker
    assert celery_app.conf.broker_url.startswith("redis://")
    assert _wait_for(lambda: levels(request).get("overdue") == "sent")
    sweep_reminders.delay()
    sweep_reminders.delay()
    time.sleep(1.5)  # the extra sweeps have run (solo pool: one task at a time, in order)

    assert levels(request) == {"overdue": "sent"}
    assert [message.to for message in mail.outbox] == [[world.hiring_manager.email]]
    assert mail.outbox[0].subject.startswith("Still hoping for")


def test_a_real_worker_retries_a_flaky_mail_server_and_sends_once(world, real_worker, settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.feedback.reminder_kit.FlakySMTPBackend"
    monkeypatch.setattr("rpo_portal.tasks.RETRY_BACKOFF", 1)
    FlakySMTPBackend.failures, FlakySMTPBackend.calls = 2, 0
    request = _overdue_request(world)

    sweep_reminders.delay()
    assert _wait_for(lambda: levels(request).get("overdue") == "sent")
    reminder = Reminder.objects.get(feedback_request=request, level="overdue")
    assert (reminder.attempts, FlakySMTPBackend.calls, len(mail.outbox)) == (3, 3, 1)
