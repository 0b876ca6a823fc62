"""The email outbox: record an email in the caller's transaction, send it from the worker.

- ``outbox_enqueue`` records one ``OutboundEmail`` (once per ``key``: a second call with the same
  key records nothing) and publishes its send task when the transaction commits. If the broker is
  down then, the row waits for the sweep; the caller never fails because of the mail server or the
  broker, and never waits for them.
- ``outbound_email_deliver`` (the task's body) claims the row with a conditional UPDATE, builds
  the message with the builder registered for its kind, sends it and marks it sent. Failures follow
  ``rpo_portal.delivery``: transient ones are retried with backoff, permanent ones a few times.
- ``outbox_sweep`` (beat, every minute) publishes the send task again for due pending rows and for
  claims whose lease ran out (a worker that died mid-send): one indexed query when idle.

Builders: the app that owns an email registers ``@email_builder("kind")`` on a function
``(email: OutboundEmail, *, now) -> list[EmailMessage]``, in a module its AppConfig.ready imports.
The builder re-reads the rows the payload names and renders the message as things are now (a fresh
password-reset token, the recruiter covering today); it raises ``NothingToSend`` when there no
longer is (the user has since joined, the account was deactivated).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .delivery import REDISPATCH_AFTER, SENDING_LEASE, HeldForRetry, Outcome, after_failure, publish_all, send
from .models import OutboundEmail

logger = logging.getLogger(__name__)

Builder = Callable[..., list[EmailMessage]]
_BUILDERS: dict[str, Builder] = {}

# At most this many send tasks are published per sweep (oldest first); the rest wait a minute.
DISPATCH_BATCH = 500


class NothingToSend(Exception):
    """Raised by a builder: the email no longer has a reason to go (said in the message)."""


def email_builder(kind: str) -> Callable[[Builder], Builder]:
    """Register the function that builds the messages of ``kind`` at send time."""

    def register(builder: Builder) -> Builder:
        if _BUILDERS.get(kind, builder) is not builder:
            raise ValueError(f"Another builder is registered for {kind!r}.")
        _BUILDERS[kind] = builder
        return builder

    return register


def window_key(prefix: str, *, now: datetime, window: timedelta) -> str:
    """A key that stays the same for ``window``: what one email per window is recorded under."""
    return f"{prefix}:{int(now.timestamp() // window.total_seconds())}"


def outbox_enqueue(
    *, kind: str, key: str, payload: dict, recipient=None, address: str = "", send_after: datetime | None = None
) -> OutboundEmail | None:
    """Record an email to send after the caller's transaction commits; None if ``key`` is recorded
    already (nothing more is sent)."""
    if kind not in _BUILDERS:
        raise ValueError(f"No email builder is registered for {kind!r}.")
    now = timezone.now()
    email = OutboundEmail(
        kind=kind,
        key=key,
        payload=payload,
        recipient=recipient,
        address=address or (recipient.email if recipient is not None else ""),
        created_at=now,
        send_after=send_after or now,
    )
    try:
        with transaction.atomic():  # the unique key decides, also between concurrent requests
            email.save(force_insert=True)
    except IntegrityError:
        if not OutboundEmail.objects.filter(key=key).exists():
            raise
        return None

    from .tasks import enqueue_on_commit, send_outbound_email  # tasks call this module: import lazily

    enqueue_on_commit(send_outbound_email, email.pk)
    return email


def outbox_mark_sent(*, keys: list[str]) -> int:
    """Mark recorded, not yet sent emails as sent without sending them: for writing history (the
    demo data), where what the services recorded happened long ago."""
    return OutboundEmail.objects.filter(key__in=keys, status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.SENT, sent_at=F("created_at")
    )


def _claim(email_id: int, *, now: datetime, claim: str | None) -> bool:
    lease_ends = now + SENDING_LEASE
    if claim is not None:
        # The task's own retry takes back the row it held.
        held_until = datetime.fromisoformat(claim)
        return bool(
            OutboundEmail.objects.filter(
                pk=email_id, status=OutboundEmail.Status.SENDING, claimed_at=held_until
            ).update(claimed_at=now, send_after=lease_ends)
        )
    # A pending row that is due, or a claim whose lease ran out (its worker died).
    return bool(
        OutboundEmail.objects.filter(
            pk=email_id,
            status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING],
            send_after__lte=now,
        ).update(status=OutboundEmail.Status.SENDING, claimed_at=now, send_after=lease_ends, dispatched_at=None)
    )


def _finish(email_id: int, *, holding: datetime, **fields) -> None:
    """Write as the claim holder: a worker whose lease was taken over writes nothing."""
    OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.SENDING, claimed_at=holding).update(**fields)


def _site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _stamp(email: OutboundEmail, messages: list[EmailMessage]) -> list[str]:
    """Give each message a Message-ID derived from the row (unless its builder chose one), so a
    rare repeat after a worker died mid-send shows once in clients that de-duplicate."""
    ids = []
    for index, message in enumerate(messages):
        if "Message-ID" not in message.extra_headers:
            message.extra_headers["Message-ID"] = f"<outbox-{email.pk}-{index}@{_site_domain()}>"
        ids.append(message.extra_headers["Message-ID"])
    return ids


def outbound_email_deliver(*, email_id: int, claim: str | None = None, retry_in: float | None = None) -> Outcome:
    """Send one recorded email if this call wins the claim. ``retry_in``: seconds until the
    caller's retry, or None when the caller has no retries left."""
    now = timezone.now()
    if not _claim(email_id, now=now, claim=claim):
        return Outcome("not_claimed", "another worker got there first, or it is not due")
    email = OutboundEmail.objects.select_related("recipient").get(pk=email_id)
    try:
        builder = _BUILDERS.get(email.kind)
        if builder is None:
            raise LookupError(f"No email builder is registered for {email.kind!r}.")
        messages = builder(email, now=now)
        if not messages:
            raise NothingToSend("The builder had nothing to send.")
        message_ids = _stamp(email, messages)
        send(messages)
    except NothingToSend as reason:
        _finish(email_id, holding=now, status=OutboundEmail.Status.SKIPPED, claimed_at=None, last_error=str(reason))
        return Outcome("skipped", str(reason))
    except Exception as error:
        return _failed(email, error, now=now, retry_in=retry_in)
    addresses = [address for message in messages for address in message.to]
    _finish(
        email_id,
        holding=now,
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        claimed_at=None,
        send_after=now,
        attempts=F("attempts") + 1,
        last_error="",
        address=", ".join(dict.fromkeys(addresses)),
        message_id=" ".join(message_ids),
    )
    return Outcome("sent")


def _failed(email: OutboundEmail, error: BaseException, *, now: datetime, retry_in: float | None) -> Outcome:
    plan = after_failure(error, attempts=email.attempts, now=now, retry_in=retry_in)
    tried = {"attempts": F("attempts") + 1, "last_error": plan.detail}
    if plan.outcome == "held":
        _finish(email.pk, holding=now, claimed_at=plan.held_until, send_after=plan.held_until + SENDING_LEASE, **tried)
        raise HeldForRetry(error, claim=plan.held_until.isoformat()) from error
    if plan.outcome == "failed":
        logger.exception("Email %s (%s) could not be sent; giving up.", email.pk, email.kind)
        _finish(email.pk, holding=now, status=OutboundEmail.Status.FAILED, claimed_at=None, **tried)
        return Outcome("failed", plan.detail)
    logger.warning("Email %s (%s): %s; the sweep tries again later.", email.pk, email.kind, plan.detail)
    _finish(
        email.pk,
        holding=now,
        status=OutboundEmail.Status.PENDING,
        claimed_at=None,
        dispatched_at=None,
        send_after=plan.send_after,
        **tried,
    )
    return Outcome("retry_later", plan.detail)


@dataclass
class SweepResult:
    dispatched: int = 0


def outbox_sweep(*, now: datetime, publish: Callable[[int], bool], limit: int = DISPATCH_BATCH) -> SweepResult:
    """Publish the send task of every due row not published in the last few minutes: pending rows
    whose moment has come, and claims whose lease ran out (the task's claim takes them back). One
    query on ``outbound_email_due_idx``; stops at the first broker error (the next sweep goes on).
    Publishing twice is harmless: the task's conditional UPDATE lets one of them send."""
    ids = list(
        OutboundEmail.objects.filter(
            status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING], send_after__lte=now
        )
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lte=now - REDISPATCH_AFTER))
        .order_by("send_after", "id")
        .values_list("id", flat=True)[:limit]
    )
    published = publish_all(ids, publish)
    if published:
        OutboundEmail.objects.filter(id__in=published).update(dispatched_at=now)
        logger.info("Outbox sweep: published %s send task(s).", len(published))
    return SweepResult(dispatched=len(published))
