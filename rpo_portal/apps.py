from django.apps import AppConfig


class RpoPortalConfig(AppConfig):
    """The project's own plumbing, below every app: settings, URLs, Celery, shared page and API
    pieces, and the email outbox (``rpo_portal.outbox``) that every app sends through."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "rpo_portal"
    verbose_name = "Portal"
