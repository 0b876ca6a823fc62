from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnership"

    def ready(self) -> None:
        from . import item_emails  # noqa: F401  (registers the issue followers' outbox builders)
