"""Who may act on a request they can see."""

from accounts.models import User
from engagements.policies import can_work_pipeline

from .models import AvailabilityRequest, FeedbackRequest


def can_respond(user: User, request: FeedbackRequest | AvailabilityRequest) -> bool:
    """Only the person asked answers: feedback is theirs to give."""
    return user.is_authenticated and user.pk == request.requested_of_id


def can_book(user: User, request: AvailabilityRequest) -> bool:
    return can_work_pipeline(user, request.submission.requisition.engagement)
