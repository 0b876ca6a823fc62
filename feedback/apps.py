from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"

    def ready(self) -> None:
        from . import (
            handover,  # noqa: F401  (registers the open requests a hiring manager hands over)
            receivers,  # noqa: F401  (connects the engagement-event receivers)
        )
        from .reminders import notices  # noqa: F401  (registers its emails' outbox builders)
