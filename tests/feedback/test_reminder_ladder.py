"""The reminder ladder: due soon → overdue → escalated, each level recorded once and sent once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from engagements.models import Submission
from engagements.services import submission_change_stage
from feedback import reminders
from feedback.models import AvailabilityRequest, FeedbackRequest, LadderStep, Reminder, RequestStatus
from feedback.services import feedback_request_open, feedback_respond
from tests import factories

from .reminder_kit import NEW_YORK, at, backdate_assignments, chased_request, levels, outbox_to, sweep

REMIND = at(2026, 1, 14, 14, zone=NEW_YORK)  # Wednesday afternoon in New York
DUE = at(2026, 1, 15, 10, zone=NEW_YORK)
ESCALATE = at(2026, 1, 16, 14, zone=NEW_YORK)


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


def _request(world, model=FeedbackRequest):
    return chased_request(
        requisition=world.requisition, remind_at=REMIND, due_at=DUE, escalate_at=ESCALATE, model=model
    )


def test_ladder_goes_due_soon_then_overdue_then_escalated_each_sent_once(world):
    request = _request(world)

    with time_machine.travel(REMIND - timedelta(minutes=1), tick=False):
        sweep()
    assert levels(request) == {}
    assert mail.outbox == []

    with time_machine.travel(REMIND, tick=False):
        sweep()
        sweep()
    assert levels(request) == {"due_soon": "sent"}
    assert [message.to for message in mail.outbox] == [[world.hiring_manager.email]]
    request.ladder.refresh_from_db()
    assert (request.ladder.ladder_step, request.ladder.next_step_at) == (LadderStep.DUE_SOON, DUE)

    with time_machine.travel(DUE + timedelta(minutes=3), tick=False):
        sweep()
        sweep()
    assert levels(request) == {"due_soon": "sent", "overdue": "sent"}
    assert len(outbox_to(world.hiring_manager.email)) == 2

    with time_machine.travel(ESCALATE, tick=False):
        sweep()
        sweep()
    assert levels(request) == {"due_soon": "sent", "overdue": "sent", "escalation": "sent"}
    escalation = mail.outbox[-1]
    assert escalation.to == [world.client_admin.email]
    assert set(escalation.cc) == {world.account_manager.email, world.recruiter.email}
    assert world.hiring_manager.email not in escalation.to + escalation.cc

    with time_machine.travel(ESCALATE + timedelta(days=3), tick=False):
        sweep()
    assert len(mail.outbox) == 3
    request.ladder.refresh_from_db()
    assert (request.ladder.ladder_step, request.ladder.next_step_at) == (LadderStep.ESCALATED, None)
    assert Reminder.objects.filter(feedback_request=request).count() == 3


def test_a_request_first_swept_when_overdue_skips_the_stale_due_soon(world):
    request = _request(world)
    with time_machine.travel(DUE + timedelta(hours=1), tick=False):
        sweep()
    assert levels(request) == {"overdue": "sent"}
    assert len(mail.outbox) == 1
    assert "Still hoping for" in mail.outbox[0].subject


def test_a_request_first_swept_after_escalation_tells_the_hiring_manager_and_the_champion(world):
    request = _request(world)
    with time_machine.travel(ESCALATE + timedelta(hours=1), tick=False):
        sweep()
    assert levels(request) == {"overdue": "sent", "escalation": "sent"}
    assert {tuple(message.to) for message in mail.outbox} == {
        (world.hiring_manager.email,),
        (world.client_admin.email,),
    }


def test_availability_requests_climb_the_same_ladder(world):
    request = _request(world, model=AvailabilityRequest)
    with time_machine.travel(DUE, tick=False):
        sweep()
    assert levels(request) == {"overdue": "sent"}
    assert "interview availability" in mail.outbox[0].subject


def test_an_answered_request_stops_the_ladder(world, django_capture_on_commit_callbacks):
    request = _request(world)
    with time_machine.travel(REMIND, tick=False):
        sweep()
    with time_machine.travel(REMIND + timedelta(hours=1), tick=False), django_capture_on_commit_callbacks(execute=True):
        feedback_respond(feedback_request=request, actor=world.hiring_manager, decision="hold", rating=3)
    reminder_count = len(outbox_to(world.hiring_manager.email))
    with time_machine.travel(ESCALATE + timedelta(days=1), tick=False):
        sweep()
    assert levels(request) == {"due_soon": "sent"}
    assert len(outbox_to(world.hiring_manager.email)) == reminder_count == 1


def test_a_reminder_recorded_before_the_answer_is_never_sent(world, django_capture_on_commit_callbacks):
    request = _request(world)
    with time_machine.travel(DUE, tick=False):
        reminders.record_due_steps(now=DUE)  # recorded, not yet sent
    with time_machine.travel(DUE + timedelta(minutes=1), tick=False), django_capture_on_commit_callbacks(execute=True):
        feedback_respond(feedback_request=request, actor=world.hiring_manager, decision="advance", rating=5)
    mail.outbox.clear()
    with time_machine.travel(DUE + timedelta(minutes=2), tick=False):
        sweep()
    assert levels(request) == {"overdue": "skipped"}
    assert outbox_to(world.hiring_manager.email) == []


def test_a_request_closed_behind_the_engines_back_is_skipped_at_send_time(world):
    request = _request(world)
    with time_machine.travel(DUE, tick=False):
        reminders.record_due_steps(now=DUE)
        FeedbackRequest.objects.filter(pk=request.pk).update(status=RequestStatus.CANCELLED)
        sweep()
    assert levels(request)["overdue"] == "skipped"
    assert mail.outbox == []


def test_a_withdrawn_submission_stops_the_ladder(world, django_capture_on_commit_callbacks):
    request = _request(world)
    with time_machine.travel(REMIND, tick=False):
        sweep()
        submission_change_stage(
            submission=request.submission,
            to_stage=Submission.Stage.WITHDRAWN,
            withdrawal_reason=Submission.WithdrawalReason.OTHER_OFFER,
            actor=world.recruiter,
        )
    with time_machine.travel(ESCALATE + timedelta(days=1), tick=False):
        sweep()
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert levels(request) == {"due_soon": "sent"}


def test_changing_the_sla_affects_new_requests_only(world, django_capture_on_commit_callbacks):
    monday = at(2026, 1, 12, 10, zone=NEW_YORK)
    with time_machine.travel(monday, tick=False), django_capture_on_commit_callbacks(execute=True):
        first = feedback_request_open(
            submission=factories.SubmissionFactory(requisition=world.requisition, stage="hm_review"),
            kind=FeedbackRequest.Kind.RESUME_REVIEW,
            requested_of=world.hiring_manager,
        )
        world.acme_engagement.resume_feedback_due_hours = 8
        world.acme_engagement.save()
        second = feedback_request_open(
            submission=factories.SubmissionFactory(requisition=world.requisition, stage="hm_review"),
            kind=FeedbackRequest.Kind.RESUME_REVIEW,
            requested_of=world.hiring_manager,
        )
    assert first.due_at == at(2026, 1, 15, 10, zone=NEW_YORK)  # 24 business hours
    assert second.due_at == at(2026, 1, 13, 10, zone=NEW_YORK)  # 8 business hours
    assert levels(first) == levels(second) == {"requested": "sent"}

    with time_machine.travel(second.due_at, tick=False):
        sweep()
    assert levels(first) == {"requested": "sent"}
    assert levels(second) == {"requested": "sent", "overdue": "sent"}


def test_escalation_goes_to_the_escalation_contact_when_one_is_named(world):
    champion = factories.UserFactory(
        organization=world.acme, role=User.Role.CLIENT_ADMIN, email="champion@acme.example", full_name="Chris Champion"
    )
    world.acme_engagement.escalation_contact = champion
    world.acme_engagement.save()
    request = _request(world)
    with time_machine.travel(ESCALATE, tick=False):
        sweep()
    escalation = Reminder.objects.get(feedback_request=request, level="escalation")
    assert escalation.recipient == champion
    message = next(message for message in mail.outbox if "Could you help" in message.subject)
    assert message.to == [champion.email]
    assert world.client_admin.email not in message.to + message.cc


def test_without_a_contact_every_client_admin_hears_and_the_first_is_recorded(world):
    second_admin = factories.UserFactory(organization=world.acme, role=User.Role.CLIENT_ADMIN, email="cto@acme.example")
    request = _request(world)
    with time_machine.travel(ESCALATE, tick=False):
        sweep()
    assert Reminder.objects.get(feedback_request=request, level="escalation").recipient == world.client_admin
    message = next(message for message in mail.outbox if "Could you help" in message.subject)
    assert message.to == [world.client_admin.email, second_admin.email]


def test_without_anyone_on_the_client_side_the_account_team_hears(world):
    User.objects.filter(pk=world.client_admin.pk).update(is_active=False)
    request = _request(world)
    with time_machine.travel(ESCALATE, tick=False):
        sweep()
    assert levels(request)["escalation"] == "sent"
    message = next(message for message in mail.outbox if "Could you help" in message.subject)
    assert set(message.to) == {world.account_manager.email, world.recruiter.email}
    assert "No escalation contact is set" in message.body


def test_recording_takes_the_same_few_queries_for_3_or_60_due_requests(world):
    def record_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            reminders.record_due_steps(now=ESCALATE)
        return len([query for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]])

    for _ in range(3):
        _request(world)
    few = record_queries()
    for _ in range(60):
        _request(world)
    many = record_queries()
    # Per chased kind (4), the range of due ids; then the INSERT and the UPDATE for the feedback
    # requests (the availability requests, the issues and the implementation tasks have none due).
    assert few == many == 6
    assert Reminder.objects.count() == 63 * 2


def test_the_unique_constraint_is_the_guard_when_two_sweeps_read_the_same_due_set(world):
    """Both sweeps insert before either advances the ladder: the database keeps one row per level."""
    from feedback.reminders.sweep import _advance_ladders, _record_due_levels

    request = _request(world)
    ids = (request.pk, request.pk)
    assert _record_due_levels(FeedbackRequest, DUE, ids) == 1
    assert _record_due_levels(FeedbackRequest, DUE, ids) == 0
    assert _advance_ladders(FeedbackRequest, DUE, ids) == 1
    assert _advance_ladders(FeedbackRequest, DUE, ids) == 0
    assert levels(request) == {"overdue": "pending"}


def test_an_inactive_escalation_contact_hands_over_to_the_client_admins(world):
    champion = factories.UserFactory(
        organization=world.acme, role=User.Role.CLIENT_ADMIN, email="gone@acme.example", is_active=False
    )
    world.acme_engagement.escalation_contact = champion
    world.acme_engagement.save()
    request = _request(world)
    with time_machine.travel(ESCALATE, tick=False):
        sweep()
    assert Reminder.objects.get(feedback_request=request, level="escalation").recipient == world.client_admin
    message = next(message for message in mail.outbox if "Could you help" in message.subject)
    assert message.to == [world.client_admin.email]
