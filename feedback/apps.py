from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the engagement-event receivers)
        from .reminders import notices  # noqa: F401  (registers its emails' outbox builders)
