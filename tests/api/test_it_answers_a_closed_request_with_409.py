"""Answering a request that is already answered or cancelled is a conflict with its state: 409,
with the same message as the pages ("This request is already answered."), and nothing changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagements.models import Interview, Submission
from engagements.services import submission_change_stage
from feedback.models import AvailabilityRequest, AvailabilitySlot, Feedback, FeedbackRequest, RequestStatus
from feedback.services import availability_offer_slots, availability_request_open, request_closed_message

from .. import factories

ANSWER = {"decision": "hold", "rating": 3}


def _slots(hours_ahead: int = 48) -> dict:
    start = timezone.now().replace(microsecond=0) + timedelta(hours=hours_ahead)
    return {"slots": [{"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()}]}


@pytest.fixture
def feedback_request(world) -> FeedbackRequest:
    submission = factories.SubmissionFactory(requisition=world.requisition)
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    return FeedbackRequest.objects.get(submission=submission)


@pytest.fixture
def availability_request(world) -> AvailabilityRequest:
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW)
    return availability_request_open(submission=submission, requested_of=world.hiring_manager)


def test_answering_feedback_twice_is_409_and_keeps_the_first_answer(world, client_for, feedback_request):
    client = client_for(world.hiring_manager)
    url = f"/api/v1/feedback-requests/{feedback_request.pk}/respond/"
    assert client.post(url, ANSWER, format="json").status_code == 201

    response = client.post(url, {"decision": "reject", "rating": 1}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "This request is already answered."}
    assert Feedback.objects.get(request=feedback_request).decision == Feedback.Decision.HOLD


def test_answering_a_cancelled_feedback_request_is_409(world, client_for, feedback_request):
    submission_change_stage(
        submission=feedback_request.submission,
        to_stage=Submission.Stage.WITHDRAWN,
        withdrawal_reason=Submission.WithdrawalReason.OTHER_OFFER,
        actor=world.recruiter,
    )
    response = client_for(world.hiring_manager).post(
        f"/api/v1/feedback-requests/{feedback_request.pk}/respond/", ANSWER, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "This request is already cancelled."}
    assert not Feedback.objects.exists()


def test_offering_slots_twice_is_409_and_keeps_the_first_slots(world, client_for, availability_request):
    client = client_for(world.hiring_manager)
    url = f"/api/v1/availability-requests/{availability_request.pk}/slots/"
    assert client.post(url, _slots(48), format="json").status_code == 201

    response = client.post(url, _slots(72), format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "This request is already answered."}
    assert AvailabilitySlot.objects.filter(request=availability_request).count() == 1


def test_booking_twice_is_409_and_books_one_interview(world, client_for, availability_request):
    (slot,) = availability_offer_slots(
        actor=world.hiring_manager,
        availability_request=availability_request,
        slots=[(timezone.now() + timedelta(days=2), timezone.now() + timedelta(days=2, hours=1))],
    )
    client = client_for(world.recruiter)
    url = f"/api/v1/availability-requests/{availability_request.pk}/book/"
    assert client.post(url, {"slot": slot.pk}, format="json").status_code == 201

    response = client.post(url, {"slot": slot.pk}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "An interview is already booked from these slots."}
    assert Interview.objects.filter(submission=availability_request.submission).count() == 1


def test_the_message_is_the_services_one(feedback_request):
    feedback_request.status = RequestStatus.ANSWERED
    assert request_closed_message(feedback_request) == "This request is already answered."
