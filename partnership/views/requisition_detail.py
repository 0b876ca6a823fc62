"""One requisition's pipeline: its submissions by stage, what waits on whom, the latest answers,
the slots to book, the interviews waiting for their outcome, who covers it today, and the stage
moves the viewer may make.

Who sees it is ``requisition_list`` (404 otherwise); every request about a visible requisition's
submissions is visible with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.models import User
from engagements.models import Interview, Submission
from engagements.policies import can_erase_candidate, can_work_pipeline
from engagements.selectors import (
    interview_list,
    orientation_is_unread,
    requisition_covering_recruiters,
    requisition_teams,
    submission_list,
)
from engagements.selectors import (
    requisition_list as requisitions_visible_to,
)
from feedback.models import AvailabilityRequest, RequestStatus
from feedback.policies import can_book
from feedback.selectors import requisition_request_lists
from rpo_portal.pages import not_found, render_page

from ..forms import WITHDRAWAL_REASON_CHOICES
from ..policies import can_open_assignment_pages, can_raise_issue
from .requisitions import MY_LIST_ROLES, Stage, coverage_line, days_open_of, waited_for


@dataclass
class OpenRequest:
    label: str
    requested_of: User
    due_at: datetime
    is_overdue: bool
    url: str
    mine: bool


@dataclass
class SubmissionCard:
    submission: Submission
    in_stage_for: str
    open_requests: list[OpenRequest] = field(default_factory=list)
    latest_feedback: object | None = None
    to_book: list[AvailabilityRequest] = field(default_factory=list)
    interview: object | None = None
    # Scheduled interviews whose time has come, for the recruiter to record what became of them.
    awaiting_outcome: list[Interview] = field(default_factory=list)
    moves: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class StageGroup:
    stage: str
    label: str
    cards: list[SubmissionCard]
    closed: bool


@never_cache
@login_required
def requisition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    requisition = (
        requisitions_visible_to(user=user).select_related("engagement__client", "engagement__provider").filter(pk=pk)
    ).first()
    if requisition is None:
        return not_found(request)
    now = timezone.now()
    engagement = requisition.engagement
    # engagement_list prefetches account managers for the policies; this requisition's
    # engagement came through select_related, so the policies here only read organisation ids.
    may_work = can_work_pipeline(user, engagement)
    may_erase = can_erase_candidate(user, engagement)

    submissions = list(submission_list(user=user).filter(requisition_id=requisition.pk).order_by("stage_changed_at"))
    # The requisition came through requisition_list: every request about its submissions is visible.
    feedback_requests, availability_requests = requisition_request_lists(requisition_id=requisition.pk)

    cards = {
        submission.pk: SubmissionCard(
            submission=submission,
            in_stage_for=waited_for(submission.stage_changed_at, now),
            moves=[
                (stage, label)
                for stage, label in Stage.choices
                if may_work and stage in Submission.TRANSITIONS[submission.stage]
            ],
        )
        for submission in submissions
    }
    for feedback_request in sorted(feedback_requests, key=lambda item: (item.created_at, item.pk)):
        card = cards.get(feedback_request.submission_id)
        if card is None:
            continue
        if feedback_request.status == RequestStatus.OPEN:
            card.open_requests.append(
                OpenRequest(
                    label=feedback_request.get_kind_display(),
                    requested_of=feedback_request.requested_of,
                    due_at=feedback_request.due_at,
                    is_overdue=feedback_request.is_overdue_at(now),
                    url=reverse("feedback:feedback-respond", kwargs={"pk": feedback_request.pk}),
                    mine=feedback_request.requested_of_id == user.pk,
                )
            )
        elif getattr(feedback_request, "feedback", None) is not None:
            card.latest_feedback = feedback_request.feedback  # later answers replace earlier ones
    for availability_request in availability_requests:
        card = cards.get(availability_request.submission_id)
        if card is None:
            continue
        if availability_request.status == RequestStatus.OPEN:
            card.open_requests.append(
                OpenRequest(
                    label="Interview availability",
                    requested_of=availability_request.requested_of,
                    due_at=availability_request.due_at,
                    is_overdue=availability_request.is_overdue_at(now),
                    url=reverse("feedback:availability-respond", kwargs={"pk": availability_request.pk}),
                    mine=availability_request.requested_of_id == user.pk,
                )
            )
        elif availability_request.booked_interview_id is not None:
            card.interview = availability_request.booked_interview
        elif availability_request.slots.all() and can_book(user, availability_request):
            card.to_book.append(availability_request)
    if may_work:
        waiting_for_outcome = (
            interview_list(user=user)
            .prefetch_related(None)
            .filter(submission__requisition_id=requisition.pk, status=Interview.Status.SCHEDULED, starts_at__lte=now)
            .order_by("starts_at", "pk")
        )
        for interview in waiting_for_outcome:
            card = cards.get(interview.submission_id)
            if card is not None:
                card.awaiting_outcome.append(interview)
    for card in cards.values():
        card.open_requests.sort(key=lambda item: item.due_at)

    groups = []
    for stage, label in Stage.choices:
        in_stage = [card for card in cards.values() if card.submission.stage == stage]
        if in_stage or stage in Submission.OPEN_STAGES:
            groups.append(
                StageGroup(stage=stage, label=label, cards=in_stage, closed=stage in Submission.CLOSED_STAGES)
            )

    coverage = requisition_covering_recruiters(requisition_ids=[requisition.pk], at=now)[requisition.pk]
    # Who holds each role today: after a same-day handover (or a swap) the old holder, whose last day
    # is today, is not listed beside the new one.
    team = requisition_teams(requisition_ids=[requisition.pk], at=now)[requisition.pk].holders
    context = {
        "requisition": requisition,
        "engagement": engagement,
        "groups": groups,
        "open_groups": [group for group in groups if not group.closed],
        "closed_groups": [group for group in groups if group.closed],
        "closed_total": sum(len(group.cards) for group in groups if group.closed),
        "submission_total": len(submissions),
        "waiting_total": sum(len(card.open_requests) for card in cards.values()),
        "overdue_total": sum(request.is_overdue for card in cards.values() for request in card.open_requests),
        "awaiting_outcome_total": sum(len(card.awaiting_outcome) for card in cards.values()),
        "coverage": coverage,
        "covered_by": coverage_line(coverage),
        "team": team,
        "may_work": may_work,
        "may_erase": may_erase,
        # Every open stage may move to withdrawn, which asks why (the move form's reason select).
        "withdrawal_reasons": WITHDRAWAL_REASON_CHOICES if may_work else (),
        "may_open_assignments": can_open_assignment_pages(user),
        # Its hiring manager and the recruiters on it raise issues about it (and those who run the engagement).
        "may_raise_issue": can_raise_issue(user, engagement, requisition),
        "list_label": "My requisitions" if user.role in MY_LIST_ROLES else "Requisitions",
        "days_open": days_open_of(requisition, now),
        # A recruiter or sourcer who has not read the engagement's orientation as it stands (one query
        # for them once there is a note; none for anyone else).
        "orientation_unread": orientation_is_unread(user=user, engagement=engagement),
        "now": now,
    }
    return render_page(request, "partnership/requisitions/detail.html", context)
