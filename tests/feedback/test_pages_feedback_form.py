"""The feedback form for a logged-in hiring manager (channel web), and who may see or use it."""

import pytest
from django.urls import reverse

from engagements.models import Submission
from engagements.services import submission_change_stage
from feedback.models import AvailabilityRequest, Feedback, FeedbackRequest, RequestStatus
from tests import factories

ANSWER = {"decision": "advance", "rating": "5", "reasons": ["skills_match"], "comments": ""}


@pytest.fixture
def feedback_request(world) -> FeedbackRequest:
    submission = factories.SubmissionFactory(requisition=world.requisition, candidate__full_name="Grace Hopper")
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    return FeedbackRequest.objects.get(submission=submission)


def _url(feedback_request) -> str:
    return reverse("feedback:feedback-respond", kwargs={"pk": feedback_request.pk})


def _still_open(feedback_request) -> bool:
    feedback_request.refresh_from_db()
    return (
        feedback_request.status == RequestStatus.OPEN and not Feedback.objects.filter(request=feedback_request).exists()
    )


def test_hiring_manager_answers_on_the_web(client, world, feedback_request):
    client.force_login(world.hiring_manager)
    form_page = client.get(_url(feedback_request))
    assert form_page.status_code == 200
    assert "Grace Hopper" in form_page.content.decode()
    assert 'name="decision" value="advance"' in form_page.content.decode()

    response = client.post(_url(feedback_request), ANSWER, follow=True)

    assert response.redirect_chain == [(_url(feedback_request), 303)]
    page = response.content.decode()
    assert "Thank you" in page
    assert "We'll ask for your interview availability" in page
    availability = AvailabilityRequest.objects.get(submission=feedback_request.submission)
    assert reverse("feedback:availability-respond", kwargs={"pk": availability.pk}) in page
    feedback = Feedback.objects.get(request=feedback_request)
    assert feedback.channel == Feedback.Channel.WEB
    assert feedback.given_by == world.hiring_manager


def test_hiring_manager_who_holds_keeps_the_candidate_in_review(client, world, feedback_request):
    client.force_login(world.hiring_manager)
    response = client.post(_url(feedback_request), {"decision": "hold", "rating": "3"}, follow=True)

    assert "stays in the running" in response.content.decode()
    feedback_request.submission.refresh_from_db()
    assert feedback_request.submission.stage == Submission.Stage.HM_REVIEW


def test_answered_request_shows_already_answered_to_the_hiring_manager(client, world, feedback_request):
    client.force_login(world.hiring_manager)
    client.post(_url(feedback_request), ANSWER, follow=True)  # "Thank you!", once

    assert "Already answered" in client.get(_url(feedback_request)).content.decode()
    again = client.post(_url(feedback_request), {**ANSWER, "decision": "reject"})
    assert again.status_code == 409
    assert Feedback.objects.get(request=feedback_request).decision == "advance"


def test_invalid_answer_shows_field_errors(client, world, feedback_request):
    client.force_login(world.hiring_manager)
    response = client.post(_url(feedback_request), {"decision": "maybe", "rating": "0", "comments": "x" * 5001})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"decision", "rating", "comments"}
    assert _still_open(feedback_request)


def test_hiring_manager_of_another_client_gets_not_found(client, world, feedback_request):
    client.force_login(world.globex_hiring_manager)

    for response in (client.get(_url(feedback_request)), client.post(_url(feedback_request), ANSWER)):
        assert response.status_code == 404
        assert "We could not find that" in response.content.decode()
    assert _still_open(feedback_request)


def test_other_hiring_manager_of_the_same_client_gets_not_found(client, world, feedback_request):
    client.force_login(world.other_hiring_manager)
    assert client.post(_url(feedback_request), ANSWER).status_code == 404
    assert _still_open(feedback_request)


def test_recruiter_can_see_the_request_but_not_answer_it(client, world, feedback_request):
    client.force_login(world.recruiter)

    page = client.get(_url(feedback_request))
    assert page.status_code == 200
    assert "Grace Hopper" in page.content.decode()
    assert 'name="decision"' not in page.content.decode()
    refused = client.post(_url(feedback_request), ANSWER)

    assert refused.status_code == 403
    assert "That is not yours to do" in refused.content.decode()
    assert _still_open(feedback_request)


def test_client_admin_can_see_but_not_answer(client, world, feedback_request):
    client.force_login(world.client_admin)
    assert client.get(_url(feedback_request)).status_code == 200
    assert client.post(_url(feedback_request), ANSWER).status_code == 403
    assert _still_open(feedback_request)


def test_anonymous_visitor_is_sent_to_log_in(client, feedback_request):
    for response in (client.get(_url(feedback_request)), client.post(_url(feedback_request), ANSWER)):
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={_url(feedback_request)}"
    assert _still_open(feedback_request)


def test_missing_request_is_a_friendly_not_found(client, world):
    client.force_login(world.hiring_manager)
    response = client.get(reverse("feedback:feedback-respond", kwargs={"pk": 987_654}))
    assert response.status_code == 404
    assert "We could not find that" in response.content.decode()


# --- Post/Redirect/Get: Back after answering never offers to send the form again ----------------


def test_a_successful_answer_redirects_to_a_page_that_shows_it(client, world, feedback_request):
    client.force_login(world.hiring_manager)

    response = client.post(_url(feedback_request), ANSWER)

    assert response.status_code == 303
    assert response["Location"] == _url(feedback_request)
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Thank you!" in page
    assert "5 / 5" in page
    # Shown once: the same address later says it was answered.
    assert "Already answered" in client.get(_url(feedback_request)).content.decode()


def test_an_invalid_answer_answers_400_with_the_form_filled_in(client, world, feedback_request):
    client.force_login(world.hiring_manager)

    response = client.post(_url(feedback_request), {"rating": "4", "reasons": ["skills_match"], "comments": "Keen"})

    assert response.status_code == 400
    assert response.context["form"].errors["decision"] == ["Choose advance, hold or reject."]
    page = response.content.decode()
    assert 'value="4" checked' in page
    assert 'value="skills_match" checked' in page
    assert "Keen" in page
    assert _still_open(feedback_request)
