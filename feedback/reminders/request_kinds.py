"""Feedback's own chased kinds: feedback requests and availability requests, asked of a client
user about a submission (``subjects`` explains the registry). Registered when
``feedback.reminders`` is imported, so they are swept first, in this order."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, Q

from engagements.activity import engagement_changed
from engagements.selectors import escalation_recipients, requisition_covering_recruiters

from .. import notifications
from ..models import AvailabilityRequest, FeedbackRequest, RequestStatus, ladder_model_of
from .subjects import ChasedKind, register


def escalation_people(request, *, now: datetime) -> notifications.EscalationPeople:
    """Who hears about a request's escalation.

    To: ``engagements.selectors.escalation_recipients`` as they are now (the escalation contact
    while active, else every active client admin; the sweep recorded the first of them). Cc: the
    engagement's account managers and the requisition's covering recruiter (the backup while the
    primary is out of office). The hiring manager is not copied: they had their own reminders, and
    the escalation is a quiet request for help to their champion, not a call-out.
    """
    requisition = request.submission.requisition
    engagement = requisition.engagement
    to = escalation_recipients(engagement=engagement)
    coverage = requisition_covering_recruiters(requisition_ids=[requisition.pk], at=now)[requisition.pk]
    cc = [*engagement.account_managers.filter(is_active=True).order_by("id"), coverage.recruiter]
    return notifications.EscalationPeople(
        to=to, cc=[person for person in cc if person is not None and person not in to]
    )


def _engagement_changed(request) -> None:
    # The scorecard counts escalations sent.
    engagement_changed(request.engagement_id)


def _request_kind(model) -> ChasedKind:
    return ChasedKind(
        reminder_field=model.reminder_field,
        model=model,
        open_q=Q(status=RequestStatus.OPEN),
        open_sql=f"request.status = '{RequestStatus.OPEN}'",
        recipient_column="requested_of_id",
        # The request carries its engagement (engagements.models.OfSubmission): nothing to join.
        joins_sql="",
        engagement_id_sql="request.engagement_id",
        escalation_to_sql="leads.client_lead_id",
        select_related=(
            "requested_of",
            "submission__candidate",
            "submission__requisition__engagement",
            "submission__requisition__hiring_manager",
        ),
        is_open=lambda request: request.status == RequestStatus.OPEN,
        status_of=lambda request: request.status,
        escalation_people=escalation_people,
        reminder_email=notifications.reminder_email,
        after_escalation=_engagement_changed,
        digest_has=lambda user_ref, *, now: Exists(
            model.objects.filter(requested_of_id=user_ref, status=RequestStatus.OPEN)
        ),
        # Listed in the digest as the requests they are (digests._open_requests), not as a section.
        digest_section=None,
        ladder_model=ladder_model_of(model),
    )


FEEDBACK_REQUESTS = register(_request_kind(FeedbackRequest))
AVAILABILITY_REQUESTS = register(_request_kind(AvailabilityRequest))
