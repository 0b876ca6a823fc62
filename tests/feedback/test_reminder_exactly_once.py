"""No reminder sent twice, none lost: concurrent sweeps, failing sends, a dead broker, a dead worker."""

import smtplib
import threading
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from kombu.exceptions import OperationalError

from engagements.models import Submission
from feedback import reminders
from feedback.models import FeedbackRequest, Reminder
from feedback.services import feedback_request_open
from feedback.tasks import send_reminder
from rpo_portal.celery import app as celery_app
from tests import factories

from .reminder_kit import NEW_YORK, FlakySMTPBackend, at, backdate_assignments, chased_request, levels, sweep

DUE = at(2026, 1, 14, 11, zone=NEW_YORK)


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.feedback.reminder_kit.FlakySMTPBackend"
    # Eager tasks re-raise a Retry when they propagate errors; a worker would run the retry, and
    # so does Celery's eager mode when it does not propagate.
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    FlakySMTPBackend.failures = FlakySMTPBackend.calls = 0
    yield FlakySMTPBackend
    FlakySMTPBackend.failures = FlakySMTPBackend.calls = 0
    celery_app.conf.task_eager_propagates = propagates


def _overdue(world):
    return chased_request(requisition=world.requisition, remind_at=DUE - timedelta(hours=4), due_at=DUE)


def test_a_send_failing_twice_is_retried_and_then_sent_once(world, flaky_smtp):
    request = _overdue(world)
    flaky_smtp.failures = 2
    with time_machine.travel(DUE, tick=False):
        sweep()
        sweep()
    reminder = Reminder.objects.get(feedback_request=request, level="overdue")
    assert reminder.status == Reminder.Status.SENT
    assert reminder.attempts == 3
    assert flaky_smtp.calls == 3
    assert len(mail.outbox) == 1


def test_a_send_that_keeps_failing_goes_back_to_the_sweep_and_is_sent_later_once(world, flaky_smtp):
    request = _overdue(world)
    flaky_smtp.failures = 100
    with time_machine.travel(DUE, tick=False):
        sweep()
    reminder = Reminder.objects.get(feedback_request=request, level="overdue")
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == flaky_smtp.calls == 6  # the first try and five retries
    assert reminder.send_after == DUE + timedelta(hours=1)
    assert "SMTPServerDisconnected" in reminder.last_error
    assert mail.outbox == []

    flaky_smtp.failures = 0
    with time_machine.travel(DUE + timedelta(minutes=59), tick=False):
        sweep()
    assert mail.outbox == []
    with time_machine.travel(DUE + timedelta(hours=1), tick=False):
        sweep()
        sweep()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, len(mail.outbox)) == (Reminder.Status.SENT, 7, 1)


def test_a_permanent_error_is_not_retried_in_a_loop(world, settings):
    request = _overdue(world)
    refused = smtplib.SMTPRecipientsRefused({"hm@acme.example": (550, b"No such user")})
    with mock.patch("rpo_portal.delivery.get_connection") as connection_factory:
        connection_factory.return_value.send_messages.side_effect = refused
        for minutes in (0, 30, 60, 90):
            with time_machine.travel(DUE + timedelta(minutes=minutes), tick=False):
                sweep()
    reminder = Reminder.objects.get(feedback_request=request, level="overdue")
    assert (reminder.status, reminder.attempts) == (Reminder.Status.FAILED, 3)
    assert "SMTPRecipientsRefused" in reminder.last_error


def test_a_row_published_twice_is_sent_by_one_task(world):
    request = _overdue(world)
    with time_machine.travel(DUE, tick=False):
        reminders.record_due_steps(now=DUE)
        reminder = Reminder.objects.get(feedback_request=request, level="overdue")
        assert send_reminder.delay(reminder.pk).get() == "sent"
        assert send_reminder.delay(reminder.pk).get() == "not_claimed"
    assert len(mail.outbox) == 1


def test_a_redelivered_message_cannot_take_a_row_held_for_a_retry(world):
    request = _overdue(world)
    with time_machine.travel(DUE, tick=False):
        reminders.record_due_steps(now=DUE)
        reminder = Reminder.objects.get(feedback_request=request, level="overdue")
        held_until = DUE + timedelta(seconds=40)
        Reminder.objects.filter(pk=reminder.pk).update(status="sending", claimed_at=held_until)
        assert send_reminder.delay(reminder.pk).get() == "not_claimed"
        assert send_reminder.delay(reminder.pk, claim=(held_until - timedelta(seconds=1)).isoformat()).get() == (
            "not_claimed"
        )
        assert send_reminder.delay(reminder.pk, claim=held_until.isoformat()).get() == "sent"
    assert len(mail.outbox) == 1


def test_a_send_abandoned_by_a_dead_worker_is_sent_again_after_the_lease(world):
    request = _overdue(world)
    with time_machine.travel(DUE, tick=False):
        reminders.record_due_steps(now=DUE)
        # A worker claimed the row and was killed before sending.
        Reminder.objects.filter(feedback_request=request, level="overdue").update(status="sending", claimed_at=DUE)
    with time_machine.travel(DUE + reminders.SENDING_LEASE - timedelta(seconds=1), tick=False):
        sweep()
    assert mail.outbox == []
    with time_machine.travel(DUE + reminders.SENDING_LEASE + timedelta(seconds=1), tick=False):
        sweep()
        sweep()
    assert levels(request)["overdue"] == "sent"
    assert len(mail.outbox) == 1


def test_with_the_broker_down_the_request_still_opens_and_the_next_sweep_sends_it(
    world, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(DUE, tick=False),
        mock.patch.object(send_reminder, "apply_async", side_effect=OperationalError("Error 111 connecting")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request = feedback_request_open(
            submission=factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.HM_REVIEW),
            kind=FeedbackRequest.Kind.RESUME_REVIEW,
            requested_of=world.hiring_manager,
        )
        sweep()  # the broker is still down: nothing is lost, nothing is marked dispatched
    assert FeedbackRequest.objects.filter(pk=request.pk, status="open").exists()
    assert levels(request) == {"requested": "pending"}
    assert Reminder.objects.get(feedback_request=request).dispatched_at is None
    assert mail.outbox == []

    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        sweep()
        sweep()
    assert levels(request) == {"requested": "sent"}
    assert len(mail.outbox) == 1


def test_a_backlog_is_published_in_bounded_batches_oldest_first_and_not_republished_at_once(world):
    for _ in range(5):
        _overdue(world)
    published: list[list[int]] = []
    with time_machine.travel(DUE, tick=False):
        reminders.record_due_steps(now=DUE)
        for minute in range(4):
            batch: list[int] = []
            now = DUE + timedelta(minutes=minute)
            reminders.dispatch_pending(now=now, publish=lambda pk, batch=batch: batch.append(pk) or True, limit=2)
            published.append(batch)
    pending = list(Reminder.objects.filter(status="pending").order_by("send_after", "id").values_list("id", flat=True))
    assert len(pending) == 5
    assert published == [pending[0:2], pending[2:4], pending[4:5], []]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_and_send_each_level_once(world):
    due_soon = [
        chased_request(requisition=world.requisition, remind_at=DUE, due_at=DUE + timedelta(hours=3)) for _ in range(10)
    ]
    overdue = [_overdue(world) for _ in range(10)]
    escalated = [
        chased_request(
            requisition=world.requisition,
            remind_at=DUE - timedelta(days=2),
            due_at=DUE - timedelta(days=1),
            escalate_at=DUE,
        )
        for _ in range(10)
    ]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def one_sweep():
        try:
            start.wait(timeout=10)
            sweep()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        threads = [threading.Thread(target=one_sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []

    assert all(levels(request) == {"due_soon": "sent"} for request in due_soon)
    assert all(levels(request) == {"overdue": "sent"} for request in overdue)
    assert all(levels(request) == {"overdue": "sent", "escalation": "sent"} for request in escalated)
    assert Reminder.objects.count() == 10 + 10 + 20  # no row for a stale "due soon": every row is sent
    assert Reminder.objects.filter(status="sent").count() == 10 + 10 + 20
    assert len(mail.outbox) == 40
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == 40
