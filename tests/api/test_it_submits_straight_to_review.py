"""POST submissions/: flow 1 in one call. Like the page's "Add and submit", a submission goes to the
hiring manager's review at once (``send_to_review``, true by default): the stage is ``hm_review``,
the résumé review is open for the requisition's hiring manager and they get the request email.
``send_to_review: false`` keeps the submission at ``submitted``; a refusal leaves nothing behind."""

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from engagements.models import Submission, SubmissionStageChange
from feedback.models import FeedbackRequest, RequestStatus

from .. import factories

URL = "/api/v1/submissions/"


@pytest.fixture
def candidate(world):
    return factories.CandidateFactory(engagement=world.acme_engagement, full_name="Ada Lovelace")


def _submit(client, world, candidate, **extra):
    return client.post(URL, {"requisition": world.requisition.pk, "candidate": candidate.pk, **extra}, format="json")


def test_a_submission_goes_to_the_hiring_managers_review_in_the_same_call(
    world, client_for, candidate, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    # Today at 15:00 UTC, mid-morning in New York: outside the hiring manager's quiet hours (20 to
    # 8 there), when the request email goes at once rather than in the morning.
    morning = datetime.combine(timezone.now().astimezone(UTC).date(), time(15), tzinfo=UTC)
    with time_machine.travel(morning, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = _submit(client_for(world.recruiter), world, candidate, summary="Ten years of Django.")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "hm_review"
    assert [(change["from_stage"], change["to_stage"]) for change in body["history"]] == [
        ("", "submitted"),
        ("submitted", "hm_review"),
    ]
    (request,) = FeedbackRequest.objects.filter(submission_id=body["id"])
    assert request.kind == FeedbackRequest.Kind.RESUME_REVIEW
    assert request.status == RequestStatus.OPEN
    assert request.requested_of == world.hiring_manager
    (email,) = [message for message in mail.outbox if world.hiring_manager.email in message.to]
    assert "Ada Lovelace" in email.subject + email.body


def test_send_to_review_false_keeps_the_submission_at_submitted(
    world, client_for, candidate, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client_for(world.recruiter), world, candidate, send_to_review=False)

    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "submitted"
    assert not FeedbackRequest.objects.exists()
    assert not [message for message in mail.outbox if world.hiring_manager.email in message.to]


def test_send_to_review_must_be_a_boolean(world, client_for, candidate):
    response = _submit(client_for(world.recruiter), world, candidate, send_to_review="perhaps")
    assert response.status_code == 400
    assert "send_to_review" in response.json()
    assert not Submission.objects.exists()


@pytest.mark.parametrize("persona", ["hiring_manager", "client_admin"])
def test_a_refused_submission_leaves_nothing_behind(world, client_for, candidate, persona):
    response = _submit(client_for(getattr(world, persona)), world, candidate)

    assert response.status_code == 403
    assert not Submission.objects.exists()
    assert not SubmissionStageChange.objects.exists()
    assert not FeedbackRequest.objects.exists()


def test_submitting_the_same_candidate_twice_opens_no_second_request(world, client_for, candidate):
    client = client_for(world.recruiter)
    assert _submit(client, world, candidate).status_code == 201
    response = _submit(client, world, candidate)

    assert response.status_code == 400
    assert "already been submitted" in response.json()["candidate"][0]
    assert Submission.objects.count() == 1
    assert FeedbackRequest.objects.count() == 1
