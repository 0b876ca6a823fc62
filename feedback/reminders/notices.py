"""Telling the provider side: the covering recruiter hears about feedback at once, and both sides
of a booked interview get an invitation with an .ics file.

Each is claimed with a conditional UPDATE on its own "done" column (``Feedback.recruiter_notified_at``,
``AvailabilityRequest.invitations_sent_at``): set before sending, released again if the send fails,
so two tasks never both send. A permanent error (not in ``delivery.TRANSIENT_ERRORS``) is logged
and not repeated. The recruiter is whoever covers the requisition at the moment of
sending (``requisition_covering_recruiters``: the backup while the primary is out of office).
"""

from __future__ import annotations

import logging

from django.utils import timezone

from engagements.models import Interview
from engagements.selectors import requisition_covering_recruiters

from .. import notifications
from ..models import AvailabilityRequest, Feedback
from .delivery import is_transient

logger = logging.getLogger(__name__)


def recruiter_notify(*, feedback_id: int) -> str:
    now = timezone.now()
    if not Feedback.objects.filter(pk=feedback_id, recruiter_notified_at__isnull=True).update(
        recruiter_notified_at=now
    ):
        return "not_claimed"
    feedback = Feedback.objects.select_related(
        "given_by",
        "request__requested_of",
        "request__submission__candidate",
        "request__submission__requisition__engagement",
    ).get(pk=feedback_id)
    requisition = feedback.request.submission.requisition
    coverage = requisition_covering_recruiters(requisition_ids=[requisition.pk], at=now)[requisition.pk]
    if coverage.recruiter is None:
        logger.warning("Feedback %s: requisition %s has no covering recruiter to tell.", feedback_id, requisition)
        return "nobody_to_tell"
    try:
        notifications.send([notifications.feedback_received_email(feedback, coverage=coverage)])
    except Exception as error:
        if not is_transient(error):
            logger.exception("Feedback %s: could not tell the recruiter; giving up.", feedback_id)
            return "failed"
        # Release the claim so the retry (or the sweep's catch-up) sends it.
        Feedback.objects.filter(pk=feedback_id, recruiter_notified_at=now).update(recruiter_notified_at=None)
        raise
    return "sent"


def invitations_send(*, interview_id: int) -> str:
    now = timezone.now()
    if not AvailabilityRequest.objects.filter(
        booked_interview_id=interview_id, invitations_sent_at__isnull=True
    ).update(invitations_sent_at=now):
        return "not_claimed"
    interview = (
        Interview.objects.select_related("submission__candidate", "submission__requisition__engagement")
        .prefetch_related("interviewers")
        .get(pk=interview_id)
    )
    requisition = interview.submission.requisition
    recruiter = requisition_covering_recruiters(requisition_ids=[requisition.pk], at=now)[requisition.pk].recruiter
    attendees = [person for person in interview.interviewers.all() if person.is_active and person.email]
    if recruiter is not None and recruiter not in attendees:
        attendees.append(recruiter)
    try:
        notifications.send(
            notifications.interview_invitation_emails(interview, attendees=attendees, recruiter=recruiter, now=now)
        )
    except Exception as error:
        if not is_transient(error):
            logger.exception("Interview %s: could not send the invitations; giving up.", interview_id)
            return "failed"
        AvailabilityRequest.objects.filter(booked_interview_id=interview_id, invitations_sent_at=now).update(
            invitations_sent_at=None
        )
        raise
    return "sent"
