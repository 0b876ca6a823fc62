"""DELETE /api/v1/candidates/{id}/ erases a candidate's personal data (204), and client users
never read a candidate's contact details through the API."""

import pytest
from django.urls import reverse

from engagements.models import Candidate, Submission
from feedback.models import Feedback

from .conftest import expected


def _url(candidate) -> str:
    return reverse("candidate-detail", args=[candidate.pk])


def _scorecard_figures(client, engagement) -> list:
    body = client.get(reverse("engagement-scorecard", args=[engagement.pk]), {"days": 90}).json()
    return [(figure["key"], figure["value"]) for figure in body["client"] + body["provider"]]


def test_account_manager_erases_a_candidate_with_delete(pipeline, client_for):
    candidate = pipeline.candidates["acme1"]
    submission = pipeline.submissions["acme1"]
    Submission.objects.filter(pk=submission.pk).update(summary="Knows Candidate acme1's phone: 555-0100")
    Candidate.objects.filter(pk=candidate.pk).update(phone="555-0100")
    feedback = Feedback.objects.create(
        request=pipeline.feedback_requests["acme1"],
        decision="advance",
        rating=5,
        reasons=["skills_match"],
        comments="Candidate acme1 is the one.",
        channel="api",
    )
    client = client_for(pipeline.world.account_manager)
    figures = _scorecard_figures(client, pipeline.engagements["acme"])
    stage = (submission.stage, submission.stage_changed_at, submission.submitted_at)

    response = client.delete(_url(candidate))

    assert response.status_code == 204, response.content
    body = client.get(_url(candidate)).json()
    assert body["full_name"] == f"Erased candidate #{candidate.pk}"
    assert (body["email"], body["phone"], body["current_title"], body["location"], body["source"]) == ("",) * 5
    assert body["erased_at"] is not None
    submission.refresh_from_db()
    assert (submission.stage, submission.stage_changed_at, submission.submitted_at) == stage
    assert submission.summary == ""
    feedback.refresh_from_db()
    assert (feedback.comments, feedback.decision, feedback.rating) == ("", "advance", 5)
    assert _scorecard_figures(client, pipeline.engagements["acme"]) == figures


def test_erasing_again_answers_204_and_changes_nothing(pipeline, client_for):
    client = client_for(pipeline.world.provider_admin)
    candidate = pipeline.candidates["acme1"]
    assert client.delete(_url(candidate)).status_code == 204
    erased_at = Candidate.objects.get(pk=candidate.pk).erased_at
    assert client.delete(_url(candidate)).status_code == 204
    assert Candidate.objects.get(pk=candidate.pk).erased_at == erased_at


def test_an_erased_candidate_cannot_be_patched_back(pipeline, client_for):
    client = client_for(pipeline.world.account_manager)
    candidate = pipeline.candidates["acme1"]
    client.delete(_url(candidate))
    response = client_for(pipeline.world.recruiter).patch(_url(candidate), {"full_name": "Back again"})
    assert response.status_code == 400
    assert "erased" in str(response.json())
    assert Candidate.objects.get(pk=candidate.pk).full_name == f"Erased candidate #{candidate.pk}"


@pytest.mark.parametrize("persona", ["recruiter", "sourcer", "hiring_manager", "client_admin"])
def test_others_who_see_the_candidate_are_refused_with_403(pipeline, client_for, persona):
    candidate = pipeline.candidates["acme1"]
    response = client_for(pipeline.persona(persona)).delete(_url(candidate))
    assert response.status_code == 403
    assert Candidate.objects.get(pk=candidate.pk).erased_at is None


@pytest.mark.parametrize("persona", ["account_manager", "globex_admin", "globex_hiring_manager"])
def test_another_tenants_candidate_is_404(pipeline, client_for, persona):
    candidate = pipeline.candidates["glx1" if not persona.startswith("globex") else "acme1"]
    response = client_for(pipeline.persona(persona)).delete(_url(candidate))
    assert response.status_code == 404
    assert Candidate.objects.get(pk=candidate.pk).erased_at is None


def test_the_schema_says_delete_erases(pipeline, client):
    client.force_login(pipeline.world.account_manager)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/candidates/{id}/"]["delete"]
    assert "204" in operation["responses"]
    assert "anonymis" in operation["description"]


# --- who sees contact details ---------------------------------------------------------------------

CONTACT = ("email", "phone", "source")


@pytest.mark.parametrize("persona", ["client_admin", "hiring_manager", "globex_admin", "globex_hiring_manager"])
def test_client_users_see_no_contact_details_in_the_list_or_the_detail(pipeline, client_for, persona):
    client = client_for(pipeline.persona(persona))
    rows = client.get(reverse("candidate-list"), {"page_size": 200}).json()["results"]
    assert rows
    for row in rows:
        assert not set(CONTACT) & set(row), row
        assert {"full_name", "current_title", "location"} <= set(row)
        detail = client.get(_url(Candidate(pk=row["id"]))).json()
        assert not set(CONTACT) & set(detail)
    assert "@" not in str(rows)


@pytest.mark.parametrize("persona", ["client_admin", "hiring_manager"])
def test_client_users_see_only_candidates_submitted_to_requisitions_they_see(pipeline, client_for, persona):
    rows = client_for(pipeline.persona(persona)).get(reverse("candidate-list"), {"page_size": 200}).json()["results"]
    submitted = set(expected("requisitions", persona, pipeline))
    assert {row["id"] for row in rows} == {pipeline.candidates[key].pk for key in submitted}
    assert pipeline.candidates["acme_bench"].pk not in {row["id"] for row in rows}


@pytest.mark.parametrize("persona", ["provider_admin", "account_manager", "recruiter", "sourcer"])
def test_provider_staff_see_contact_details(pipeline, client_for, persona):
    rows = client_for(pipeline.persona(persona)).get(reverse("candidate-list"), {"page_size": 200}).json()["results"]
    assert rows
    assert all(row["email"].endswith("@mail.example") for row in rows)
