"""Moving a candidate to another stage from the requisition page."""

from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from engagements.models import Submission, SubmissionStageChange
from feedback.models import FeedbackRequest
from tests import factories

NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def submission(world):
    return factories.SubmissionFactory(requisition=world.requisition, candidate__full_name="Ada Lovelace")


def _url(submission) -> str:
    return reverse("partnership:submission-move", kwargs={"pk": submission.pk})


def _pipeline(submission) -> str:
    return reverse("partnership:requisition-detail", kwargs={"pk": submission.requisition_id})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_recruiter_sends_a_candidate_to_review_with_a_note(client, world, submission):
    client.force_login(world.recruiter)

    response = client.post(_url(submission), {"stage": "hm_review", "note": "Call her before Friday."})

    assert response.status_code == 303
    assert response["Location"] == _pipeline(submission)
    submission.refresh_from_db()
    assert submission.stage == Submission.Stage.HM_REVIEW
    change = SubmissionStageChange.objects.get(submission=submission, to_stage="hm_review")
    assert change.note == "Call her before Friday."
    assert change.changed_by == world.recruiter
    assert FeedbackRequest.objects.filter(submission=submission, requested_of=world.hiring_manager).exists()
    [message] = _messages(response)
    assert message.startswith("Ada Lovelace moved to hiring-manager review.")


def test_the_message_is_shown_on_the_requisition_page(client, world, submission):
    client.force_login(world.recruiter)
    response = client.post(_url(submission), {"stage": "rejected"}, follow=True)
    assert response.status_code == 200
    assert "Ada Lovelace moved to rejected." in response.content.decode()


def test_an_illegal_move_is_refused_with_a_message_and_changes_nothing(client, world, submission):
    client.force_login(world.recruiter)
    history = SubmissionStageChange.objects.count()

    response = client.post(_url(submission), {"stage": "offer"}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada Lovelace was not moved" in page
    assert "from submitted, a candidate can move only to hiring-manager review, rejected or withdrawn." in page
    submission.refresh_from_db()
    assert submission.stage == Submission.Stage.SUBMITTED
    assert SubmissionStageChange.objects.count() == history


def test_a_closed_submission_does_not_move(client, world):
    hired = factories.SubmissionFactory(
        requisition=world.requisition, stage=Submission.Stage.HIRED, candidate__full_name="Hal Hired"
    )
    client.force_login(world.recruiter)
    response = client.post(_url(hired), {"stage": "withdrawn"})
    assert response.status_code == 303
    assert "a closed submission does not move" in _messages(response)[0]
    hired.refresh_from_db()
    assert hired.stage == Submission.Stage.HIRED


@pytest.mark.parametrize("data", [{}, {"stage": "promoted"}, {"stage": "hm_review", "note": "x" * 501}])
def test_a_bad_form_is_refused_with_a_message_not_an_error_page(client, world, submission, data):
    client.force_login(world.recruiter)
    response = client.post(_url(submission), data)
    assert response.status_code == 303
    assert _messages(response)[0].startswith("Ada Lovelace was not moved:")
    submission.refresh_from_db()
    assert submission.stage == Submission.Stage.SUBMITTED


def test_next_brings_the_recruiter_back_only_within_the_site(client, world, submission):
    client.force_login(world.recruiter)
    response = client.post(_url(submission), {"stage": "rejected", "next": "https://evil.example/"})
    assert response["Location"].startswith(_pipeline(submission))
    other = factories.SubmissionFactory(requisition=world.requisition)
    response = client.post(_url(other), {"stage": "rejected", "next": "/requisitions/"})
    assert response["Location"] == "/requisitions/"


@pytest.mark.parametrize("persona", ["hiring_manager", "client_admin"])
def test_client_users_may_not_move_stages(client, world, submission, persona):
    client.force_login(getattr(world, persona))
    response = client.post(_url(submission), {"stage": "hm_review"})
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.stage == Submission.Stage.SUBMITTED


@pytest.mark.parametrize("persona", ["globex_recruiter", "globex_admin", "other_hiring_manager", "idle_recruiter"])
def test_a_submission_out_of_reach_is_not_found(client, world, submission, persona):
    client.force_login(getattr(world, persona))
    assert client.post(_url(submission), {"stage": "hm_review"}).status_code == 404
    submission.refresh_from_db()
    assert submission.stage == Submission.Stage.SUBMITTED


def test_moving_takes_a_post(client, world, submission):
    client.force_login(world.recruiter)
    assert client.get(_url(submission)).status_code == 405
