"""/api/v1/ routes of the engagements app."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("engagements", api.EngagementViewSet, basename="engagement")
router.register("requisitions", api.RequisitionViewSet, basename="requisition")
router.register("assignments", api.AssignmentViewSet, basename="assignment")
router.register("candidates", api.CandidateViewSet, basename="candidate")
router.register("submissions", api.SubmissionViewSet, basename="submission")
router.register("interviews", api.InterviewViewSet, basename="interview")
router.register("users", api.UserViewSet, basename="user")

urlpatterns = router.urls
