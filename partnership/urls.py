"""/api/v1/ routes of the partnership app (the pages' routes are in ``page_urls``)."""

from django.urls import path

from .api import EngagementScorecardView

urlpatterns = [
    path("engagements/<int:pk>/scorecard/", EngagementScorecardView.as_view(), name="engagement-scorecard"),
]
