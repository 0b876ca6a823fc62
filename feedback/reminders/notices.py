"""Telling the provider side, through the outbox (``rpo_portal.outbox``): the covering recruiter
hears about feedback and about slots offered (with a link straight to booking) at once, and both
sides of a booked interview get an invitation with an .ics.

The services record the email with the answer, the offer or the booking
(``feedback_received_enqueue``, ``slots_offered_enqueue``, ``interview_invitations_enqueue``), in
the same transaction, once per feedback, offer or interview (the outbox's unique key). The worker
builds the messages when it sends them, so the recruiter is whoever covers the requisition at that
moment (``requisition_covering_recruiters``: the backup while the primary is out of office).
Retries, leases and the sweep are the outbox's.
"""

from __future__ import annotations

from datetime import datetime

from engagements.models import Interview
from engagements.selectors import requisition_covering_recruiters
from rpo_portal.models import OutboundEmail
from rpo_portal.outbox import NothingToSend, email_builder, outbox_enqueue

from .. import notifications
from ..models import AvailabilityRequest, Feedback, RequestStatus, slots_marked_outside_business_hours

FEEDBACK_RECEIVED = "feedback.feedback_received"
INTERVIEW_INVITATIONS = "feedback.interview_invitations"
SLOTS_OFFERED = "feedback.slots_offered"


def feedback_received_key(feedback_id: int) -> str:
    return f"feedback-received:{feedback_id}"


def interview_invitations_key(interview_id: int) -> str:
    return f"interview-invitations:{interview_id}"


def slots_offered_key(availability_request_id: int) -> str:
    # A request is answered once, so its id names the one offer.
    return f"slots-offered:{availability_request_id}"


def slots_offered_enqueue(*, availability_request: AvailabilityRequest) -> None:
    outbox_enqueue(
        kind=SLOTS_OFFERED,
        key=slots_offered_key(availability_request.pk),
        payload={"availability_request_id": availability_request.pk},
    )


def feedback_received_enqueue(*, feedback: Feedback) -> None:
    outbox_enqueue(kind=FEEDBACK_RECEIVED, key=feedback_received_key(feedback.pk), payload={"feedback_id": feedback.pk})


def interview_invitations_enqueue(*, interview: Interview) -> None:
    outbox_enqueue(
        kind=INTERVIEW_INVITATIONS,
        key=interview_invitations_key(interview.pk),
        payload={"interview_id": interview.pk},
    )


@email_builder(FEEDBACK_RECEIVED)
def _feedback_received(email: OutboundEmail, *, now: datetime):
    feedback = (
        Feedback.objects.select_related(
            "given_by",
            "request__requested_of",
            "request__submission__candidate",
            "request__submission__requisition__engagement",
        )
        .filter(pk=email.payload["feedback_id"])
        .first()
    )
    if feedback is None:
        raise NothingToSend("The feedback no longer exists.")
    requisition = feedback.request.submission.requisition
    coverage = requisition_covering_recruiters(requisition_ids=[requisition.pk], at=now)[requisition.pk]
    if coverage.recruiter is None:
        raise NothingToSend(f"Requisition {requisition} has no covering recruiter to tell.")
    return [notifications.feedback_received_email(feedback, coverage=coverage)]


@email_builder(SLOTS_OFFERED)
def _slots_offered(email: OutboundEmail, *, now: datetime):
    availability_request = (
        AvailabilityRequest.objects.select_related(
            "requested_of", "submission__candidate", "submission__requisition__engagement"
        )
        .filter(pk=email.payload["availability_request_id"])
        .first()
    )
    if availability_request is None:
        raise NothingToSend("The availability request no longer exists.")
    if availability_request.status != RequestStatus.ANSWERED:
        raise NothingToSend("The availability request was cancelled: nothing to book.")
    if availability_request.booked_interview_id is not None:
        raise NothingToSend("The interview is booked already.")
    requisition = availability_request.submission.requisition
    coverage = requisition_covering_recruiters(requisition_ids=[requisition.pk], at=now)[requisition.pk]
    if coverage.recruiter is None:
        raise NothingToSend(f"Requisition {requisition} has no covering recruiter to tell.")
    slots = slots_marked_outside_business_hours(
        availability_request.slots.order_by("starts_at"), calendar=requisition.engagement.business_calendar
    )
    return [notifications.slots_offered_email(availability_request, slots=slots, coverage=coverage)]


@email_builder(INTERVIEW_INVITATIONS)
def _interview_invitations(email: OutboundEmail, *, now: datetime):
    interview = (
        Interview.objects.select_related("submission__candidate", "submission__requisition__engagement")
        .prefetch_related("interviewers")
        .filter(pk=email.payload["interview_id"])
        .first()
    )
    if interview is None:
        raise NothingToSend("The interview no longer exists.")
    requisition = interview.submission.requisition
    recruiter = requisition_covering_recruiters(requisition_ids=[requisition.pk], at=now)[requisition.pk].recruiter
    attendees = [person for person in interview.interviewers.all() if person.is_active and person.email]
    if recruiter is not None and recruiter not in attendees:
        attendees.append(recruiter)
    if not attendees:
        raise NothingToSend("Nobody to invite.")
    return notifications.interview_invitation_emails(interview, attendees=attendees, recruiter=recruiter, now=now)
