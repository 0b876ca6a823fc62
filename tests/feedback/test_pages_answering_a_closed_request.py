"""The pages answer a second answer with 409 and say why in the same words as the API
("This request is already answered."), for feedback and for availability."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.models import Submission
from engagements.services import submission_change_stage
from feedback.models import AvailabilityRequest, AvailabilitySlot, Feedback, FeedbackRequest
from feedback.services import availability_request_open
from tests import factories

ANSWER = {"decision": "advance", "rating": "5", "reasons": ["skills_match"], "comments": ""}


@pytest.fixture
def feedback_request(world) -> FeedbackRequest:
    submission = factories.SubmissionFactory(requisition=world.requisition)
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    return FeedbackRequest.objects.get(submission=submission)


@pytest.fixture
def availability_request(world) -> AvailabilityRequest:
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW)
    return availability_request_open(submission=submission, requested_of=world.hiring_manager)


def _slot_rows(days_ahead: int) -> dict:
    day = (timezone.localdate() + timedelta(days=days_ahead)).isoformat()
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "6",
        "form-0-date": day,
        "form-0-start": "10:00",
        "form-0-duration": "60",
    }


def test_answering_feedback_twice_on_the_page_is_409_with_the_apis_message(client, world, feedback_request):
    client.force_login(world.hiring_manager)
    url = reverse("feedback:feedback-respond", kwargs={"pk": feedback_request.pk})
    assert client.post(url, ANSWER).status_code == 303

    again = client.post(url, {**ANSWER, "decision": "reject"})

    assert again.status_code == 409
    assert "This request is already answered." in again.content.decode()
    assert Feedback.objects.get(request=feedback_request).decision == Feedback.Decision.ADVANCE


def test_answering_a_cancelled_request_on_the_page_is_409_with_the_apis_message(client, world, feedback_request):
    submission_change_stage(
        submission=feedback_request.submission,
        to_stage=Submission.Stage.WITHDRAWN,
        withdrawal_reason=Submission.WithdrawalReason.OTHER_OFFER,
        actor=world.recruiter,
    )
    client.force_login(world.hiring_manager)
    url = reverse("feedback:feedback-respond", kwargs={"pk": feedback_request.pk})

    response = client.post(url, ANSWER)

    assert response.status_code == 409
    assert "This request is already cancelled." in response.content.decode()
    assert not Feedback.objects.exists()


def test_looking_at_an_answered_request_says_nothing_about_a_conflict(client, world, feedback_request):
    client.force_login(world.hiring_manager)
    url = reverse("feedback:feedback-respond", kwargs={"pk": feedback_request.pk})
    client.post(url, ANSWER)
    client.get(url)  # the "Thank you!" once

    page = client.get(url)

    assert page.status_code == 200
    assert "This request is already answered." not in page.content.decode()


def test_offering_slots_twice_on_the_page_is_409_with_the_apis_message(client, world, availability_request):
    client.force_login(world.hiring_manager)
    url = reverse("feedback:availability-respond", kwargs={"pk": availability_request.pk})
    assert client.post(url, _slot_rows(3)).status_code == 303

    again = client.post(url, _slot_rows(4))

    assert again.status_code == 409
    assert "This request is already answered." in again.content.decode()
    assert AvailabilitySlot.objects.filter(request=availability_request).count() == 1
