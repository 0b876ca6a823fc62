"""The email outbox: every email that is not a reminder or a digest is recorded here first.

A row says what to send (``kind`` and a small ``payload`` of ids), never the message itself: the
message is built when it is sent, by the builder its app registered for the kind
(``rpo_portal.outbox.email_builder``), so no password-reset token or signed link is stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (nothing to send any more)"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=64)
    # Recording the same key twice records one row: the guard against a repeated request or a
    # double submit ("password-reset:42:1966523", "feedback-received:17").
    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where it went: the recipient's address when recorded, every address it was sent to once sent.
    address = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)  # ids only, read by the kind's builder
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    # Pending: not before this. Sending: when the claim's lease runs out (the sweep takes it back).
    send_after = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)  # when the sweep last published its task
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.TextField(blank=True)  # the Message-ID header of each message sent

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "skipped", "failed"]),
                name="outbound_email_status_valid",
            ),
        ]
        indexes = [
            # The outbox sweep, one query a minute: WHERE status IN ('pending', 'sending') AND
            # send_after <= now ORDER BY send_after (due rows, and claims whose lease ran out).
            models.Index(
                fields=["send_after"], condition=Q(status__in=["pending", "sending"]), name="outbound_email_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.key}): {self.get_status_display().lower()}"
