"""REST API of the engagement domain (``serializers`` and ``views``), routed in ``engagements.urls``."""

from .serializers import INTERVIEW_OUTCOME_CHOICES
from .views import (
    AssignmentViewSet,
    CandidateViewSet,
    EngagementViewSet,
    InterviewViewSet,
    RequisitionViewSet,
    SubmissionViewSet,
    UserViewSet,
)

__all__ = [
    "INTERVIEW_OUTCOME_CHOICES",
    "AssignmentViewSet",
    "CandidateViewSet",
    "EngagementViewSet",
    "InterviewViewSet",
    "RequisitionViewSet",
    "SubmissionViewSet",
    "UserViewSet",
]
