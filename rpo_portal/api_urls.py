"""Every /api/v1/ route, wired from the apps' ``urls`` modules."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("engagements.urls")),
    path("", include("feedback.urls")),
    path("", include("partnership.urls")),
]
