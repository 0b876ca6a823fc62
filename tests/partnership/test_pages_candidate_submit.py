"""Adding a candidate and submitting them to a requisition, straight to the hiring manager's review."""

import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from engagements.models import Candidate, Requisition, Submission, SubmissionStageChange
from feedback.models import FeedbackRequest
from tests import factories

# Monday 12 January 2026, 10:00 in New York: the hiring manager's business hours, no quiet hours.
NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _url(requisition) -> str:
    return reverse("partnership:candidate-submit", kwargs={"requisition_pk": requisition.pk})


def _form(**overrides) -> dict:
    data = {
        "form_token": str(uuid.uuid4()),  # the one-time token each empty form carries
        "full_name": "Grace Hopper",
        "email": "Grace@Example.com",
        "phone": "+1 555 0100",
        "current_title": "Rear Admiral",
        "location": "Arlington, VA",
        "source": "Referral",
        "summary": "Invented the compiler; leads teams through hard problems.",
        "send_to_review": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_answers_at_its_address_with_labelled_fields(client, world):
    assert _url(world.requisition) == f"/requisitions/{world.requisition.pk}/candidates/new/"
    client.force_login(world.recruiter)
    page = client.get(_url(world.requisition)).content.decode()
    for name in ("full_name", "email", "phone", "current_title", "location", "source", "summary", "send_to_review"):
        assert f'for="id_{name}"' in page
        assert f'id="id_{name}"' in page
    assert 'name="send_to_review" id="id_send_to_review" checked' in page or (
        'type="checkbox" name="send_to_review"' in page and "checked" in page
    )


def test_recruiter_submits_a_candidate_to_review_and_the_hiring_manager_gets_a_one_click_link(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(world.requisition), _form())

    candidate = Candidate.objects.get(full_name="Grace Hopper")
    assert candidate.engagement == world.acme_engagement
    assert candidate.email == "grace@example.com"
    assert candidate.created_by == world.recruiter
    submission = Submission.objects.get(candidate=candidate)
    assert submission.requisition == world.requisition
    assert submission.stage == Submission.Stage.HM_REVIEW
    assert submission.submitted_by == world.recruiter
    assert submission.summary.startswith("Invented the compiler")
    request = FeedbackRequest.objects.get(submission=submission)
    assert request.requested_of == world.hiring_manager

    assert response.status_code == 303
    assert response["Location"] == reverse("partnership:requisition-detail", kwargs={"pk": world.requisition.pk})
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Grace Hopper was submitted and sent to" in message

    [email] = [message for message in mail.outbox if message.to == [world.hiring_manager.email]]
    assert "Grace Hopper" in email.subject
    assert "https://portal.example.com/r/" in email.body


def test_the_success_message_shows_on_the_requisition_page(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(world.requisition), _form(), follow=True)
    page = response.content.decode()
    assert "Grace Hopper was submitted and sent to" in page
    assert 'id="submission-' in page


def test_a_candidate_submitted_without_review_waits_at_submitted_and_nobody_is_emailed(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(world.requisition), _form(send_to_review=None, summary=""))
    assert response.status_code == 303
    submission = Submission.objects.get(candidate__full_name="Grace Hopper")
    assert submission.stage == Submission.Stage.SUBMITTED
    assert not FeedbackRequest.objects.filter(submission=submission).exists()
    assert mail.outbox == []


def test_errors_are_shown_beside_the_fields_and_what_was_typed_is_kept(client, world):
    client.force_login(world.recruiter)

    response = client.post(_url(world.requisition), _form(full_name="", email="not-an-email", summary=""))

    assert response.status_code == 400  # refused: the form comes back with its errors
    page = response.content.decode()
    name_field = page[page.index('for="id_full_name"') : page.index('for="id_email"')]
    assert "Enter the name." in name_field
    email_field = page[page.index('for="id_email"') : page.index('for="id_phone"')]
    assert "Enter an email address like name@example.com." in email_field
    assert 'value="not-an-email"' in email_field
    summary_field = page[page.index('for="id_summary"') : page.index('for="id_send_to_review"')]
    assert "Write a few lines for the hiring manager" in summary_field
    assert 'value="Rear Admiral"' in page
    assert 'value="Referral"' in page
    assert not Candidate.objects.exists()


def test_a_candidate_already_in_the_engagement_is_refused_beside_the_email(client, world):
    factories.CandidateFactory(engagement=world.acme_engagement, email="grace@example.com")
    client.force_login(world.recruiter)

    response = client.post(_url(world.requisition), _form())

    assert response.status_code == 400
    page = response.content.decode()
    email_field = page[page.index('for="id_email"') : page.index('for="id_phone"')]
    assert "A candidate with this email is already in this engagement." in email_field
    assert 'value="Grace Hopper"' in page
    assert not Submission.objects.exists()


def test_a_requisition_on_hold_takes_no_candidate_and_leaves_nothing_behind(client, world):
    world.requisition.status = Requisition.Status.ON_HOLD
    world.requisition.save()
    client.force_login(world.recruiter)

    assert "candidates can be submitted only while it is open" in client.get(_url(world.requisition)).content.decode()
    response = client.post(_url(world.requisition), _form())

    assert response.status_code == 400
    assert "The requisition is on hold." in response.content.decode()
    assert not Candidate.objects.filter(full_name="Grace Hopper").exists()
    assert not SubmissionStageChange.objects.exists()


@pytest.mark.parametrize("persona", ["recruiter", "sourcer", "account_manager", "provider_admin"])
def test_provider_pipeline_staff_may_add_candidates(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(_url(world.requisition)).status_code == 200


@pytest.mark.parametrize("persona", ["hiring_manager", "client_admin"])
def test_client_users_may_not_add_candidates(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(_url(world.requisition)).status_code == 403
    response = client.post(_url(world.requisition), _form())
    assert response.status_code == 403
    assert "Nothing has been changed." in response.content.decode()
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    ("persona", "requisition"),
    [
        ("recruiter", "globex_requisition"),
        ("globex_recruiter", "requisition"),
        ("globex_admin", "requisition"),
        ("other_hiring_manager", "requisition"),
        ("idle_recruiter", "requisition"),
    ],
)
def test_another_tenants_requisition_is_not_found(client, world, persona, requisition):
    client.force_login(getattr(world, persona))
    target = getattr(world, requisition)
    assert client.get(_url(target)).status_code == 404
    assert client.post(_url(target), _form()).status_code == 404
    assert not Candidate.objects.exists()
