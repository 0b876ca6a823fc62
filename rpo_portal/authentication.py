"""The API's token authentication: knox's, which also names the audit trail's actor.

``auditlog.middleware.AuditlogMiddleware`` takes the actor from ``request.user`` before the view
runs: right for a session, but an API token is only checked inside DRF, after the middleware. So
the middleware's context (one per request) is told here who the token's owner is, and every entry
the request writes names them (``partnership.audit``).

Its own module, not ``rpo_portal.api``: DRF imports the authentication classes while
``rest_framework.views`` is still being imported, which ``api`` imports.
"""

from auditlog.context import auditlog_value
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication


def audit_actor_set(user) -> None:
    """Name ``user`` as the actor of the audit entries the current request writes from now on
    (nothing outside a request: there is no context to tell)."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    context["actor"] = user


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is not None:
            audit_actor_set(authenticated[0])
        return authenticated


class PortalTokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of the class above: knox's own (``knoxApiToken``, a bearer token
    in ``Authorization: Token …``), found by drf-spectacular for this subclass too."""

    target_class = "rpo_portal.authentication.TokenAuthentication"
