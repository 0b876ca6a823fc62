from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnership"

    def ready(self) -> None:
        from . import win_emails  # noqa: F401  (registers the wins' and weekly summary's outbox builders)
