from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "engagements"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from . import handover  # noqa: F401  (registers what a deactivated person hands over)
        from .local_dates import engagement_saved
        from .models import Engagement

        # A zone first used in this process counts at once for "each engagement's today".
        post_save.connect(engagement_saved, sender=Engagement, dispatch_uid="local_dates_zone_in_use")
