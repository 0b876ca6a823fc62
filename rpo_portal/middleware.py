"""Response headers the portal sets on every answer, beside Django's own and django-csp's."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Sets ``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``): the portal uses no camera,
    microphone, location, payment or device API, so none is granted to it or to anything it embeds;
    an injected script cannot ask the browser for them either."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
