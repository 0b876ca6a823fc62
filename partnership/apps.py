from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnership"

    def ready(self) -> None:
        from . import (
            chase,  # noqa: F401  (registers overdue issues with feedback's reminder engine)
            handover,  # noqa: F401  (registers the open issues a person owns with accounts.handover)
            implementation_chase,  # noqa: F401  (chases implementation tasks; hands over those a person owns)
            item_emails,  # noqa: F401  (registers the issue followers' outbox builders)
            win_emails,  # noqa: F401  (registers the wins' and weekly summary's outbox builders)
        )
        from .pulse import emails, links  # noqa: F401  (registers the pulse emails' outbox builders)

        links.register()  # the signed link of kind "pulse" (feedback.links)

        from .audit import registration

        registration.register()  # the audit trail: what is tracked, and each entry's engagement
