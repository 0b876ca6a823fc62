"""/api/v1/ routes of the partnership app (the pages' routes are in ``page_urls``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import EngagementScorecardView
from .api_items import PartnershipItemViewSet
from .api_pulse import PulseAnswerView, PulseSurveyViewSet

router = SimpleRouter()
router.register("partnership-items", PartnershipItemViewSet, basename="partnership-item")
router.register("pulse-surveys", PulseSurveyViewSet, basename="pulse-survey")

urlpatterns = [
    path("engagements/<int:pk>/scorecard/", EngagementScorecardView.as_view(), name="engagement-scorecard"),
    path("pulse-answers/", PulseAnswerView.as_view(), name="pulse-answer-create"),
    *router.urls,
]
