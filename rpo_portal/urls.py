"""The project's URLs: each app's pages (``page_urls``) and API routes (``urls``, under /api/v1/),
named by module path only, so that this package imports none of the apps it wires."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .health import healthz

urlpatterns = [
    path("", include("partnership.home_urls")),
    path("", include("accounts.auth_urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("rpo_portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("accounts.page_urls")),
    path("", include("feedback.page_urls")),
    path("", include("partnership.page_urls")),
]
