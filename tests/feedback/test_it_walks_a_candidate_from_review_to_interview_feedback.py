from datetime import timedelta

from django.utils import timezone

from engagements.models import Submission
from engagements.services import interview_set_status, submission_change_stage
from feedback.models import AvailabilityRequest, Feedback, FeedbackRequest, Reminder, RequestStatus
from feedback.services import availability_book, availability_offer_slots, feedback_respond
from tests import factories


def test_submission_to_interview_feedback_end_to_end(world):
    submission = factories.SubmissionFactory(requisition=world.requisition)
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    request = FeedbackRequest.objects.get(submission=submission)
    assert request.requested_of == world.hiring_manager
    assert request.remind_at <= request.due_at <= request.escalate_at
    assert Reminder.objects.filter(feedback_request=request, level="requested").count() == 1

    feedback_respond(
        feedback_request=request, actor=world.hiring_manager, decision="advance", rating=4, reasons=["skills_match"]
    )
    submission.refresh_from_db()
    assert submission.stage == Submission.Stage.INTERVIEW
    assert Feedback.objects.get(request=request).rating == 4
    availability = AvailabilityRequest.objects.get(submission=submission)
    start = timezone.now() + timedelta(days=3)
    slots = availability_offer_slots(
        availability_request=availability, actor=world.hiring_manager, slots=[(start, start + timedelta(hours=1))]
    )
    interview = availability_book(slot=slots[0], actor=world.recruiter)
    availability.refresh_from_db()
    assert availability.booked_interview == interview
    interview.starts_at = timezone.now() - timedelta(hours=2)
    interview.ends_at = timezone.now() - timedelta(hours=1)
    interview.save()
    interview_set_status(interview=interview, status="completed", actor=world.recruiter)
    post = FeedbackRequest.objects.get(interview=interview)
    assert post.kind == FeedbackRequest.Kind.INTERVIEW
    assert post.status == RequestStatus.OPEN
    submission_change_stage(
        submission=submission,
        to_stage=Submission.Stage.WITHDRAWN,
        withdrawal_reason=Submission.WithdrawalReason.OTHER_OFFER,
        actor=world.recruiter,
    )
    post.refresh_from_db()
    assert post.status == RequestStatus.CANCELLED
