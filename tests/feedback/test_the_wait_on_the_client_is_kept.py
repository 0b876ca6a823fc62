"""Each requisition keeps since when something waits on the client side
(``Requisition.waiting_on_client_since``), so the requisition lists order by it without aggregating
every open request (issue 14). The services keep it; here the real services open, answer, cancel,
hand over and erase, and after each step the stored value is what the one set gives
(``feedback.selectors.requests_waiting_on_client``, computed by ``waiting_kit``)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.models import Requisition, Submission
from engagements.services import candidate_erase, submission_change_stage
from feedback.models import AvailabilityRequest, FeedbackRequest, RequestStatus
from feedback.services import (
    availability_offer_slots,
    feedback_request_open,
    feedback_respond,
    requests_hand_over,
    waiting_on_client_refresh,
)
from tests import factories
from tests.feedback.waiting_kit import oldest_wait_by_requisition


def _stored(*requisitions) -> dict[int, object]:
    return dict(
        Requisition.objects.filter(pk__in=[r.pk for r in requisitions]).values_list("pk", "waiting_on_client_since")
    )


def _computed(*requisitions) -> dict[int, object]:
    oldest = oldest_wait_by_requisition(requisition_ids=[r.pk for r in requisitions])
    return {r.pk: oldest.get(r.pk) for r in requisitions}


def _assert_kept(*requisitions):
    assert _stored(*requisitions) == _computed(*requisitions)


def _to_review(world, requisition, *, days_ago: float):
    """A recruiter puts a candidate in front of the hiring manager ``days_ago`` (the receivers open
    the résumé review then)."""
    submission = factories.SubmissionFactory(requisition=requisition)
    at = timezone.now() - timedelta(days=days_ago)
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter, at=at)
    return submission, FeedbackRequest.objects.get(submission=submission, status=RequestStatus.OPEN)


def test_the_stored_wait_follows_open_answer_cancel_hand_over_and_erase(world):
    requisition, other = world.requisition, world.other_requisition
    _assert_kept(requisition, other)
    assert _stored(requisition)[requisition.pk] is None

    # Open: two résumé reviews, the older one sets the wait.
    first, first_review = _to_review(world, requisition, days_ago=3)
    _, second_review = _to_review(world, requisition, days_ago=1)
    _assert_kept(requisition, other)
    assert _stored(requisition)[requisition.pk] == first_review.created_at

    # Answer (advance): the review closes, an availability request opens now; the second review is oldest.
    feedback_respond(feedback_request=first_review, actor=world.hiring_manager, decision="advance", rating=4)
    _assert_kept(requisition, other)
    assert _stored(requisition)[requisition.pk] == second_review.created_at

    # Answer (hold): nothing new is asked; the availability request is what waits now.
    feedback_respond(feedback_request=second_review, actor=world.hiring_manager, decision="hold", rating=3)
    availability = AvailabilityRequest.objects.get(submission=first, status=RequestStatus.OPEN)
    _assert_kept(requisition, other)
    assert _stored(requisition)[requisition.pk] == availability.created_at

    # Offering slots answers the availability request: nothing waits.
    start = timezone.now() + timedelta(days=3)
    availability_offer_slots(
        availability_request=availability, actor=world.hiring_manager, slots=[(start, start + timedelta(hours=1))]
    )
    _assert_kept(requisition, other)
    assert _stored(requisition)[requisition.pk] is None

    # Hand over: the hiring manager leaves; a request their successor is already asked is cancelled.
    third, third_review = _to_review(world, requisition, days_ago=4)
    fourth, fourth_review = _to_review(world, requisition, days_ago=2)
    feedback_request_open(
        submission=third, kind=FeedbackRequest.Kind.RESUME_REVIEW, requested_of=world.client_admin, at=timezone.now()
    )
    requests_hand_over(user=world.hiring_manager, to=world.client_admin)
    _assert_kept(requisition, other)
    assert FeedbackRequest.objects.get(pk=third_review.pk).status == RequestStatus.CANCELLED
    assert FeedbackRequest.objects.get(pk=fourth_review.pk).requested_of == world.client_admin
    assert _stored(requisition)[requisition.pk] == fourth_review.created_at

    # Erase: a candidate's personal data goes, what waits on the client stays.
    candidate_erase(actor=world.provider_admin, candidate=third.candidate)
    _assert_kept(requisition, other)
    assert _stored(requisition)[requisition.pk] is not None

    # Cancel: the candidates leave the pipeline, their requests are cancelled, nothing waits.
    for submission in (third, fourth):
        submission_change_stage(
            submission=submission,
            to_stage=Submission.Stage.WITHDRAWN,
            withdrawal_reason=Submission.WithdrawalReason.OTHER_OFFER,
            actor=world.recruiter,
        )
    _assert_kept(requisition, other)
    assert _stored(requisition)[requisition.pk] is None


def test_one_requisitions_change_leaves_the_others_alone(world):
    _to_review(world, world.requisition, days_ago=2)
    _, other_review = _to_review(world, world.other_requisition, days_ago=4)
    before = _stored(world.other_requisition)

    _to_review(world, world.requisition, days_ago=5)

    assert _stored(world.other_requisition) == before == {world.other_requisition.pk: other_review.created_at}
    _assert_kept(world.requisition, world.other_requisition)


def test_a_refresh_of_many_requisitions_is_one_statement_whatever_their_number(world):
    requisitions = [world.requisition, world.other_requisition]
    for index in range(6):
        requisition = factories.RequisitionFactory(engagement=world.acme_engagement, code=f"MANY-{index}")
        factories.FeedbackRequestFactory(submission__requisition=requisition)
        requisitions.append(requisition)
    Requisition.objects.update(waiting_on_client_since=None)

    with CaptureQueriesContext(connection) as queries:
        waiting_on_client_refresh(requisition_ids=[r.pk for r in requisitions])

    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 2  # lock the rows, then one UPDATE

    _assert_kept(*requisitions)


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_wait_from_the_requests_already_open():
    requisition = factories.RequisitionFactory()
    factories.FeedbackRequestFactory(submission__requisition=requisition, created_at=timezone.now() - timedelta(days=2))
    factories.AvailabilityRequestFactory(
        submission__requisition=requisition, created_at=timezone.now() - timedelta(days=3)
    )
    quiet = factories.RequisitionFactory(engagement=requisition.engagement)
    Requisition.objects.update(waiting_on_client_since=timezone.now())  # wrong for both

    call_command("migrate", "feedback", "0006", verbosity=0)
    call_command("migrate", "feedback", verbosity=0)

    _assert_kept(requisition, quiet)
    assert _stored(quiet)[quiet.pk] is None
