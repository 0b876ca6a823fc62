"""Rows about a submission carry its engagement (``OfSubmission``), set by ``save`` when not given:
the scorecard and the overdue lists count by it, so a row filed under another engagement would move
a figure from one client's scorecard to another's."""

import pytest
from django.db import IntegrityError, transaction

from engagements.models import Interview, SubmissionStageChange
from feedback.models import AvailabilityRequest, FeedbackRequest
from feedback.services import availability_request_open, feedback_request_open
from tests.factories import EngagementFactory, RequisitionFactory, SubmissionFactory


@pytest.mark.django_db
def test_requests_interviews_and_stage_changes_are_filed_under_their_submissions_engagement():
    first, second = EngagementFactory(), EngagementFactory()
    for engagement in (first, second):
        submission = SubmissionFactory(requisition=RequisitionFactory(engagement=engagement))
        hiring_manager = submission.requisition.hiring_manager
        feedback_request_open(
            submission=submission, kind=FeedbackRequest.Kind.RESUME_REVIEW, requested_of=hiring_manager
        )
        asked = availability_request_open(submission=submission, requested_of=hiring_manager)
        Interview.objects.create(submission=submission, starts_at=asked.due_at, ends_at=asked.escalate_at)
        SubmissionStageChange.objects.create(submission=submission, from_stage="submitted", to_stage="hm_review")
    for model in (FeedbackRequest, AvailabilityRequest, Interview, SubmissionStageChange):
        rows = list(model.objects.select_related("submission__requisition"))
        assert {row.engagement_id for row in rows} == {first.pk, second.pk}, model.__name__
        assert all(row.engagement_id == row.submission.requisition.engagement_id for row in rows)


@pytest.mark.django_db
def test_a_row_bulk_written_without_its_engagement_is_refused():
    submission = SubmissionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionStageChange.objects.bulk_create([SubmissionStageChange(submission=submission, to_stage="submitted")])
