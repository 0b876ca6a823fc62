"""Who may act on a request they can see."""

from accounts.models import User
from engagements.policies import can_work_pipeline

from .models import AvailabilityRequest, FeedbackRequest


def can_respond(user: User, request: FeedbackRequest | AvailabilityRequest) -> bool:
    """Only the person asked answers: feedback is theirs to give."""
    return user.is_authenticated and user.pk == request.requested_of_id


def can_book(user: User, request: AvailabilityRequest) -> bool:
    return can_work_pipeline(user, request.submission.requisition.engagement)


def can_read_scorecard(user: User) -> bool:
    """Among those who see an engagement, who reads its mutual scorecard: the provider's staff and
    the client's admins (PRODUCT.md). Hiring managers do not: it ranks their colleagues."""
    return bool(
        user.is_authenticated
        and (user.is_unscoped_admin or user.is_provider_staff or user.role == User.Role.CLIENT_ADMIN)
    )
