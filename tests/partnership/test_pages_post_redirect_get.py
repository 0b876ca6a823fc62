"""Every page form of the partnership app answers a successful POST with a redirect to a page that
says what happened (post/redirect/get: reloading it sends nothing again), and a refused one with
400 and the form as it was typed, or, for the pipeline's one-button stage moves, with a redirect
back and the reason in a message (issue 13). The candidate form's own once-only guard is in
test_pages_candidate_submit_once.py."""

import uuid
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from engagements.models import Candidate, Engagement
from tests import factories

NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _messages(page: str) -> str:
    return page[page.index('<div class="messages"') : page.index("</div>", page.index('<div class="messages"'))]


def _sla_url(engagement) -> str:
    return reverse("partnership:engagement-sla", kwargs={"pk": engagement.pk})


def _sla(world, **overrides) -> dict:
    return {
        "resume_feedback_due_hours": "16",
        "interview_feedback_due_hours": "24",
        "availability_due_hours": "12",
        "reminder_lead_hours": "2",
        "escalation_delay_hours": "8",
        "time_zone": "America/New_York",
        "business_day_start": "09:00",
        "business_day_end": "17:00",
        "business_weekdays": ["1", "2", "3", "4", "5"],
        "escalation_contact": "",
        **overrides,
    }


def _detail(requisition) -> str:
    return reverse("partnership:requisition-detail", kwargs={"pk": requisition.pk})


def test_service_levels_saved_redirect_to_the_page_that_says_so(client, world):
    client.force_login(world.account_manager)

    response = client.post(_sla_url(world.acme_engagement), _sla(world))

    assert (response.status_code, response["Location"]) == (303, _sla_url(world.acme_engagement))
    page = client.get(_sla_url(world.acme_engagement)).content.decode()
    assert "Service levels saved." in _messages(page)
    assert 'name="resume_feedback_due_hours" value="16"' in page


def test_service_levels_refused_answer_400_with_what_was_typed(client, world):
    client.force_login(world.account_manager)

    response = client.post(_sla_url(world.acme_engagement), _sla(world, availability_due_hours="lots"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a whole number of hours." in page
    assert 'value="lots"' in page
    assert Engagement.objects.get(pk=world.acme_engagement.pk).resume_feedback_due_hours == 24


def test_a_candidate_submitted_redirects_to_the_requisition_that_says_so(client, world):
    client.force_login(world.recruiter)
    url = reverse("partnership:candidate-submit", kwargs={"requisition_pk": world.requisition.pk})
    form = {"form_token": str(uuid.uuid4()), "full_name": "Grace Hopper", "summary": ""}

    response = client.post(url, form)

    assert (response.status_code, response["Location"]) == (303, _detail(world.requisition))
    assert "Grace Hopper was submitted." in _messages(client.get(_detail(world.requisition)).content.decode())


def test_a_candidate_refused_answers_400_with_what_was_typed(client, world):
    client.force_login(world.recruiter)
    url = reverse("partnership:candidate-submit", kwargs={"requisition_pk": world.requisition.pk})
    form = {"form_token": str(uuid.uuid4()), "full_name": "", "current_title": "Typed title"}

    response = client.post(url, form)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the name." in page
    assert 'value="Typed title"' in page
    assert not Candidate.objects.exists()


def test_a_stage_move_redirects_to_the_pipeline_that_says_so_and_so_does_a_refused_one(client, world):
    submission = factories.SubmissionFactory(requisition=world.requisition, candidate__full_name="Ada Lovelace")
    url = reverse("partnership:submission-move", kwargs={"pk": submission.pk})
    client.force_login(world.recruiter)

    moved = client.post(url, {"stage": "rejected"})
    assert (moved.status_code, moved["Location"]) == (303, _detail(world.requisition))
    assert "Ada Lovelace moved to rejected." in _messages(client.get(_detail(world.requisition)).content.decode())

    refused = client.post(url, {"stage": "offer"})
    assert (refused.status_code, refused["Location"]) == (303, _detail(world.requisition))
    assert "Ada Lovelace was not moved" in _messages(client.get(_detail(world.requisition)).content.decode())
