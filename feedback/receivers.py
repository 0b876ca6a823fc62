"""The feedback app's reactions to engagement events: one receiver per event."""

from django.dispatch import receiver

from engagements.models import Interview, Submission
from engagements.signals import candidate_erased, interview_status_changed, submission_stage_changed

from .models import FeedbackRequest
from .services import (
    feedback_erase_for_candidates,
    feedback_request_open,
    interview_feedback_requests_open,
    requests_cancel_for_submission,
)


@receiver(submission_stage_changed, dispatch_uid="feedback.on_submission_stage_changed")
def on_submission_stage_changed(sender, *, submission, from_stage, to_stage, changed_by, **kwargs):
    if to_stage == Submission.Stage.HM_REVIEW:
        feedback_request_open(
            submission=submission,
            kind=FeedbackRequest.Kind.RESUME_REVIEW,
            requested_of=submission.requisition.hiring_manager,
            at=submission.stage_changed_at,
        )
    elif to_stage in Submission.CLOSED_STAGES:
        requests_cancel_for_submission(submission=submission, at=submission.stage_changed_at)


@receiver(interview_status_changed, dispatch_uid="feedback.on_interview_status_changed")
def on_interview_status_changed(sender, *, interview, from_status, to_status, changed_by, **kwargs):
    if to_status == Interview.Status.COMPLETED:
        interview_feedback_requests_open(interview=interview, at=interview.completed_at)


@receiver(candidate_erased, dispatch_uid="feedback.on_candidate_erased")
def on_candidate_erased(sender, *, candidate_ids, erased_by, **kwargs):
    feedback_erase_for_candidates(candidate_ids=candidate_ids)
