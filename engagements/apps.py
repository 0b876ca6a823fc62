from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "engagements"

    def ready(self) -> None:
        from . import handover  # noqa: F401  (registers what a deactivated person hands over)
