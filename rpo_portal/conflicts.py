"""A write refused because of the state of what it acts on, not because of what was sent: answering
a request that is already answered or cancelled, booking from slots already booked. The one kind of
refusal that is a 409, on the API (``rpo_portal.api.exception_handler``) and on the pages alike."""

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """Raised by a service, keyed by field like any ``ValidationError`` (so a caller that only knows
    ``ValidationError`` still shows the message beside its form), answered with status 409."""
