"""The emails: both parts, the one-click link, the recipient's own times, a polite tone, the .ics."""

from datetime import timedelta

import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import resolve

from engagements.models import Submission
from feedback.links import read_token
from feedback.models import AvailabilityRequest, FeedbackRequest, RequestStatus
from feedback.reminders.notices import interview_invitations_key
from feedback.services import availability_book, availability_offer_slots, feedback_request_open, feedback_respond
from rpo_portal.models import OutboundEmail
from rpo_portal.tasks import send_outbound_email
from tests import factories

from .reminder_kit import NEW_YORK, at, backdate_assignments, chased_request, outbox_to, sweep

MONDAY = at(2026, 1, 12, 10, zone=NEW_YORK)


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


def _links(text: str) -> list[str]:
    return [word.strip('"<>') for word in text.replace('href="', " ").split() if "/r/" in word]


def _open_request(world, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        return feedback_request_open(
            submission=factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.HM_REVIEW),
            kind=FeedbackRequest.Kind.RESUME_REVIEW,
            requested_of=world.hiring_manager,
        )


def test_the_request_email_has_both_parts_the_link_and_the_recipients_local_due_time(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_REPLY_TO = ["talent-team@tb.example"]
    world.hiring_manager.time_zone = "Europe/Berlin"
    world.hiring_manager.save()
    request = _open_request(world, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.reply_to == ["talent-team@tb.example"]
    assert message.to == [world.hiring_manager.email]
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    # Due Thursday 10:00 in New York (the engagement's zone) is 16:00 in Berlin: the email speaks Berlin time.
    assert request.due_at == at(2026, 1, 15, 10, zone=NEW_YORK)
    assert "Thu 15 Jan 2026, 16:00 CET" in message.body
    assert "Thu 15 Jan 2026, 16:00 CET" in html
    assert "Thu 15 Jan 2026, 16:00 CET" in message.subject
    [text_link] = _links(message.body)
    assert text_link in html
    assert text_link.startswith("https://portal.example.com/r/")
    token = resolve(text_link.removeprefix("https://portal.example.com")).kwargs["token"]
    with time_machine.travel(MONDAY, tick=False):
        target = read_token(token)
    assert (target.kind, target.request_id, target.user_id) == ("feedback", request.pk, world.hiring_manager.pk)
    assert request.submission.candidate.full_name in message.subject


def test_every_reminder_carries_the_one_click_link(world):
    request = chased_request(requisition=world.requisition, remind_at=MONDAY, due_at=MONDAY + timedelta(hours=4))
    with time_machine.travel(MONDAY, tick=False):
        sweep()
    with time_machine.travel(MONDAY + timedelta(hours=4), tick=False):
        sweep()
    due_soon, overdue = mail.outbox
    assert due_soon.subject.startswith("A friendly reminder")
    assert overdue.subject.startswith("Still hoping for")
    for message in (due_soon, overdue):
        [link] = _links(message.body)
        assert link in message.alternatives[0].content
        assert message.extra_headers["Message-ID"].endswith("@portal.example.com>")
    assert "Mon 12 Jan 2026, 14:00 EST" in overdue.body
    assert request.submission.candidate.full_name in overdue.body


def test_an_escalation_asks_for_help_without_blame_and_without_the_hiring_managers_own_link(world):
    request = chased_request(
        requisition=world.requisition,
        remind_at=MONDAY - timedelta(days=3),
        due_at=MONDAY - timedelta(days=2),
        escalate_at=MONDAY,
    )
    with time_machine.travel(MONDAY, tick=False):
        sweep()
    [message] = outbox_to(world.client_admin.email)
    assert message.subject.startswith("Could you help?")
    assert "Could you help find a way to get this moving?" in message.body
    for word in ("fail", "blame", "late again", "unacceptable"):
        assert word not in message.body.lower()
    # The one-click link answers as the hiring manager; the champion gets the portal page instead.
    assert _links(message.body) == []
    assert f"https://portal.example.com/feedback/{request.pk}/" in message.body
    assert f"https://portal.example.com/feedback/{request.pk}/" in message.alternatives[0].content


def test_the_interview_invitation_reaches_both_sides_with_an_ics_that_parses(world, django_capture_on_commit_callbacks):
    world.hiring_manager.time_zone = "Europe/London"
    world.hiring_manager.save()
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW)
    availability = chased_request(
        requisition=world.requisition, remind_at=MONDAY + timedelta(days=1), model=AvailabilityRequest
    )
    AvailabilityRequest.objects.filter(pk=availability.pk).update(submission=submission)
    availability.refresh_from_db()
    start = at(2026, 1, 20, 15, zone=NEW_YORK)
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        [slot] = availability_offer_slots(
            availability_request=availability,
            actor=world.hiring_manager,
            slots=[(start, start + timedelta(hours=1))],
        )
        interview = availability_book(slot=slot, actor=world.recruiter, location="Video call")
    availability.refresh_from_db()
    assert availability.status == RequestStatus.ANSWERED
    invitations = OutboundEmail.objects.get(key=interview_invitations_key(interview.pk))
    assert (invitations.status, invitations.sent_at) == ("sent", MONDAY)

    to_manager = outbox_to(world.hiring_manager.email)
    to_recruiter = outbox_to(world.recruiter.email)
    assert len(to_manager) == len(to_recruiter) == 1
    assert "Tue 20 Jan 2026, 20:00 GMT" in to_manager[0].body
    assert "Tue 20 Jan 2026, 15:00 EST" in to_recruiter[0].body
    calendars = []
    for message in (*to_manager, *to_recruiter):
        assert message.alternatives[0].mimetype == "text/html"
        [(filename, content, mimetype)] = message.attachments
        assert (filename, mimetype) == ("invitation.ics", "text/calendar")
        calendars.append(content)
    assert calendars[0] == calendars[1]
    calendar = icalendar.Calendar.from_ical(calendars[0])
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.events
    assert str(event["UID"]) == f"interview-{interview.pk}@portal.example.com"
    assert event.start == start
    assert event.start.utcoffset() == timedelta(0)
    assert event.end == start + timedelta(hours=1)
    assert str(event["LOCATION"]) == "Video call"
    assert str(event["ORGANIZER"]) == "mailto:portal@localhost"
    attendees = {str(address) for address in event["ATTENDEE"]}
    assert attendees == {f"mailto:{world.hiring_manager.email}", f"mailto:{world.recruiter.email}"}

    # Sent once: a second run finds the invitations already claimed.
    assert send_outbound_email.delay(invitations.pk).get() == "not_claimed"
    assert len(mail.outbox) == 2


def test_the_recruiters_feedback_email_has_both_parts(world, django_capture_on_commit_callbacks):
    request = chased_request(requisition=world.requisition, remind_at=MONDAY + timedelta(days=1))
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        feedback_respond(
            feedback_request=request,
            actor=world.hiring_manager,
            decision="advance",
            rating=5,
            reasons=["culture_add"],
        )
    [message] = outbox_to(world.recruiter.email)
    assert "Advance" in message.subject
    assert "Would add to the team" in message.body
    assert "Would add to the team" in message.alternatives[0].content
    assert "Mon 12 Jan 2026, 10:00 EST" in message.body
