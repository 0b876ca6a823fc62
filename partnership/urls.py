"""/api/v1/ routes of the partnership app (the pages' routes are in ``page_urls``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import EngagementScorecardView
from .api_items import PartnershipItemViewSet

router = SimpleRouter()
router.register("partnership-items", PartnershipItemViewSet, basename="partnership-item")

urlpatterns = [
    path("engagements/<int:pk>/scorecard/", EngagementScorecardView.as_view(), name="engagement-scorecard"),
    *router.urls,
]
