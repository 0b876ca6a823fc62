"""While the primary recruiter is out of office, their backup hears what they would have."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import OutOfOffice
from feedback.reminders.notices import feedback_received_key
from feedback.services import feedback_respond
from rpo_portal.models import OutboundEmail
from rpo_portal.tasks import send_outbound_email
from tests.outbox_kit import sweep as outbox_sweep

from .reminder_kit import NEW_YORK, at, backdate_assignments, chased_request, outbox_to, sweep

MONDAY = at(2026, 1, 12, 9, zone=NEW_YORK)


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


@pytest.fixture
def away(world):
    """Rita (primary on ACME-1) is away all week; Ivan covers."""
    return OutOfOffice.objects.create(
        user=world.recruiter, backup=world.idle_recruiter, starts_at=MONDAY, ends_at=MONDAY + timedelta(days=5)
    )


def test_the_backup_is_told_about_feedback_while_the_primary_is_away(world, away, django_capture_on_commit_callbacks):
    request = chased_request(requisition=world.requisition, remind_at=MONDAY + timedelta(days=1))
    with time_machine.travel(MONDAY + timedelta(hours=3), tick=False), django_capture_on_commit_callbacks(execute=True):
        feedback = feedback_respond(
            feedback_request=request,
            actor=world.hiring_manager,
            decision="reject",
            rating=2,
            reasons=["skills_gap"],
            comments="Strong on paper, but we need deeper Kubernetes experience.",
        )
    assert outbox_to(world.recruiter.email) == []
    [message] = outbox_to(world.idle_recruiter.email)
    assert "You're covering for Rita while they're out of office." in message.body
    assert "Missing key skills" in message.body
    assert "deeper Kubernetes experience" in message.alternatives[0].content
    told = OutboundEmail.objects.get(key=feedback_received_key(feedback.pk))
    assert (told.status, told.sent_at) == ("sent", MONDAY + timedelta(hours=3))
    assert told.address == world.idle_recruiter.email


def test_the_primary_is_told_when_in_the_office(world, django_capture_on_commit_callbacks):
    request = chased_request(requisition=world.requisition, remind_at=MONDAY + timedelta(days=1))
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        feedback_respond(feedback_request=request, actor=world.hiring_manager, decision="hold", rating=3)
    [message] = mail.outbox
    assert message.to == [world.recruiter.email]
    assert "covering" not in message.body


def test_the_backup_is_copied_on_an_escalation_instead_of_the_primary(world, away):
    chased_request(
        requisition=world.requisition,
        remind_at=MONDAY - timedelta(days=3),
        due_at=MONDAY - timedelta(days=2),
        escalate_at=MONDAY + timedelta(hours=2),
    )
    with time_machine.travel(MONDAY + timedelta(hours=2), tick=False):
        sweep()
    [escalation] = [message for message in mail.outbox if message.subject.startswith("Could you help?")]
    assert world.idle_recruiter.email in escalation.cc
    assert world.recruiter.email not in escalation.cc + escalation.to


def test_the_recruiter_is_told_once_however_often_the_task_runs(world, django_capture_on_commit_callbacks):
    request = chased_request(requisition=world.requisition, remind_at=MONDAY + timedelta(days=1))
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        feedback = feedback_respond(feedback_request=request, actor=world.hiring_manager, decision="hold", rating=3)
    told = OutboundEmail.objects.get(key=feedback_received_key(feedback.pk))
    assert send_outbound_email.delay(told.pk).get() == "not_claimed"
    outbox_sweep()
    assert len(mail.outbox) == 1


def test_feedback_whose_notice_was_not_sent_at_commit_is_sent_by_the_sweep(world, django_capture_on_commit_callbacks):
    request = chased_request(requisition=world.requisition, remind_at=MONDAY + timedelta(days=1))
    # Committed without its task running, as when the broker was down at commit.
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks(execute=False):
        feedback_respond(feedback_request=request, actor=world.hiring_manager, decision="advance", rating=4)
    assert mail.outbox == []
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        outbox_sweep()
        outbox_sweep()
    assert [message.to for message in mail.outbox] == [[world.recruiter.email]]
