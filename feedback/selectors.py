"""Reads on feedback and availability requests; access scoping for this app lives here.

A request is visible to whoever can see its submission (engagements.selectors.submission_list),
and always to the person it was asked of (an interviewer who is not the hiring manager).
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from engagements.models import Submission, SubmissionStageChange
from engagements.selectors import submission_list

from .models import AvailabilityRequest, FeedbackRequest, Reminder, RequestStatus

_REQUEST_RELATED = (
    "requested_of",
    "submission",
    "submission__candidate",
    "submission__requisition",
    "submission__requisition__engagement",
    "submission__requisition__hiring_manager",
)


def _scoped(queryset: QuerySet, *, user: User, mine: bool) -> QuerySet:
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if mine:
        # "Mine": asked of me, or about a requisition I work on or manage.
        return queryset.filter(
            Q(requested_of_id=user.pk) | Q(submission_id__in=submission_list(user=user, mine=True).values("id"))
        )
    return queryset.filter(Q(requested_of_id=user.pk) | Q(submission_id__in=submission_list(user=user).values("id")))


def feedback_request_list(*, user: User, mine: bool = False) -> QuerySet[FeedbackRequest]:
    queryset = FeedbackRequest.objects.select_related(*_REQUEST_RELATED, "interview", "feedback")
    return _scoped(queryset, user=user, mine=mine)


def availability_request_list(*, user: User, mine: bool = False) -> QuerySet[AvailabilityRequest]:
    queryset = AvailabilityRequest.objects.select_related(*_REQUEST_RELATED, "booked_interview").prefetch_related(
        "slots"
    )
    return _scoped(queryset, user=user, mine=mine)


def overdue_q() -> Q:
    return Q(status=RequestStatus.OPEN, due_at__lte=timezone.now())


def reminder_list(*, user: User) -> QuerySet[Reminder]:
    return Reminder.objects.select_related("recipient").filter(
        Q(feedback_request_id__in=feedback_request_list(user=user).values("id"))
        | Q(availability_request_id__in=availability_request_list(user=user).values("id"))
    )


def inbox_for(*, user: User) -> dict[str, list]:
    """What is asked of a user and still open, soonest due first (the hiring manager's inbox)."""
    feedback = list(
        FeedbackRequest.objects.select_related(*_REQUEST_RELATED)
        .filter(requested_of_id=user.pk, status=RequestStatus.OPEN)
        .order_by("due_at")
    )
    availability = list(
        AvailabilityRequest.objects.select_related(*_REQUEST_RELATED)
        .filter(requested_of_id=user.pk, status=RequestStatus.OPEN)
        .order_by("due_at")
    )
    return {"feedback": feedback, "availability": availability}


def recruiter_note_for(*, feedback_request: FeedbackRequest) -> str:
    """The note the recruiter left when putting the candidate in front of the hiring manager.

    One query on ``stage_change_submission_idx`` (submission_id = ? ORDER BY changed_at).
    """
    note = (
        SubmissionStageChange.objects.filter(
            submission_id=feedback_request.submission_id, to_stage=Submission.Stage.HM_REVIEW
        )
        .exclude(note="")
        .order_by("-changed_at", "-id")
        .values_list("note", flat=True)
        .first()
    )
    return note or ""
