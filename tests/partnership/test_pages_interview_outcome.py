"""The recruiter records what became of an interview from the requisition page: completed,
the candidate or the hiring manager did not show, or rescheduled to a new time."""

import html
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from engagements.models import Interview
from feedback.models import FeedbackRequest
from tests import factories

from .requisition_kit import count_queries
from .requisition_kit import text as tagless

# Monday 12 January 2026, 10:00 in New York (the personas' zone).
NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def interview(world):
    """Ada's interview on Acme's requisition: it started an hour ago and waits for its outcome."""
    return factories.InterviewFactory(
        submission__requisition=world.requisition,
        submission__candidate__full_name="Ada Lovelace",
        starts_at=NOW - timedelta(hours=1),
        ends_at=NOW,
        location="Room 4",
    )


def _url(interview) -> str:
    return reverse("partnership:interview-outcome", kwargs={"pk": interview.pk})


def _detail(requisition) -> str:
    return reverse("partnership:requisition-detail", kwargs={"pk": requisition.pk})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def text(response) -> str:
    """The page as a person reads it: tags removed, entities (the apostrophes) read back."""
    return html.unescape(tagless(response))


def _status(interview) -> str:
    interview.refresh_from_db()
    return interview.status


# --- who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["recruiter", "sourcer", "account_manager", "provider_admin"])
def test_the_engagements_provider_staff_open_the_outcome_page(client, world, interview, persona):
    client.force_login(getattr(world, persona))

    response = client.get(_url(interview))

    assert response.status_code == 200
    page = text(response)
    assert "How did the interview with Ada Lovelace go?" in page
    assert "Mon 12 Jan 2026, 09:00–10:00 (America/New_York)" in page
    for label in ("Completed", "Candidate did not show", "Hiring manager did not show", "Rescheduled to a new time"):
        assert label in page


@pytest.mark.parametrize("persona", ["hiring_manager", "client_admin"])
def test_the_clients_people_see_the_interview_but_may_not_record_its_outcome(client, world, interview, persona):
    client.force_login(getattr(world, persona))

    assert client.get(_url(interview)).status_code == 403
    assert client.post(_url(interview), {"outcome": "completed"}).status_code == 403
    assert _status(interview) == Interview.Status.SCHEDULED


@pytest.mark.parametrize(
    "persona", ["idle_recruiter", "globex_recruiter", "globex_hiring_manager", "globex_admin", "other_hiring_manager"]
)
def test_people_who_do_not_see_the_interview_get_not_found(client, world, interview, persona):
    client.force_login(getattr(world, persona))

    assert client.get(_url(interview)).status_code == 404
    assert client.post(_url(interview), {"outcome": "hm_no_show"}).status_code == 404
    assert _status(interview) == Interview.Status.SCHEDULED


def test_an_interview_that_does_not_exist_is_not_found(client, world):
    client.force_login(world.recruiter)
    assert client.get(reverse("partnership:interview-outcome", kwargs={"pk": 999999})).status_code == 404


def test_signing_in_comes_first(client, interview):
    response = client.get(_url(interview))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- recording: post, redirect (303), get ---------------------------------------------------------


def test_recruiter_records_that_the_hiring_manager_did_not_show(client, world, interview):
    client.force_login(world.recruiter)

    response = client.post(_url(interview), {"outcome": "hm_no_show"})

    assert response.status_code == 303
    assert response["Location"] == _detail(world.requisition)
    assert _status(interview) == Interview.Status.HM_NO_SHOW
    assert _messages(response) == [
        f"Recorded: the hiring manager, {world.hiring_manager.display_name}, did not show up for the interview "
        "with Ada Lovelace. It counts on the client's side of the scorecard."
    ]


def test_recruiter_records_that_the_candidate_did_not_show(client, world, interview):
    client.force_login(world.recruiter)

    response = client.post(_url(interview), {"outcome": "no_show"}, follow=True)

    assert response.redirect_chain == [(_detail(world.requisition), 303)]
    assert _status(interview) == Interview.Status.NO_SHOW
    assert "Recorded: Ada Lovelace did not show up for the interview." in text(response)
    assert "provider's side of the scorecard" in text(response)


def test_completed_opens_the_post_interview_feedback_request_and_says_who_is_asked(client, world, interview):
    client.force_login(world.recruiter)

    response = client.post(_url(interview), {"outcome": "completed"})

    assert response.status_code == 303
    assert _status(interview) == Interview.Status.COMPLETED
    request = FeedbackRequest.objects.get(interview=interview)
    assert (request.kind, request.requested_of) == (FeedbackRequest.Kind.INTERVIEW, world.hiring_manager)
    [message] = _messages(response)
    assert message.startswith(
        f"Recorded: the interview with Ada Lovelace took place. {world.hiring_manager.display_name} is asked for "
        "feedback on it."
    )


def test_rescheduled_moves_the_interview_to_the_new_time_in_the_recruiters_zone(client, world, interview):
    client.force_login(world.recruiter)

    response = client.post(
        _url(interview),
        {"outcome": "rescheduled", "new-date": "2026-01-14", "new-start": "14:30", "new-duration": "45"},
    )

    assert response.status_code == 303
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED
    # 14:30 in New York in January is 19:30 UTC.
    assert interview.starts_at == datetime(2026, 1, 14, 19, 30, tzinfo=UTC)
    assert interview.ends_at == datetime(2026, 1, 14, 20, 15, tzinfo=UTC)
    assert interview.rescheduled_count == 1
    [message] = _messages(response)
    assert message.startswith("The interview with Ada Lovelace is moved to Wed 14 Jan, 14:30 (America/New_York)")
    assert "counts as a reschedule on the client's side" in message


def test_a_new_time_is_ignored_with_another_outcome(client, world, interview):
    client.force_login(world.recruiter)

    response = client.post(_url(interview), {"outcome": "hm_no_show", "new-date": "1999-01-01", "new-start": "x"})

    assert response.status_code == 303
    interview.refresh_from_db()
    assert (interview.status, interview.starts_at) == (Interview.Status.HM_NO_SHOW, NOW - timedelta(hours=1))


def test_after_recording_the_pipeline_no_longer_asks_for_the_outcome(client, world, interview):
    client.force_login(world.recruiter)
    assert "Record outcome" in text(client.get(_detail(world.requisition)))

    response = client.post(_url(interview), {"outcome": "completed"}, follow=True)

    assert "Record outcome" not in text(response)


# --- refusals: re-rendered with 400, nothing changed ----------------------------------------------


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({}, "Choose what became of the interview."),
        ({"outcome": "postponed"}, "Choose one of the outcomes listed."),
        ({"outcome": "rescheduled"}, "Give the interview's new time."),
        (
            {"outcome": "rescheduled", "new-date": "2026-01-11", "new-start": "10:00", "new-duration": "60"},
            "The new time must be in the future.",
        ),
        (
            {"outcome": "rescheduled", "new-date": "2026-01-12", "new-start": "09:30", "new-duration": "60"},
            "The new time must be in the future.",
        ),
        (
            {"outcome": "rescheduled", "new-date": "9999-12-31", "new-start": "23:30", "new-duration": "120"},
            "Pick a date within 5 years of today",
        ),
        ({"outcome": "rescheduled", "new-date": "2026-13-45", "new-start": "10:00"}, "Enter a valid date."),
        ({"outcome": "rescheduled", "new-date": "2026-01-14"}, "Pick a start time."),
        (
            {"outcome": "rescheduled", "new-date": "2026-03-08", "new-start": "02:30", "new-duration": "60"},
            "does not exist on 08 Mar 2026 in America/New_York",
        ),
    ],
    ids=["nothing", "unknown", "no-new-time", "yesterday", "earlier-today", "year-9999", "bad-date", "no-start", "dst"],
)
def test_a_refused_outcome_is_shown_again_with_400_and_changes_nothing(client, world, interview, form, says):
    client.force_login(world.recruiter)

    response = client.post(_url(interview), form)

    assert response.status_code == 400
    assert says in text(response)
    assert "How did the interview with Ada Lovelace go?" in text(response)
    interview.refresh_from_db()
    assert (interview.status, interview.rescheduled_count) == (Interview.Status.SCHEDULED, 0)
    assert interview.starts_at == NOW - timedelta(hours=1)


def test_the_chosen_outcome_and_new_time_are_kept_when_shown_again(client, world, interview):
    client.force_login(world.recruiter)

    response = client.post(
        _url(interview),
        {"outcome": "rescheduled", "new-date": "2026-01-11", "new-start": "10:00", "new-duration": "45"},
    )

    page = response.content.decode()
    assert 'value="rescheduled" checked' in page
    assert 'value="2026-01-11"' in page
    assert '<option value="45" selected>' in page


def test_an_interview_that_has_not_started_cannot_be_marked_missed(client, world):
    upcoming = factories.InterviewFactory(submission__requisition=world.requisition, starts_at=NOW + timedelta(hours=3))
    client.force_login(world.recruiter)
    assert "has not started yet" in text(client.get(_url(upcoming)))

    response = client.post(_url(upcoming), {"outcome": "hm_no_show"})

    assert response.status_code == 400
    assert "An interview cannot be completed or missed before it starts." in text(response)
    assert _status(upcoming) == Interview.Status.SCHEDULED


def test_a_recorded_outcome_is_shown_and_cannot_be_recorded_again(client, world, interview):
    client.force_login(world.recruiter)
    assert client.post(_url(interview), {"outcome": "no_show"}).status_code == 303

    shown = client.get(_url(interview))
    assert shown.status_code == 200
    assert "Its outcome is recorded: Candidate did not show . It cannot change." in text(shown)
    assert 'name="outcome"' not in shown.content.decode()

    again = client.post(_url(interview), {"outcome": "hm_no_show"})
    assert again.status_code == 400
    assert "This interview's outcome is recorded already (candidate did not show): it cannot change." in text(again)
    assert _status(interview) == Interview.Status.NO_SHOW


# --- the requisition page lists what waits for an outcome -----------------------------------------


def test_the_requisition_page_offers_record_outcome_for_started_scheduled_interviews_only(client, world, interview):
    upcoming = factories.InterviewFactory(submission__requisition=world.requisition, starts_at=NOW + timedelta(hours=3))
    recorded = factories.InterviewFactory(
        submission__requisition=world.requisition, starts_at=NOW - timedelta(days=2), status=Interview.Status.COMPLETED
    )
    client.force_login(world.recruiter)

    page = client.get(_detail(world.requisition)).content.decode()

    assert page.count("Record outcome<") == 1
    assert _url(interview) in page
    assert _url(upcoming) not in page
    assert _url(recorded) not in page
    assert "1 interview waiting for an outcome" in text(client.get(_detail(world.requisition)))


@pytest.mark.parametrize("persona", ["hiring_manager", "client_admin"])
def test_the_clients_people_are_not_offered_record_outcome(client, world, interview, persona):
    client.force_login(getattr(world, persona))
    page = client.get(_detail(world.requisition)).content.decode()
    assert "Record outcome" not in page
    assert _url(interview) not in page


def _waiting_interviews(world, count: int) -> None:
    for number in range(count):
        factories.InterviewFactory(
            submission__requisition=world.requisition,
            submission__candidate__full_name=f"Waiting {number}",
            starts_at=NOW - timedelta(hours=number + 1),
        )


def test_the_requisition_page_costs_the_same_queries_for_5_and_50_interviews_waiting(client, world):
    _waiting_interviews(world, 5)
    client.force_login(world.recruiter)
    with_five = count_queries(client, _detail(world.requisition))

    _waiting_interviews(world, 45)
    with_fifty = count_queries(client, _detail(world.requisition))

    assert with_fifty == with_five
    assert text(client.get(_detail(world.requisition))).count("Outcome to record") == 50
