"""Erasing a candidate's personal data: anonymised in place, by a provider admin or the
engagement's account manager, from the service, the admin and the page; the submissions, their
stages and the scorecard's figures stay as they were."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from engagements import policies, services
from engagements.models import Candidate, Interview, Submission, SubmissionStageChange
from feedback.models import Feedback, FeedbackRequest, RequestStatus
from partnership.scorecard import engagement_scorecard
from tests import factories

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)

# What an erased candidate must not keep anywhere the portal stores it.
PERSONAL = ("Ada Lovelace", "ada@mail.example", "+44 20 7946 0000", "Analytical Engines Ltd", "ada's pitch")


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _trail(world, full_name="Ada Lovelace", email="ada@mail.example"):
    """A candidate with everything the portal keeps about them: a submission with a pitch, stage
    notes, an interview, and a hiring manager's answer with comments."""
    candidate = factories.CandidateFactory(
        engagement=world.acme_engagement,
        full_name=full_name,
        email=email,
        phone="+44 20 7946 0000",
        current_title="Analyst at Analytical Engines Ltd",
        location="London",
        source="Referral from her old boss",
    )
    submitted_at = NOW - timedelta(days=10)
    submission = factories.SubmissionFactory(
        requisition=world.requisition,
        candidate=candidate,
        stage=Submission.Stage.INTERVIEW,
        summary="ada's pitch: built the first program.",
        submitted_at=submitted_at,
        stage_changed_at=NOW - timedelta(days=5),
    )
    SubmissionStageChange.objects.create(
        submission=submission, from_stage="", to_stage="submitted", changed_at=submitted_at
    )
    SubmissionStageChange.objects.create(
        submission=submission,
        from_stage="submitted",
        to_stage="hm_review",
        changed_at=submitted_at + timedelta(days=1),
        note="Ada Lovelace prefers mornings; call +44 20 7946 0000.",
    )
    factories.FeedbackFactory(
        request__submission=submission,
        request__requested_of=world.hiring_manager,
        request__created_at=submitted_at + timedelta(days=1),
        request__answered_at=submitted_at + timedelta(days=2),
        comments="Ada Lovelace was great; ada@mail.example replied fast.",
    )
    factories.InterviewFactory(
        submission=submission,
        starts_at=NOW - timedelta(days=3),
        ends_at=NOW - timedelta(days=3) + timedelta(hours=1),
        location="Video call with Ada Lovelace",
        status=Interview.Status.COMPLETED,
    )
    return candidate


def _everything_stored_about(candidate: Candidate) -> str:
    candidate.refresh_from_db()
    submission = candidate.submissions.get()
    parts = [
        candidate.full_name,
        candidate.email,
        candidate.phone,
        candidate.current_title,
        candidate.location,
        candidate.source,
        submission.summary,
        *submission.stage_changes.values_list("note", flat=True),
        *submission.interviews.values_list("location", flat=True),
        *Feedback.objects.filter(request__submission=submission).values_list("comments", flat=True),
    ]
    return " | ".join(parts)


def _figures(engagement) -> list[tuple]:
    scorecard = engagement_scorecard(engagement=engagement, days=30)
    return [(figure.key, figure.value) for figure in [*scorecard.client, *scorecard.provider]]


def _pipeline_state(candidate: Candidate) -> list[tuple]:
    return list(
        Submission.objects.filter(candidate=candidate).values_list(
            "pk", "requisition_id", "stage", "submitted_at", "stage_changed_at"
        )
    ) + list(
        SubmissionStageChange.objects.filter(submission__candidate=candidate).values_list(
            "pk", "from_stage", "to_stage", "changed_at"
        )
    )


# --- the service ----------------------------------------------------------------------------------


def test_account_manager_erases_a_candidate_and_the_pipeline_and_figures_stay(world):
    candidate = _trail(world)
    figures, state = _figures(world.acme_engagement), _pipeline_state(candidate)
    feedback = Feedback.objects.get(request__submission__candidate=candidate)

    services.candidate_erase(actor=world.account_manager, candidate=candidate)

    stored = _everything_stored_about(candidate)
    for personal in PERSONAL:
        assert personal not in stored
    assert candidate.full_name == f"Erased candidate #{candidate.pk}"
    assert (candidate.email, candidate.phone, candidate.current_title, candidate.location, candidate.source) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert candidate.erased_at == NOW
    assert candidate.erased_by == world.account_manager
    assert _pipeline_state(candidate) == state
    assert _figures(world.acme_engagement) == figures
    feedback.refresh_from_db()
    assert (feedback.decision, feedback.rating, feedback.reasons) == ("advance", 4, ["skills_match"])


def test_erasure_is_logged(world, caplog):
    candidate = _trail(world)
    with caplog.at_level("INFO", logger="engagements"):
        services.candidate_erase(actor=world.account_manager, candidate=candidate)
    [line] = [record.getMessage() for record in caplog.records if "rased" in record.getMessage()]
    assert f"#{candidate.pk}" in line
    assert str(world.account_manager.pk) in line
    assert "Ada" not in line


def test_erasing_twice_changes_nothing_the_second_time(world):
    candidate = _trail(world)
    services.candidate_erase(actor=world.account_manager, candidate=candidate)
    services.candidate_erase(actor=world.provider_admin, candidate=Candidate.objects.get(pk=candidate.pk))
    candidate.refresh_from_db()
    assert candidate.erased_by == world.account_manager
    assert candidate.erased_at == NOW


def test_an_erased_candidate_cannot_be_edited_back(world):
    candidate = _trail(world)
    services.candidate_erase(actor=world.account_manager, candidate=candidate)
    with pytest.raises(ValidationError) as refused:
        services.candidate_update(actor=world.recruiter, candidate=candidate, full_name="Ada Lovelace")
    assert "erased" in str(refused.value)
    candidate.refresh_from_db()
    assert candidate.full_name == f"Erased candidate #{candidate.pk}"


def test_two_erased_candidates_of_one_engagement_keep_the_email_constraint(world):
    first = _trail(world)
    second = factories.CandidateFactory(engagement=world.acme_engagement, email="grace@mail.example")
    services.candidate_erase(actor=world.account_manager, candidate=first)
    services.candidate_erase(actor=world.account_manager, candidate=second)
    # The address is free again, and still unique among the candidates that have one.
    services.candidate_create(
        actor=world.recruiter, engagement=world.acme_engagement, full_name="A", email="ada@mail.example"
    )
    with pytest.raises(ValidationError):
        services.candidate_create(
            actor=world.recruiter, engagement=world.acme_engagement, full_name="B", email="ada@mail.example"
        )


def test_other_candidates_keep_their_data(world):
    candidate = _trail(world)
    other = factories.SubmissionFactory(requisition=world.requisition, summary="Grace's pitch")
    factories.FeedbackFactory(request__submission=other, comments="Grace is sharp.")
    services.candidate_erase(actor=world.account_manager, candidate=candidate)
    other.refresh_from_db()
    assert other.summary == "Grace's pitch"
    assert Feedback.objects.get(request__submission=other).comments == "Grace is sharp."


@pytest.mark.parametrize(
    "persona", ["recruiter", "sourcer", "hiring_manager", "client_admin", "globex_admin", "idle_recruiter"]
)
def test_only_provider_admins_and_the_account_manager_may_erase(world, persona):
    candidate = _trail(world)
    with pytest.raises(PermissionDenied, match=policies.MAY_NOT_ERASE_CANDIDATE):
        services.candidate_erase(actor=getattr(world, persona), candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.full_name == "Ada Lovelace"
    assert candidate.erased_at is None


def test_the_open_requests_about_an_erased_candidate_are_left_to_the_pipeline(world):
    """Erasure does not close anything by itself: the stages and requests are the pipeline's."""
    candidate = _trail(world)
    open_request = factories.FeedbackRequestFactory(
        submission=candidate.submissions.get(),
        kind=FeedbackRequest.Kind.RESUME_REVIEW,
        requested_of=world.other_hiring_manager,
    )
    services.candidate_erase(actor=world.account_manager, candidate=candidate)
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.OPEN


# --- the admin ------------------------------------------------------------------------------------


def _admin_url(view, *args):
    return reverse(f"admin:engagements_candidate_{view}", args=args)


def test_the_admin_action_erases_through_the_service(client, world):
    world.provider_admin.is_staff = world.provider_admin.is_superuser = True
    world.provider_admin.save()
    candidate = _trail(world)
    client.force_login(world.provider_admin)

    response = client.post(
        _admin_url("changelist"), {"action": "erase_personal_data", "_selected_action": [candidate.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "Erased the personal data of 1 candidate(s)." in [str(m) for m in response.context["messages"]]
    for personal in PERSONAL:
        assert personal not in _everything_stored_about(candidate)
    assert candidate.erased_by == world.provider_admin


def test_the_admin_action_refused_by_the_policy_says_why(client, world):
    world.recruiter.is_staff = world.recruiter.is_superuser = True
    world.recruiter.save()
    candidate = _trail(world)
    client.force_login(world.recruiter)
    response = client.post(
        _admin_url("changelist"), {"action": "erase_personal_data", "_selected_action": [candidate.pk]}, follow=True
    )
    assert f"{candidate}: {policies.MAY_NOT_ERASE_CANDIDATE}" in [str(m) for m in response.context["messages"]]
    candidate.refresh_from_db()
    assert candidate.erased_at is None


def test_the_admin_delete_of_a_submitted_candidate_is_refused_and_points_to_erasure(client, world):
    world.provider_admin.is_staff = world.provider_admin.is_superuser = True
    world.provider_admin.save()
    candidate = _trail(world)
    client.force_login(world.provider_admin)

    page = client.get(_admin_url("delete", candidate.pk))
    assert page.status_code == 200
    assert "Erase personal data" in page.content.decode()
    client.post(_admin_url("delete", candidate.pk), {"post": "yes"})
    client.post(
        _admin_url("changelist"), {"action": "delete_selected", "_selected_action": [candidate.pk], "post": "yes"}
    )
    assert Candidate.objects.filter(pk=candidate.pk).exists()
    assert Submission.objects.filter(candidate=candidate).exists()


def test_an_erased_candidate_is_read_only_in_the_admin(client, world):
    world.provider_admin.is_staff = world.provider_admin.is_superuser = True
    world.provider_admin.save()
    candidate = _trail(world)
    services.candidate_erase(actor=world.account_manager, candidate=candidate)
    client.force_login(world.provider_admin)
    client.post(
        _admin_url("change", candidate.pk),
        {"engagement": world.acme_engagement.pk, "full_name": "Ada Lovelace", "email": "ada@mail.example"},
    )
    candidate.refresh_from_db()
    assert candidate.full_name == f"Erased candidate #{candidate.pk}"


# --- the page -------------------------------------------------------------------------------------


def _page(candidate) -> str:
    return reverse("partnership:candidate-erase", kwargs={"pk": candidate.pk})


def _detail(requisition) -> str:
    return reverse("partnership:requisition-detail", kwargs={"pk": requisition.pk})


def test_account_manager_finds_the_erase_link_on_the_requisition_page(client, world):
    candidate = _trail(world)
    client.force_login(world.account_manager)
    page = client.get(_detail(world.requisition)).content.decode()
    assert _page(candidate) in page


@pytest.mark.parametrize("persona", ["recruiter", "hiring_manager", "client_admin"])
def test_others_get_no_erase_link(client, world, persona):
    candidate = _trail(world)
    client.force_login(getattr(world, persona))
    page = client.get(_detail(world.requisition)).content.decode()
    assert _page(candidate) not in page


def test_the_confirmation_page_says_what_goes_and_what_stays(client, world):
    candidate = _trail(world)
    client.force_login(world.account_manager)
    response = client.get(_page(candidate))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada Lovelace" in page
    assert "ACME-1" in page  # the submission that stays
    assert "feedback comments" in page
    candidate.refresh_from_db()
    assert candidate.erased_at is None


def test_posting_the_confirmation_erases_and_returns_to_the_requisition(client, world):
    candidate = _trail(world)
    client.force_login(world.account_manager)
    response = client.post(f"{_page(candidate)}?next={_detail(world.requisition)}")
    assert response.status_code == 303
    assert response["Location"] == _detail(world.requisition)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"The personal data of candidate #{candidate.pk} was erased. Their submissions and the figures stay."
    ]
    for personal in PERSONAL:
        assert personal not in _everything_stored_about(candidate)
    assert f"Erased candidate #{candidate.pk}" in client.get(_detail(world.requisition)).content.decode()


@pytest.mark.parametrize("persona", ["recruiter", "hiring_manager", "client_admin"])
def test_the_page_refuses_others_with_403(client, world, persona):
    candidate = _trail(world)
    client.force_login(getattr(world, persona))
    assert client.get(_page(candidate)).status_code == 403
    assert client.post(_page(candidate)).status_code == 403
    candidate.refresh_from_db()
    assert candidate.erased_at is None


def test_another_tenants_candidate_is_not_found(client, world):
    stranger = factories.CandidateFactory(engagement=world.globex_engagement)
    client.force_login(world.account_manager)
    assert client.get(_page(stranger)).status_code == 404
    assert client.post(_page(stranger)).status_code == 404


def test_an_erased_candidates_page_says_so_and_offers_nothing(client, world):
    candidate = _trail(world)
    services.candidate_erase(actor=world.account_manager, candidate=candidate)
    client.force_login(world.account_manager)
    page = client.get(_page(candidate)).content.decode()
    assert "already erased" in page
    assert "<form" not in page.split("<main", 1)[-1]
