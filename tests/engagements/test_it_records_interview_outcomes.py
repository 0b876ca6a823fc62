"""What became of an interview, recorded by the recruiter (``interview_set_status``): completed
(which opens the post-interview feedback request), missed by the candidate or by the hiring
manager, or rescheduled to a new time. The same rules through the service, the API and the admin."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from engagements.models import Interview, Submission
from engagements.services import interview_set_status
from feedback.models import FeedbackRequest
from tests import factories

NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def past_interview(world):
    """An interview of Acme's requisition that started two hours ago and is still marked scheduled."""
    return factories.InterviewFactory(
        submission__requisition=world.requisition,
        submission__candidate__full_name="Ada Lovelace",
        starts_at=NOW - timedelta(hours=2),
        ends_at=NOW - timedelta(hours=1),
    )


@pytest.fixture
def upcoming_interview(world):
    return factories.InterviewFactory(submission__requisition=world.requisition, starts_at=NOW + timedelta(days=1))


def _messages(refused) -> dict:
    return refused.value.message_dict


# --- the service ----------------------------------------------------------------------------------


def test_recruiter_records_that_the_hiring_manager_did_not_show(world, past_interview):
    interview_set_status(actor=world.recruiter, interview=past_interview, status=Interview.Status.HM_NO_SHOW)

    past_interview.refresh_from_db()
    assert past_interview.status == Interview.Status.HM_NO_SHOW
    assert past_interview.get_status_display() == "Hiring manager did not show"
    assert past_interview.completed_at is None
    assert not FeedbackRequest.objects.filter(interview=past_interview).exists()


def test_the_candidates_no_show_keeps_its_stored_value(world, past_interview):
    interview_set_status(actor=world.recruiter, interview=past_interview, status="no_show")

    past_interview.refresh_from_db()
    assert past_interview.status == Interview.Status.NO_SHOW == "no_show"
    assert past_interview.get_status_display() == "Candidate did not show"


def test_completing_an_interview_opens_the_post_interview_feedback_request(world, past_interview):
    interview_set_status(actor=world.recruiter, interview=past_interview, status=Interview.Status.COMPLETED)

    past_interview.refresh_from_db()
    assert past_interview.completed_at == NOW
    request = FeedbackRequest.objects.get(interview=past_interview)
    assert (request.kind, request.requested_of, request.created_at) == (
        FeedbackRequest.Kind.INTERVIEW,
        world.hiring_manager,
        NOW,
    )


@pytest.mark.parametrize("status", [Interview.Status.NO_SHOW, Interview.Status.HM_NO_SHOW])
def test_nobody_is_marked_absent_before_the_interview_starts(world, upcoming_interview, status):
    with pytest.raises(ValidationError) as refused:
        interview_set_status(actor=world.recruiter, interview=upcoming_interview, status=status)

    assert _messages(refused) == {"status": ["An interview cannot be completed or missed before it starts."]}
    upcoming_interview.refresh_from_db()
    assert upcoming_interview.status == Interview.Status.SCHEDULED


@pytest.mark.parametrize(
    "recorded", [Interview.Status.COMPLETED, Interview.Status.NO_SHOW, Interview.Status.HM_NO_SHOW]
)
@pytest.mark.parametrize("then", [Interview.Status.HM_NO_SHOW, Interview.Status.NO_SHOW, "rescheduled"])
def test_a_recorded_outcome_does_not_change(world, past_interview, recorded, then):
    interview_set_status(actor=world.recruiter, interview=past_interview, status=recorded)

    with pytest.raises(ValidationError) as refused:
        interview_set_status(
            actor=world.recruiter, interview=past_interview, status=then, starts_at=NOW + timedelta(days=1)
        )

    assert list(_messages(refused)) == ["status"]
    assert "outcome is recorded already" in _messages(refused)["status"][0]
    past_interview.refresh_from_db()
    assert past_interview.status == recorded
    assert past_interview.rescheduled_count == 0


def test_an_unknown_outcome_is_refused_by_name(world, past_interview):
    with pytest.raises(ValidationError) as refused:
        interview_set_status(actor=world.recruiter, interview=past_interview, status="postponed")
    assert _messages(refused)["status"][0].startswith("“postponed” is not an interview outcome.")


def test_a_hiring_manager_cannot_record_their_own_no_show_away(world, past_interview):
    with pytest.raises(PermissionDenied):
        interview_set_status(actor=world.hiring_manager, interview=past_interview, status=Interview.Status.COMPLETED)
    past_interview.refresh_from_db()
    assert past_interview.status == Interview.Status.SCHEDULED


# --- rescheduled: a new time through interview_update ---------------------------------------------


def test_rescheduled_moves_the_interview_keeps_it_scheduled_and_counts_a_reschedule(world, past_interview):
    new_start = NOW + timedelta(days=2)

    moved = interview_set_status(
        actor=world.recruiter, interview=past_interview, status="rescheduled", starts_at=new_start
    )

    past_interview.refresh_from_db()
    assert moved.pk == past_interview.pk
    assert past_interview.status == Interview.Status.SCHEDULED
    assert (past_interview.starts_at, past_interview.ends_at) == (new_start, new_start + timedelta(hours=1))
    assert past_interview.rescheduled_count == 1
    assert (moved.starts_at, moved.rescheduled_count) == (new_start, 1)


def test_rescheduled_takes_a_new_end_when_given(world, past_interview):
    new_start = NOW + timedelta(days=2)
    interview_set_status(
        actor=world.recruiter,
        interview=past_interview,
        status="rescheduled",
        starts_at=new_start,
        ends_at=new_start + timedelta(minutes=30),
    )
    past_interview.refresh_from_db()
    assert past_interview.ends_at == new_start + timedelta(minutes=30)


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field", "message"),
    [
        (None, None, "starts_at", "Give the interview's new time."),
        (NOW - timedelta(hours=1), None, "starts_at", "The new time must be in the future."),
        (NOW, None, "starts_at", "The new time must be in the future."),
        (NOW + timedelta(days=1), NOW + timedelta(hours=23), "ends_at", "The interview must end after it starts."),
        (datetime(9999, 12, 31, 23, 0, tzinfo=UTC), None, "starts_at", "Pick a date within 5 years of today"),
    ],
    ids=["missing", "past", "now", "ends-before-it-starts", "year-9999"],
)
def test_a_reschedule_needs_a_sane_future_time(world, past_interview, starts_at, ends_at, field, message):
    with pytest.raises(ValidationError) as refused:
        interview_set_status(
            actor=world.recruiter, interview=past_interview, status="rescheduled", starts_at=starts_at, ends_at=ends_at
        )

    assert list(_messages(refused)) == [field]
    assert _messages(refused)[field][0].startswith(message)
    past_interview.refresh_from_db()
    assert (past_interview.status, past_interview.rescheduled_count) == (Interview.Status.SCHEDULED, 0)
    assert past_interview.starts_at == NOW - timedelta(hours=2)


def test_a_reschedule_to_the_same_time_is_refused(world, upcoming_interview):
    with pytest.raises(ValidationError) as refused:
        interview_set_status(
            actor=world.recruiter,
            interview=upcoming_interview,
            status="rescheduled",
            starts_at=upcoming_interview.starts_at,
        )
    assert list(_messages(refused)) == ["starts_at"]
    upcoming_interview.refresh_from_db()
    assert upcoming_interview.rescheduled_count == 0


def test_a_new_time_goes_with_rescheduled_only(world, past_interview):
    with pytest.raises(ValidationError) as refused:
        interview_set_status(
            actor=world.recruiter,
            interview=past_interview,
            status=Interview.Status.HM_NO_SHOW,
            starts_at=NOW + timedelta(days=1),
        )
    assert list(_messages(refused)) == ["starts_at"]
    past_interview.refresh_from_db()
    assert past_interview.status == Interview.Status.SCHEDULED


def test_an_upcoming_interview_can_be_rescheduled_before_it_starts(world, upcoming_interview):
    interview_set_status(
        actor=world.recruiter, interview=upcoming_interview, status="rescheduled", starts_at=NOW + timedelta(days=3)
    )
    upcoming_interview.refresh_from_db()
    assert upcoming_interview.rescheduled_count == 1


# --- the API: the same outcomes and rules ---------------------------------------------------------


def _status_url(interview) -> str:
    return f"/api/v1/interviews/{interview.pk}/status/"


def test_the_api_records_a_hiring_manager_no_show(world, past_interview, client_for):
    response = client_for(world.recruiter).post(_status_url(past_interview), {"status": "hm_no_show"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "hm_no_show"
    past_interview.refresh_from_db()
    assert past_interview.status == Interview.Status.HM_NO_SHOW


def test_the_api_reschedules_to_a_new_time(world, past_interview, client_for):
    new_start = NOW + timedelta(days=2)
    response = client_for(world.recruiter).post(
        _status_url(past_interview), {"status": "rescheduled", "starts_at": new_start.isoformat()}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "scheduled"
    assert body["starts_at"] == "2026-01-14T15:00:00Z"
    past_interview.refresh_from_db()
    assert past_interview.rescheduled_count == 1


def test_the_api_refuses_what_the_service_refuses_with_a_message_per_field(world, upcoming_interview, client_for):
    client = client_for(world.recruiter)

    early = client.post(_status_url(upcoming_interview), {"status": "hm_no_show"}, format="json")
    assert early.status_code == 400
    assert early.json()["status"] == ["An interview cannot be completed or missed before it starts."]

    past = client.post(
        _status_url(upcoming_interview),
        {"status": "rescheduled", "starts_at": (NOW - timedelta(days=1)).isoformat()},
        format="json",
    )
    assert past.status_code == 400
    assert past.json()["starts_at"] == ["The new time must be in the future."]

    missing = client.post(_status_url(upcoming_interview), {"status": "rescheduled"}, format="json")
    assert missing.status_code == 400
    assert "starts_at" in missing.json()
    upcoming_interview.refresh_from_db()
    assert (upcoming_interview.status, upcoming_interview.rescheduled_count) == (Interview.Status.SCHEDULED, 0)


def test_on_the_api_a_client_user_may_not_and_another_tenant_sees_nothing(world, past_interview, client_for):
    body = {"status": "hm_no_show"}
    assert client_for(world.hiring_manager).post(_status_url(past_interview), body, format="json").status_code == 403
    assert client_for(world.globex_recruiter).post(_status_url(past_interview), body, format="json").status_code == 404
    assert client_for(world.globex_admin).post(_status_url(past_interview), body, format="json").status_code == 404
    past_interview.refresh_from_db()
    assert past_interview.status == Interview.Status.SCHEDULED


# --- the admin: both kinds of no-show --------------------------------------------------------------


@pytest.fixture
def admin_browser(client, world):
    """Pat, the provider's admin, signed in to the back office (like the demo's admin)."""
    world.provider_admin.is_staff = world.provider_admin.is_superuser = True
    world.provider_admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(world.provider_admin)
    return client


@pytest.mark.parametrize(
    ("action", "status"),
    [("mark_no_show", Interview.Status.NO_SHOW), ("mark_hm_no_show", Interview.Status.HM_NO_SHOW)],
)
def test_the_admin_marks_either_kind_of_no_show_through_the_service(admin_browser, world, action, status):
    started = factories.InterviewFactory(
        submission__requisition=world.requisition, starts_at=NOW - timedelta(hours=3), ends_at=NOW - timedelta(hours=2)
    )
    ahead = factories.InterviewFactory(submission__requisition=world.requisition, starts_at=NOW + timedelta(days=1))

    response = admin_browser.post(
        reverse("admin:engagements_interview_changelist"),
        {"action": action, "_selected_action": [started.pk, ahead.pk]},
        follow=True,
    )

    assert response.status_code == 200
    started.refresh_from_db()
    ahead.refresh_from_db()
    assert started.status == status
    assert ahead.status == Interview.Status.SCHEDULED  # refused by the service: it has not started
    assert "before it starts" in response.content.decode()


def test_the_admin_offers_both_kinds_of_no_show(admin_browser, past_interview):
    page = admin_browser.get(reverse("admin:engagements_interview_changelist")).content.decode()
    assert "Mark selected interviews: candidate did not show" in page
    assert "Mark selected interviews: hiring manager did not show" in page


def test_an_interview_of_a_submission_still_at_interview_stage_is_what_gets_recorded(world, past_interview):
    # Recording an outcome leaves the submission where it is: the hiring manager's feedback moves it.
    interview_set_status(actor=world.recruiter, interview=past_interview, status=Interview.Status.HM_NO_SHOW)
    past_interview.submission.refresh_from_db()
    assert past_interview.submission.stage == Submission.Stage.INTERVIEW
