"""Whatever service levels an engagement already has stored (rows saved before they were
validated), moving a submission and answering a request commit: a due time that cannot be
computed in business hours falls back to the wall-clock hours, capped, with a warning that names
the engagement.

Issue 13, failure 2: with one business hour a week and 720 hours to answer, moving to review and a
hiring manager's "advance" (one-click link included) answered 500 and the answer was rolled back.
"""

import logging
from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse

from engagements.models import Engagement, Submission
from engagements.services import submission_change_stage
from feedback.links import make_token
from feedback.models import AvailabilityRequest, Feedback, FeedbackRequest, RequestStatus
from tests import factories

NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)  # a Monday
ANSWER = {"decision": "advance", "rating": "4", "reasons": ["skills_match"], "comments": "Yes"}

# As an old row could hold them: one business hour a week and 720 hours to answer, or no business
# day at all (the weekday digits were only checked in code).
BAD_ROWS = {
    "one_hour_on_saturdays": {
        "business_weekdays": "6",
        "business_day_start": time(9, 0),
        "business_day_end": time(10, 0),
        "resume_feedback_due_hours": 720,
        "availability_due_hours": 720,
    },
    "no_business_day": {"business_weekdays": "", "resume_feedback_due_hours": 720, "availability_due_hours": 720},
}


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(params=sorted(BAD_ROWS))
def bad_settings(request, world):
    return BAD_ROWS[request.param]


def _store(world, settings_row) -> None:
    """Written straight to the table, as a row saved before the settings were validated."""
    Engagement.objects.filter(pk=world.acme_engagement.pk).update(**settings_row)


def _fell_back(request, caplog, world) -> None:
    """Due in the wall-clock hours (720 h fits in the eight-week bound), with a warning."""
    assert request.due_at == request.created_at + timedelta(hours=720)
    assert request.remind_at <= request.due_at <= request.escalate_at
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert any(f"engagement {world.acme_engagement.pk}" in record.getMessage() for record in warnings)
    assert any("Acme partnership" in record.getMessage() for record in warnings)


@pytest.fixture
def submitted(world) -> Submission:
    return factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.SUBMITTED)


@pytest.fixture
def feedback_request(world) -> FeedbackRequest:
    """Asked while the settings were still sane."""
    submission = factories.SubmissionFactory(requisition=world.requisition, candidate__full_name="Ada Lovelace")
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    return FeedbackRequest.objects.get(submission=submission)


# --- moving to hiring-manager review -------------------------------------------------------------


def test_moving_to_review_on_the_api_commits(world, client_for, submitted, bad_settings, caplog):
    _store(world, bad_settings)

    with caplog.at_level(logging.WARNING):
        response = client_for(world.recruiter).post(
            f"/api/v1/submissions/{submitted.pk}/stage/", {"stage": "hm_review"}, format="json"
        )

    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.stage == Submission.Stage.HM_REVIEW
    _fell_back(FeedbackRequest.objects.get(submission=submitted), caplog, world)


def test_moving_to_review_on_the_page_commits(client, world, submitted, bad_settings, caplog):
    _store(world, bad_settings)
    client.force_login(world.recruiter)

    with caplog.at_level(logging.WARNING):
        response = client.post(
            reverse("partnership:submission-move", kwargs={"pk": submitted.pk}), {"stage": "hm_review"}
        )

    assert response.status_code == 303
    submitted.refresh_from_db()
    assert submitted.stage == Submission.Stage.HM_REVIEW
    _fell_back(FeedbackRequest.objects.get(submission=submitted), caplog, world)


# --- a hiring manager's "advance", which opens an availability request ---------------------------


def _answer_kept(feedback_request, caplog, world) -> None:
    feedback_request.refresh_from_db()
    assert feedback_request.status == RequestStatus.ANSWERED
    assert Feedback.objects.get(request=feedback_request).decision == "advance"
    assert feedback_request.submission.stage == Submission.Stage.INTERVIEW
    _fell_back(AvailabilityRequest.objects.get(submission=feedback_request.submission), caplog, world)


def test_advance_on_the_page_keeps_the_answer(client, world, feedback_request, bad_settings, caplog):
    _store(world, bad_settings)
    client.force_login(world.hiring_manager)

    with caplog.at_level(logging.WARNING):
        response = client.post(reverse("feedback:feedback-respond", kwargs={"pk": feedback_request.pk}), ANSWER)

    assert response.status_code == 303
    _answer_kept(feedback_request, caplog, world)


def test_advance_on_the_api_keeps_the_answer(world, client_for, feedback_request, bad_settings, caplog):
    _store(world, bad_settings)

    with caplog.at_level(logging.WARNING):
        response = client_for(world.hiring_manager).post(
            f"/api/v1/feedback-requests/{feedback_request.pk}/respond/",
            {"decision": "advance", "rating": 4, "reasons": ["skills_match"]},
            format="json",
        )

    assert response.status_code == 201
    _answer_kept(feedback_request, caplog, world)


def test_advance_through_the_one_click_link_keeps_the_answer(client, world, feedback_request, bad_settings, caplog):
    _store(world, bad_settings)
    token = make_token(kind="feedback", request_id=feedback_request.pk, user_id=world.hiring_manager.pk)

    page_url = client.get(reverse("feedback:respond-link", kwargs={"token": token}))["Location"]
    with caplog.at_level(logging.WARNING):
        response = client.post(page_url, ANSWER)

    assert response.status_code == 303
    _answer_kept(feedback_request, caplog, world)


# --- a due time that could be computed, but years away ---------------------------------------------


def test_a_due_time_years_away_is_capped_too(world, client_for, submitted, caplog):
    """300 hours at one business hour a week is almost six years: computable, but no due time."""
    _store(world, {**BAD_ROWS["one_hour_on_saturdays"], "resume_feedback_due_hours": 300})

    with caplog.at_level(logging.WARNING):
        response = client_for(world.recruiter).post(
            f"/api/v1/submissions/{submitted.pk}/stage/", {"stage": "hm_review"}, format="json"
        )

    assert response.status_code == 200
    request = FeedbackRequest.objects.get(submission=submitted)
    assert request.due_at == NOW + timedelta(hours=300)
    assert "Acme partnership" in caplog.text


def test_sane_settings_still_count_business_hours(world, client_for, submitted, caplog):
    with caplog.at_level(logging.WARNING):
        client_for(world.recruiter).post(
            f"/api/v1/submissions/{submitted.pk}/stage/", {"stage": "hm_review"}, format="json"
        )

    # Monday 15:00 UTC plus 24 business hours of 09:00–17:00 (UTC) is Thursday 15:00.
    assert FeedbackRequest.objects.get(submission=submitted).due_at == NOW + timedelta(days=3)
    assert "fell back" not in caplog.text
