"""/api/v1/ routes of the accounts app."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("out-of-office", api.OutOfOfficeViewSet, basename="out-of-office")

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="auth-token"),
    path("me/", api.MeView.as_view(), name="me"),
    *router.urls,
]
