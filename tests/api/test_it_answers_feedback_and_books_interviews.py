"""feedback-requests and availability-requests: the hiring manager's inbox through the API, the
``respond``, ``slots`` and ``book`` actions doing what the product says, and the list filters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagements.models import Interview, Submission
from engagements.services import submission_change_stage
from feedback.models import AvailabilityRequest, Feedback, FeedbackRequest, Reminder, RequestStatus

from .. import factories


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def in_review(world):
    """A submission the recruiter has just put in front of the hiring manager (the receivers
    open the résumé review)."""
    submission = factories.SubmissionFactory(requisition=world.requisition)
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    return submission


def test_a_hiring_manager_answers_offers_slots_and_the_recruiter_books(world, client_for, in_review):
    hiring_manager = client_for(world.hiring_manager)
    inbox = hiring_manager.get("/api/v1/feedback-requests/", {"mine": 1, "status": "open"}).json()["results"]
    assert len(inbox) == 1
    row = inbox[0]
    assert row["kind"] == "resume_review"
    assert row["submission"] == in_review.pk
    assert row["requested_of"] == {"id": world.hiring_manager.pk, "full_name": world.hiring_manager.full_name}
    assert row["candidate"]["full_name"] == in_review.candidate.full_name
    assert row["requisition"] == {
        "id": world.requisition.pk,
        "code": "ACME-1",
        "title": world.requisition.title,
        "hiring_manager": world.hiring_manager.pk,
    }
    assert row["engagement"] == world.acme_engagement.pk
    assert (row["status"], row["overdue"], row["feedback"], row["answered_at"]) == ("open", False, None, None)
    assert [(reminder["level"], reminder["recipient"]["id"]) for reminder in row["reminders"]] == [
        ("requested", world.hiring_manager.pk)
    ]

    response = hiring_manager.post(
        f"/api/v1/feedback-requests/{row['id']}/respond/",
        {"decision": "advance", "rating": 5, "reasons": ["skills_match", "communication"], "comments": " Great. "},
        format="json",
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["decision"] == "advance"
    assert answer["rating"] == 5
    assert answer["reasons"] == ["skills_match", "communication"]
    assert answer["comments"] == "Great."
    assert answer["channel"] == "api"
    assert answer["given_by"]["id"] == world.hiring_manager.pk
    assert answer["request"] == row["id"]

    detail = hiring_manager.get(f"/api/v1/feedback-requests/{row['id']}/").json()
    assert detail["status"] == "answered"
    assert detail["answered_at"] is not None
    assert detail["feedback"] == answer
    in_review.refresh_from_db()
    assert in_review.stage == Submission.Stage.INTERVIEW

    # The advance asked the hiring manager for availability: it is in their inbox now.
    asked = hiring_manager.get("/api/v1/availability-requests/", {"mine": 1, "status": "open"}).json()["results"]
    assert [request["submission"] for request in asked] == [in_review.pk]
    availability_id = asked[0]["id"]
    start = (timezone.now() + timedelta(days=4)).replace(hour=9, minute=0, second=0, microsecond=0)
    response = hiring_manager.post(
        f"/api/v1/availability-requests/{availability_id}/slots/",
        {
            "slots": [
                {
                    "starts_at": start.strftime("%Y-%m-%dT%H:%M:%S-05:00"),
                    "ends_at": start.strftime("%Y-%m-%dT10:00:00-05:00"),
                },
                {
                    "starts_at": start.strftime("%Y-%m-%dT14:00:00-05:00"),
                    "ends_at": start.strftime("%Y-%m-%dT15:00:00-05:00"),
                },
            ]
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    offered = response.json()
    assert offered["status"] == "answered"
    assert [slot["starts_at"][11:16] for slot in offered["slots"]] == ["14:00", "19:00"]  # stored in UTC

    response = client_for(world.recruiter).post(
        f"/api/v1/availability-requests/{availability_id}/book/",
        {"slot": offered["slots"][1]["id"], "location": "Acme HQ, room 4"},
        format="json",
    )
    assert response.status_code == 201, response.content
    interview = response.json()
    assert interview["submission"] == in_review.pk
    assert interview["starts_at"] == offered["slots"][1]["starts_at"]
    assert interview["location"] == "Acme HQ, room 4"
    assert interview["interviewers"] == [world.hiring_manager.pk]
    assert interview["status"] == Interview.Status.SCHEDULED
    assert (
        hiring_manager.get(f"/api/v1/availability-requests/{availability_id}/").json()["booked_interview"]
        == (interview["id"])
    )


def test_a_reject_closes_the_submission(world, client_for, in_review):
    request = FeedbackRequest.objects.get(submission=in_review)
    response = client_for(world.hiring_manager).post(
        f"/api/v1/feedback-requests/{request.pk}/respond/",
        {"decision": "reject", "rating": 2, "reasons": ["experience_gap"], "comments": ""},
        format="json",
    )
    assert response.status_code == 201, response.content
    in_review.refresh_from_db()
    assert in_review.stage == Submission.Stage.REJECTED
    assert not AvailabilityRequest.objects.filter(submission=in_review).exists()


def test_reasons_and_comments_may_be_left_out(world, client_for, in_review):
    request = FeedbackRequest.objects.get(submission=in_review)
    response = client_for(world.hiring_manager).post(
        f"/api/v1/feedback-requests/{request.pk}/respond/", {"decision": "hold", "rating": 3}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["reasons"], response.json()["comments"]) == ([], "")
    in_review.refresh_from_db()
    assert in_review.stage == Submission.Stage.HM_REVIEW


def test_the_interviewer_on_the_panel_answers_the_post_interview_request(pipeline, client_for):
    request = pipeline.feedback_requests["acme2_panel"]
    # The requisition's own hiring manager sees it but it is not theirs to answer.
    body = {"decision": "advance", "rating": 4, "reasons": [], "comments": "Good panel."}
    url = f"/api/v1/feedback-requests/{request.pk}/respond/"
    assert client_for(pipeline.world.other_hiring_manager).post(url, body, format="json").status_code == 403
    response = client_for(pipeline.world.hiring_manager).post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert Feedback.objects.get(request=request).given_by == pipeline.world.hiring_manager


def test_answering_twice_is_a_409_and_keeps_the_first_answer(world, client_for, in_review):
    request = FeedbackRequest.objects.get(submission=in_review)
    client = client_for(world.hiring_manager)
    url = f"/api/v1/feedback-requests/{request.pk}/respond/"
    assert client.post(url, {"decision": "hold", "rating": 3}, format="json").status_code == 201
    response = client.post(url, {"decision": "reject", "rating": 1}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "This request is already answered."}
    assert Feedback.objects.get(request=request).decision == Feedback.Decision.HOLD


def test_a_refused_answer_writes_nothing(world, client_for, in_review):
    request = FeedbackRequest.objects.get(submission=in_review)
    client_for(world.hiring_manager).post(
        f"/api/v1/feedback-requests/{request.pk}/respond/", {"decision": "advance", "rating": 9}, format="json"
    )
    client_for(world.recruiter).post(
        f"/api/v1/feedback-requests/{request.pk}/respond/", {"decision": "advance", "rating": 3}, format="json"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert not Feedback.objects.exists()


def test_booking_needs_offered_slots(world, client_for):
    open_request = factories.AvailabilityRequestFactory(submission__requisition=world.requisition)
    slot_elsewhere = factories.AvailabilitySlotFactory()
    response = client_for(world.recruiter).post(
        f"/api/v1/availability-requests/{open_request.pk}/book/", {"slot": slot_elsewhere.pk}, format="json"
    )
    assert response.status_code == 400
    assert "does not exist among the slots offered" in response.json()["slot"][0]
    assert not Interview.objects.filter(submission=open_request.submission).exists()


def test_the_reminder_history_is_on_each_request_oldest_first(world, client_for):
    request = factories.FeedbackRequestFactory(submission__requisition=world.requisition)
    escalation = factories.ReminderFactory(
        feedback_request=request,
        level=Reminder.Level.ESCALATION,
        recipient=world.client_admin,
        status=Reminder.Status.PENDING,
        sent_at=None,
    )
    factories.ReminderFactory(
        feedback_request=request, level=Reminder.Level.DUE_SOON, created_at=escalation.created_at - timedelta(hours=1)
    )
    reminders = client_for(world.client_admin).get(f"/api/v1/feedback-requests/{request.pk}/").json()["reminders"]
    assert [(r["level"], r["recipient"]["id"], r["status"], r["sent_at"] is None) for r in reminders] == [
        ("due_soon", world.hiring_manager.pk, "sent", False),
        ("escalation", world.client_admin.pk, "pending", True),
    ]


def test_feedback_requests_filter_by_status_overdue_engagement_requisition_kind_and_mine(pipeline, client_for):
    world = pipeline.world
    requests = pipeline.feedback_requests
    late = requests["acme2"]
    FeedbackRequest.objects.filter(pk=late.pk).update(
        remind_at=timezone.now() - timedelta(hours=6),
        due_at=timezone.now() - timedelta(hours=2),
        escalate_at=timezone.now() + timedelta(hours=4),
    )
    answered = factories.FeedbackFactory(request__submission__requisition=world.requisition).request
    client = client_for(world.provider_admin)
    url = "/api/v1/feedback-requests/"

    assert _ids(client.get(url, {"status": "answered"})) == [answered.pk]
    assert _ids(client.get(url, {"overdue": 1})) == [late.pk]
    assert _ids(client.get(url, {"overdue": "true"})) == [late.pk]
    everything = {request.pk for request in requests.values()} | {answered.pk}
    assert set(_ids(client.get(url, {"overdue": 0}))) == everything - {late.pk}
    assert set(_ids(client.get(url, {"engagement": world.globex_engagement.pk}))) == {requests["glx1"].pk}
    assert set(_ids(client.get(url, {"requisition": world.other_requisition.pk}))) == {
        requests["acme2"].pk,
        requests["acme2_panel"].pk,
    }
    assert _ids(client.get(url, {"kind": "interview"})) == [requests["acme2_panel"].pk]
    # Mine: asked of me, or about a requisition I work on or manage.
    mine = set(_ids(client_for(world.hiring_manager).get(url, {"mine": 1})))
    assert mine == {requests["acme1"].pk, requests["acme2_panel"].pk, answered.pk}
    assert set(_ids(client_for(world.recruiter).get(url, {"mine": 1}))) == {requests["acme1"].pk, answered.pk}
    assert _ids(client_for(world.client_admin).get(url, {"mine": 1})) == []
    # Another tenant's id in a filter finds nothing.
    assert _ids(client_for(world.globex_admin).get(url, {"requisition": world.requisition.pk})) == []


def test_feedback_requests_order_by_due_created_and_answered_times(pipeline, client_for):
    requests = pipeline.feedback_requests
    for hours, key in enumerate(["glx1", "acme2", "acme1", "acme2_panel"]):
        FeedbackRequest.objects.filter(pk=requests[key].pk).update(
            due_at=timezone.now() + timedelta(days=1, hours=hours)
        )
    client = client_for(pipeline.world.provider_admin)
    by_due = [requests[key].pk for key in ["glx1", "acme2", "acme1", "acme2_panel"]]
    assert _ids(client.get("/api/v1/feedback-requests/")) == by_due
    assert _ids(client.get("/api/v1/feedback-requests/", {"ordering": "-due_at"})) == by_due[::-1]
    assert (
        _ids(client.get("/api/v1/feedback-requests/", {"ordering": "-created_at,id"}))[0] == requests["acme2_panel"].pk
    )
    assert client.get("/api/v1/feedback-requests/", {"ordering": "answered_at"}).status_code == 200


def test_availability_requests_filter_by_status_overdue_requisition_and_mine(pipeline, client_for):
    world = pipeline.world
    requests = pipeline.availability_requests
    client = client_for(world.provider_admin)
    url = "/api/v1/availability-requests/"
    assert _ids(client.get(url, {"status": "answered"})) == [requests["acme1_offered"].pk]
    assert set(_ids(client.get(url, {"requisition": world.requisition.pk}))) == {
        requests["acme1"].pk,
        requests["acme1_offered"].pk,
    }
    assert _ids(client.get(url, {"overdue": 1})) == []
    assert set(_ids(client_for(world.other_hiring_manager).get(url, {"mine": 1}))) == {requests["acme2"].pk}
    offered = client.get(f"{url}{requests['acme1_offered'].pk}/").json()
    assert [slot["id"] for slot in offered["slots"]] == [slot.pk for slot in pipeline.slots["acme1_offered"]]
    assert offered["booked_interview"] is None
