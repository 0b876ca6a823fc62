"""/api/v1/ routes of the feedback app (the pages' routes are in ``page_urls``)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("feedback-requests", api.FeedbackRequestViewSet, basename="feedback-request")
router.register("availability-requests", api.AvailabilityRequestViewSet, basename="availability-request")

urlpatterns = router.urls
