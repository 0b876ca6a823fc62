"""REST API of the feedback domain (``serializers`` and ``views``), routed in ``feedback.urls``."""

from .views import AvailabilityRequestViewSet, FeedbackRequestViewSet

__all__ = ["AvailabilityRequestViewSet", "FeedbackRequestViewSet"]
