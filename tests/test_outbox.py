"""The email outbox (issue 13): every email that is not a reminder or a digest is recorded, then
sent by the worker, exactly once, whatever happens to the mail server, the broker or the worker."""

import time
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.emails import INVITATION, PASSWORD_RESET
from accounts.services import user_invite
from engagements.models import Submission
from engagements.services import submission_change_stage
from feedback.models import Feedback, FeedbackRequest
from feedback.reminders.notices import FEEDBACK_RECEIVED
from rpo_portal import outbox
from rpo_portal.delivery import SENDING_LEASE
from rpo_portal.models import OutboundEmail
from rpo_portal.tasks import send_outbound_email, sweep_outbox
from tests import factories
from tests.feedback.test_reminder_worker import _wait_for as wait_for
from tests.feedback.test_reminder_worker import real_worker  # noqa: F401  (the fixture)
from tests.outbox_kit import (
    RejectingSMTPBackend,
    emails,
    retries_run_inline,
    smtp_refusing_connections,
    sweep,
)


def _invite(world, email="nora@acme.example"):
    return user_invite(actor=world.client_admin, full_name="Nora Newhire", email=email, time_zone="Europe/London")


@pytest.mark.django_db(transaction=True)  # commits for real, as in production: sends are handed over at commit
def test_an_smtp_outage_loses_no_email_and_sends_none_twice(world):
    """SMTP refuses connections while a client admin invites, someone asks for a password reset
    and a hiring manager answers (which tells the recruiter); then SMTP is back and the sweep runs:
    every email arrives once."""
    submission = factories.SubmissionFactory(requisition=world.requisition, candidate__full_name="Grace Hopper")
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    feedback_request = FeedbackRequest.objects.get(submission=submission)
    mail.outbox.clear()  # the request itself reached the hiring manager before the outage

    admin, visitor, manager = Client(), Client(), Client()
    admin.force_login(world.client_admin)
    manager.force_login(world.hiring_manager)
    with smtp_refusing_connections(), retries_run_inline():
        invited = admin.post(
            reverse("accounts:team-invite"),
            {"full_name": "Nora Newhire", "email": "nora@acme.example", "time_zone": "Europe/London"},
        )
        reset = visitor.post(reverse("password_reset"), {"email": world.other_hiring_manager.email})
        answered = manager.post(
            reverse("feedback:feedback-respond", kwargs={"pk": feedback_request.pk}),
            {"decision": "reject", "rating": "2", "reasons": ["skills_gap"], "comments": "Not this time."},
        )
    assert (invited.status_code, reset.status_code) == (303, 302)
    assert answered.status_code < 500  # the answer page (or its redirect)
    assert Feedback.objects.filter(request=feedback_request, decision="reject").exists()
    assert mail.outbox == []
    waiting = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    assert sorted(waiting.values_list("kind", flat=True)) == sorted([INVITATION, PASSWORD_RESET, FEEDBACK_RECEIVED])
    assert all("ConnectionRefusedError" in error for error in waiting.values_list("last_error", flat=True))

    # SMTP is back (locmem). Sweeps before the retry time send nothing yet; then each email once.
    sweep()
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        for _ in range(3):
            sweep()
    received = sorted((message.to[0], message.subject) for message in mail.outbox)
    assert [to for to, _ in received] == sorted(
        ["nora@acme.example", world.other_hiring_manager.email, world.recruiter.email]
    )
    assert any("Grace Hopper" in subject for _, subject in received)
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}


def test_with_the_broker_down_at_commit_the_invitation_waits_for_the_sweep(world, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(send_outbound_email, "apply_async", side_effect=OperationalError("Error 111 connecting")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _invite(world)
        sweep()  # the broker is still down: nothing is lost, nothing is marked dispatched
    assert emails() == [(INVITATION, "pending")]
    assert OutboundEmail.objects.get().dispatched_at is None
    assert mail.outbox == []

    sweep()
    sweep()
    assert emails() == [(INVITATION, "sent")]
    assert [message.to for message in mail.outbox] == [["nora@acme.example"]]


def test_a_send_abandoned_by_a_dead_worker_is_sent_again_after_the_lease(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _invite(world)
    now = timezone.now()
    # A worker claimed the row and was killed before sending.
    OutboundEmail.objects.update(status="sending", claimed_at=now, send_after=now + SENDING_LEASE)
    with time_machine.travel(now + SENDING_LEASE - timedelta(seconds=1)):
        sweep()
        assert send_outbound_email.delay(OutboundEmail.objects.get().pk).result == "not_claimed"
    assert mail.outbox == []
    with time_machine.travel(now + SENDING_LEASE + timedelta(seconds=1)):
        sweep()
        sweep()
    assert emails() == [(INVITATION, "sent")]
    assert len(mail.outbox) == 1


def test_a_row_published_twice_is_sent_by_one_task(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world)
    email = OutboundEmail.objects.get()
    assert send_outbound_email.delay(email.pk).result == "not_claimed"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.address) == ("sent", 1, "nora@acme.example")
    assert email.message_id == mail.outbox[0].extra_headers["Message-ID"]


def test_a_message_the_server_rejects_is_tried_three_times_then_marked_failed(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.outbox_kit.RejectingSMTPBackend"
    RejectingSMTPBackend.calls = 0
    start = timezone.now()
    with time_machine.travel(start), django_capture_on_commit_callbacks(execute=True):
        _invite(world)
    assert emails() == [(INVITATION, "pending")]
    for minutes in (31, 62, 93, 124):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            sweep()
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts, RejectingSMTPBackend.calls) == ("failed", 3, 3)
    assert "SMTPDataError" in email.last_error
    assert mail.outbox == []


def test_the_idle_sweep_is_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert outbox.outbox_sweep(now=timezone.now(), publish=lambda email_id: True).dispatched == 0


def test_a_key_is_recorded_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.outbox_enqueue(kind=PASSWORD_RESET, key="same", payload={"user_id": world.recruiter.pk})
        second = outbox.outbox_enqueue(kind=PASSWORD_RESET, key="same", payload={"user_id": world.recruiter.pk})
    assert first is not None
    assert second is None
    assert len(mail.outbox) == 1


def test_a_kind_without_a_builder_is_refused_when_recorded(db):
    with pytest.raises(ValueError, match="No email builder"):
        outbox.outbox_enqueue(kind="nobody.builds_this", key="k", payload={})


def test_the_admin_lists_the_outbox(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world)
    world.provider_admin.is_staff = world.provider_admin.is_superuser = True
    world.provider_admin.save()
    client.force_login(world.provider_admin)
    page = client.get(reverse("admin:rpo_portal_outboundemail_changelist")).content.decode()
    assert "nora@acme.example" in page
    assert client.get(reverse("admin:rpo_portal_outboundemail_add")).status_code == 403


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("real_worker")
def test_a_real_worker_sends_an_invitation_recorded_by_a_request_exactly_once(client, world):
    client.force_login(world.client_admin)
    response = client.post(
        reverse("accounts:team-invite"),
        {"full_name": "Nora Newhire", "email": "nora@acme.example", "time_zone": "Europe/London"},
    )
    assert response.status_code == 303
    assert wait_for(lambda: emails() == [(INVITATION, "sent")])
    sweep_outbox.delay()  # through Redis too: finds nothing left to send
    time.sleep(1.5)
    assert [message.to for message in mail.outbox] == [["nora@acme.example"]]
