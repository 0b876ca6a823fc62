"""The project's URLs: each app's pages (``page_urls``) and API routes (``urls``, under /api/v1/),
named by module path only, so that this package imports none of the apps it wires."""

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from .health import healthz
from .pages import favicon

urlpatterns = [
    path("", include("partnership.home_urls")),
    path("", include("accounts.auth_urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/v1/", include("rpo_portal.api_urls")),
    # The schema and its docs are for signed-in users: the API answers 401, the docs page sends to
    # the sign-in page. The docs load their init script as a file (?script=), never inline, so that
    # the Content-Security-Policy needs no 'unsafe-inline'; Swagger UI draws its icons as data: images.
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path(
        "api/docs/",
        csp_update({"img-src": ["data:"]})(
            login_required(
                SpectacularSwaggerSplitView.as_view(
                    url_name="schema", template_name="rpo_portal/swagger_ui.html", permission_classes=[IsAuthenticated]
                )
            )
        ),
        name="api-docs",
    ),
    path("", include("accounts.page_urls")),
    path("", include("feedback.page_urls")),
    path("", include("partnership.page_urls")),
]
