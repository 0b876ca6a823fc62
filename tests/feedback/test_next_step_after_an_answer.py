"""What an answer sets going is decided once, by the service, and the answer page and the
recruiter's email say that same thing: an advance after an interview does not promise an
availability request that nobody opened."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from engagements.models import Interview, Submission
from engagements.services import interview_set_status
from feedback.models import AvailabilityRequest, Feedback, FeedbackRequest
from feedback.services import feedback_request_open, feedback_respond, interview_feedback_requests_open
from tests import factories

from .reminder_kit import backdate_assignments


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


def _resume_review(world, stage=Submission.Stage.HM_REVIEW) -> FeedbackRequest:
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=stage)
    return feedback_request_open(
        submission=submission, kind=FeedbackRequest.Kind.RESUME_REVIEW, requested_of=world.hiring_manager
    )


def _interview_assessment(world) -> FeedbackRequest:
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW)
    interview = factories.InterviewFactory(
        submission=submission,
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    interview.interviewers.set([world.hiring_manager])
    interview_set_status(actor=world.recruiter, interview=interview, status=Interview.Status.COMPLETED)
    (request,) = interview_feedback_requests_open(interview=interview)
    return request


def _answer(world, request, decision, django_capture_on_commit_callbacks) -> tuple[Feedback, str]:
    """Answer as the hiring manager; the recruiter's email text."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feedback = feedback_respond(actor=world.hiring_manager, feedback_request=request, decision=decision, rating=4)
    (email,) = [message for message in mail.outbox if world.recruiter.email in message.to]
    return feedback, email.body


def _answer_page(world, client, request) -> str:
    client.force_login(world.hiring_manager)
    return client.get(f"/feedback/{request.pk}/").content.decode()


def test_advancing_a_resume_asks_for_interview_availability_and_both_say_so(
    world, client, django_capture_on_commit_callbacks
):
    request = _resume_review(world)
    feedback, email = _answer(world, request, "advance", django_capture_on_commit_callbacks)

    assert feedback.next_step == Feedback.NextStep.AVAILABILITY
    assert AvailabilityRequest.objects.filter(submission=request.submission).count() == 1
    assert "an availability request has gone to" in email
    assert "ask for your interview availability" in _answer_page(world, client, request)


def test_advancing_after_an_interview_hands_over_to_the_recruiter_for_the_offer_and_opens_nothing(
    world, client, django_capture_on_commit_callbacks
):
    request = _interview_assessment(world)
    feedback, email = _answer(world, request, "advance", django_capture_on_commit_callbacks)

    assert feedback.next_step == Feedback.NextStep.OFFER
    assert not AvailabilityRequest.objects.filter(submission=request.submission).exists()
    assert "availability" not in email.lower()
    assert "towards an offer" in email
    page = _answer_page(world, client, request)
    assert "towards an offer" in page
    assert "availability" not in page.lower()


def test_advancing_a_resume_the_recruiter_already_moved_on_leaves_the_next_step_to_them(
    world, django_capture_on_commit_callbacks
):
    request = _resume_review(world)
    Submission.objects.filter(pk=request.submission_id).update(stage=Submission.Stage.INTERVIEW)
    feedback, email = _answer(world, request, "advance", django_capture_on_commit_callbacks)

    assert feedback.next_step == Feedback.NextStep.RECRUITER
    assert not AvailabilityRequest.objects.filter(submission=request.submission).exists()
    assert "the next step is yours to decide" in email


@pytest.mark.parametrize(
    ("decision", "next_step", "said"),
    [
        ("hold", Feedback.NextStep.HOLD, "on hold"),
        ("reject", Feedback.NextStep.CLOSED, "let the candidate know"),
    ],
)
def test_hold_and_reject_say_what_happens_next(world, django_capture_on_commit_callbacks, decision, next_step, said):
    request = _resume_review(world)
    feedback, email = _answer(world, request, decision, django_capture_on_commit_callbacks)

    assert feedback.next_step == next_step
    assert said in email
