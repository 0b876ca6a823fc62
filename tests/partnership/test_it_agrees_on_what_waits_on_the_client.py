"""What waits on the client's hiring managers is one set, read by one selector
(``feedback.selectors.requests_waiting_on_client``): the account manager's inbox lists it, their
requisitions page counts it per requisition, and the engagement list counts its overdue part."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.models import Submission
from engagements.services import submission_change_stage
from feedback.models import AvailabilityRequest, FeedbackRequest
from feedback.services import availability_request_open, feedback_respond
from tests import factories

WEEK = timedelta(days=7)


def _ask(world, requisition, name: str) -> FeedbackRequest:
    submission = factories.SubmissionFactory(requisition=requisition, candidate__full_name=name)
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.provider_admin)
    return FeedbackRequest.objects.get(submission=submission)


def _make_overdue(request) -> None:
    type(request).objects.filter(pk=request.pk).update(
        remind_at=F("remind_at") - WEEK, due_at=F("due_at") - WEEK, escalate_at=F("escalate_at") - WEEK
    )


def _waiting_history(world, count: int = 1) -> None:
    """In Acme (the account manager's): per round, three open reviews (one overdue), an overdue
    availability request, one answered review; in Globex (not theirs): two open reviews."""
    for round_number in range(count):
        tag = f"{round_number}-"
        _ask(world, world.requisition, f"{tag}Open One")
        _ask(world, world.other_requisition, f"{tag}Open Two")
        _make_overdue(_ask(world, world.other_requisition, f"{tag}Late Three"))
        slots = availability_request_open(
            submission=factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW),
            requested_of=world.hiring_manager,
        )
        _make_overdue(slots)
        answered = _ask(world, world.requisition, f"{tag}Answered")
        feedback_respond(feedback_request=answered, actor=world.hiring_manager, decision="hold", rating=3)
        _ask(world, world.globex_requisition, f"{tag}Globex One")
        _ask(world, world.globex_requisition, f"{tag}Globex Two")


def test_the_account_managers_inbox_requisitions_page_and_engagement_list_agree(client, world):
    _waiting_history(world)
    client.force_login(world.account_manager)

    inbox = client.get(reverse("feedback:inbox"))
    requisitions = client.get(reverse("partnership:requisition-list"), {"status": "all"})
    engagements = client.get(reverse("partnership:engagement-list"))

    # The inbox lists them all: not "Waiting on hiring managers (0)".
    assert inbox.context["waiting_total"] == 4
    assert inbox.context["waiting_overdue"] == 2
    listed = {item.url for item in inbox.context["waiting"]}
    expected = {
        reverse("feedback:feedback-respond", kwargs={"pk": pk})
        for pk in FeedbackRequest.objects.filter(
            status="open", submission__requisition__engagement=world.acme_engagement
        ).values_list("pk", flat=True)
    } | {
        reverse("feedback:availability-respond", kwargs={"pk": pk})
        for pk in AvailabilityRequest.objects.filter(
            status="open", submission__requisition__engagement=world.acme_engagement
        ).values_list("pk", flat=True)
    }
    assert listed == expected
    assert 'Waiting on hiring managers <span class="muted small">(4, 2 overdue)' in inbox.content.decode()

    # The requisitions page counts the same requests, per requisition.
    rows = requisitions.context["rows"]
    assert sum(row.waiting_count for row in rows) == inbox.context["waiting_total"]
    per_requisition = {row.requisition.code: row.waiting_count for row in rows}
    assert per_requisition == {"ACME-1": 2, "ACME-2": 2}
    assert {item.requisition.code for item in inbox.context["waiting"]} == {"ACME-1", "ACME-2"}

    # The engagement list's "overdue now, client side" is the overdue part of that set.
    [acme_row] = [row for row in engagements.context["rows"] if row.engagement == world.acme_engagement]
    assert acme_row.overdue_client == inbox.context["waiting_overdue"]


@pytest.mark.parametrize("persona", ["account_manager", "provider_admin"])
def test_the_staff_inbox_costs_the_same_queries_with_three_times_the_data(
    client, world, persona, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr("feedback.views.INBOX_LIMIT", 5)  # several pages with the larger data
    _waiting_history(world, count=2)
    client.force_login(getattr(world, persona))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("feedback:inbox")).status_code == 200
    _waiting_history(world, count=4)
    with django_assert_max_num_queries(len(queries)):
        page = client.get(reverse("feedback:inbox"), {"page": 2})
    assert page.context["page"].number == 2
    assert len(page.context["waiting"]) == 5
