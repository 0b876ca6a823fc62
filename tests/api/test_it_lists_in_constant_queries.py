"""Every list endpoint makes the same number of queries for 5 rows as for 50, and at most 10."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from engagements.models import Assignment, Submission
from feedback.models import Reminder, RequestStatus

from .. import factories

MAX_QUERIES = 10


def _requisition(world, n):
    """A requisition with a primary who is away and a backup: coverage has something to compute."""
    requisition = factories.RequisitionFactory(engagement=world.acme_engagement, hiring_manager=world.hiring_manager)
    primary = factories.UserFactory(organization=world.provider, role=User.Role.RECRUITER)
    backup = factories.UserFactory(organization=world.provider, role=User.Role.RECRUITER)
    factories.AssignmentFactory(requisition=requisition, recruiter=primary, role=Assignment.Role.PRIMARY)
    factories.AssignmentFactory(requisition=requisition, recruiter=backup, role=Assignment.Role.BACKUP)
    if n % 2:
        factories.OutOfOfficeFactory(user=primary, backup=backup)
    return requisition


def _engagement(world, n):
    engagement = factories.EngagementFactory(provider=world.provider, client=world.acme, name=f"Acme wave {n}")
    engagement.account_managers.set([world.account_manager, world.provider_admin])
    factories.RequisitionFactory(engagement=engagement, hiring_manager=world.hiring_manager)
    return engagement


def _submission(world, n):
    return factories.SubmissionFactory(requisition=_requisition(world, n), stage=Submission.Stage.HM_REVIEW)


def _interview(world, n):
    return factories.InterviewFactory(
        submission__requisition=world.requisition, interviewers=[world.hiring_manager, world.recruiter]
    )


def _candidate(world, n):
    return factories.CandidateFactory(engagement=world.acme_engagement)


def _absence(world, n):
    start = timezone.now() + timedelta(days=n)
    return factories.OutOfOfficeFactory(
        user=world.recruiter, backup=world.sourcer, starts_at=start, ends_at=start + timedelta(hours=8)
    )


def _user(world, n):
    return factories.UserFactory(organization=world.acme, role=User.Role.HIRING_MANAGER)


def _feedback_request(world, n):
    """On its own requisition and candidate; answered every other time, with a reminder history."""
    submission = _submission(world, n)
    request = factories.FeedbackRequestFactory(submission=submission)
    factories.ReminderFactory(feedback_request=request, level=Reminder.Level.REQUESTED)
    factories.ReminderFactory(feedback_request=request, level=Reminder.Level.DUE_SOON)
    if n % 2:
        factories.FeedbackFactory(request=request, given_by=factories.UserFactory(organization=world.acme))
    return request


def _availability_request(world, n):
    """Offered slots and a booked interview every other time, open otherwise."""
    submission = factories.SubmissionFactory(requisition=_requisition(world, n), stage=Submission.Stage.INTERVIEW)
    if n % 2:
        return factories.AvailabilityRequestFactory(submission=submission)
    request = factories.AvailabilityRequestFactory(
        submission=submission,
        status=RequestStatus.ANSWERED,
        booked_interview=factories.InterviewFactory(submission=submission),
    )
    factories.AvailabilitySlotFactory.create_batch(2, request=request)
    factories.ReminderFactory(feedback_request=None, availability_request=request, level=Reminder.Level.REQUESTED)
    return request


LISTS = [
    ("engagements", _engagement),
    ("requisitions", _requisition),
    ("assignments", lambda world, n: _requisition(world, n).assignments.first()),
    ("candidates", _candidate),
    ("submissions", _submission),
    ("interviews", _interview),
    ("out-of-office", _absence),
    ("users", _user),
    ("feedback-requests", _feedback_request),
    ("availability-requests", _availability_request),
]


def _count_queries(client, route, query):
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"/api/v1/{route}/", {"page_size": 200, **query})
    assert response.status_code == 200, response.content
    return len(context.captured_queries), response.json()["count"]


@pytest.mark.parametrize("persona", ["provider_admin", "recruiter", "client_admin", "hiring_manager"])
@pytest.mark.parametrize(("route", "make"), LISTS, ids=[name for name, _ in LISTS])
def test_list_queries_do_not_grow_with_rows(world, client_for, route, make, persona):
    client = client_for(getattr(world, persona))
    query = (
        {"ordering": "-id", "mine": "1"} if route in ("requisitions", "submissions") and persona == "recruiter" else {}
    )
    if route in ("feedback-requests", "availability-requests") and persona == "hiring_manager":
        query = {"mine": "1", "overdue": "0", "ordering": "-due_at"}
    for n in range(5):
        make(world, n)
    few, _ = _count_queries(client, route, query)
    for n in range(5, 50):
        make(world, n)
    many, many_rows = _count_queries(client, route, query)
    assert few == many, (few, many)
    assert many <= MAX_QUERIES
    if persona == "provider_admin":
        assert many_rows >= 50
