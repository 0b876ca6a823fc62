"""What every recorded, claimed email shares: which errors are worth retrying, how long a claim
holds, and what happens after a failed send.

Reminders (``feedback.reminders.delivery``), digests and the outbox (``rpo_portal.outbox``) use
these, so the rules are written once:

- a transient error (``TRANSIENT_ERRORS``, SMTP 4xx) keeps the row claimed for the task's own
  retry, with the retry's ETA as the claim token; once the task is out of retries the row goes back
  to pending for a later sweep (``AFTER_RETRIES_DELAY``);
- a permanent error is tried ``MAX_PERMANENT_FAILURES`` times, ``PERMANENT_FAILURE_DELAY`` apart,
  and then the row is marked failed;
- a row claimed for longer than ``SENDING_LEASE`` was left by a worker that died: it is sent again.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from billiard.exceptions import SoftTimeLimitExceeded
from django.core.mail import EmailMessage, get_connection

# Errors worth retrying: the mail server or the network is briefly unavailable.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    ConnectionError,  # refused, reset, aborted
    TimeoutError,  # socket.timeout is TimeoutError
    SoftTimeLimitExceeded,
)
# After the task's own retries, the sweep tries again this much later.
AFTER_RETRIES_DELAY = timedelta(hours=1)
# A permanent error (a template bug, a 5xx reply) is tried this many times before giving up.
MAX_PERMANENT_FAILURES = 3
PERMANENT_FAILURE_DELAY = timedelta(minutes=30)
# A row claimed for sending longer ago than this was left by a worker that died (the task's hard
# time limit is far shorter): it goes back to pending and is sent again.
SENDING_LEASE = timedelta(minutes=10)
# A pending row whose task was published this recently is not published again yet.
REDISPATCH_AFTER = timedelta(minutes=5)


def is_transient(error: BaseException) -> bool:
    if isinstance(error, TRANSIENT_ERRORS):
        return True
    # 421 service not available, 450/451/452 try again later.
    return isinstance(error, smtplib.SMTPResponseException) and 400 <= error.smtp_code < 500


class HeldForRetry(Exception):
    """The send failed transiently and the row stays claimed for the task's retry."""

    def __init__(self, error: BaseException, claim: str):
        super().__init__(str(error))
        self.error = error
        self.claim = claim


@dataclass(frozen=True)
class Outcome:
    status: str  # what happened: "sent", "not_claimed", "skipped", "in_digest", "deferred", "retry_later", "failed"
    detail: str = ""


@dataclass(frozen=True)
class AfterFailure:
    """What to do with a row whose send failed (``after_failure``)."""

    outcome: str  # "held" (for the task's retry), "retry_later" (for a later sweep) or "failed"
    detail: str
    held_until: datetime | None = None  # "held": the retry's ETA, also its claim token
    send_after: datetime | None = None  # "retry_later": when the sweep may try again


def after_failure(error: BaseException, *, attempts: int, now: datetime, retry_in: float | None) -> AfterFailure:
    """The rule for every recorded email. ``attempts``: tries before this one; ``retry_in``:
    seconds until the task's own retry, or None when it has no retries left."""
    detail = f"{type(error).__name__}: {error}"[:500]
    if is_transient(error):
        if retry_in is not None:
            return AfterFailure("held", detail, held_until=now + timedelta(seconds=retry_in))
        return AfterFailure("retry_later", detail, send_after=now + AFTER_RETRIES_DELAY)
    if attempts + 1 >= MAX_PERMANENT_FAILURES:
        return AfterFailure("failed", detail)
    return AfterFailure("retry_later", detail, send_after=now + PERMANENT_FAILURE_DELAY)


def send(messages: list[EmailMessage]) -> None:
    """Send over one connection; SMTP errors propagate (the caller decides what is transient)."""
    if messages:
        get_connection(fail_silently=False).send_messages(messages)


def publish_all(ids: list[int], publish) -> list[int]:
    """Publish a send task per id, in order; stop at the first broker error (``publish`` returns
    False) and return the ids published. The next sweep goes on from there."""
    published = []
    for object_id in ids:
        if not publish(object_id):
            break
        published.append(object_id)
    return published
