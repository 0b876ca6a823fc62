"""/api/v1/ routes of the accounts app."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("out-of-office", api.OutOfOfficeViewSet, basename="out-of-office")
router.register("auth/tokens", api.ApiTokenViewSet, basename="auth-tokens")

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="auth-token"),
    path("auth/token/revoke/", api.TokenRevokeView.as_view(), name="auth-token-revoke"),
    path("me/", api.MeView.as_view(), name="me"),
    *router.urls,
]
