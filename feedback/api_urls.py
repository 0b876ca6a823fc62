"""/api/v1/ routes of the feedback app (the pages' routes are in ``feedback.urls``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api
from .api.views import EngagementScorecardView

router = SimpleRouter()
router.register("feedback-requests", api.FeedbackRequestViewSet, basename="feedback-request")
router.register("availability-requests", api.AvailabilityRequestViewSet, basename="availability-request")

urlpatterns = [
    path("engagements/<int:pk>/scorecard/", EngagementScorecardView.as_view(), name="engagement-scorecard"),
    *router.urls,
]
