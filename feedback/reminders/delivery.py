"""Sending one recorded reminder: claim it, re-check, respect quiet hours and digests, send, mark.

The claim is a conditional ``UPDATE ... WHERE status = 'pending'``: the task acts only if it
changed one row, so a row published twice (a sweep and a retry, two sweeps, a redelivered
message) is sent by one task only ("another worker got there first").

A transient error (named in ``rpo_portal.delivery.TRANSIENT_ERRORS``) keeps the row claimed for the task's own retry:
``claimed_at`` becomes the retry's ETA and is the token the retry must present to take it back.
If that retry message is lost, the sweep's lease reclaims the row. When the task runs out of
retries the row goes back to pending for a later sweep (the next attempt pushed forward); a
permanent error is retried a few times by the sweep and then the row is marked failed. The rule is
``rpo_portal.delivery.after_failure``, shared with the outbox.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from accounts.models import User
from rpo_portal.delivery import HeldForRetry, Outcome, after_failure

from .. import notifications
from ..models import Reminder
from .quiet_hours import is_quiet, quiet_hours_end
from .subjects import chased_kinds, kind_of_reminder

logger = logging.getLogger(__name__)


def how_requests_reach(user: User, *, now: datetime) -> str:
    """How a request opened now reaches ``user``, in a sentence for the person who opened it: the
    same choice ``reminder_deliver`` makes (the daily digest at their own hour, else an email now or
    after their own quiet hours). Shown after a submission is sent to a hiring manager, so the page never promises an
    email that will not come."""
    name = user.display_name
    if user.reads_digest:
        return f"{name} reads requests in a daily digest at {user.digest_hour:02d}:00 their time ({user.time_zone})."
    if is_quiet(now, user):
        morning = quiet_hours_end(now, user).astimezone(user.zone)
        return f"{name} gets an email with a one-click link at {morning:%H:%M} their time, after their quiet hours."
    return f"{name} gets an email with a one-click link now."


def _claim(reminder_id: int, *, now: datetime, claim: str | None) -> bool:
    if claim is not None:
        # The task's own retry takes back the row it held.
        held_until = datetime.fromisoformat(claim)
        return bool(
            Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.SENDING, claimed_at=held_until).update(
                claimed_at=now
            )
        )
    return bool(
        Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING, send_after__lte=now).update(
            status=Reminder.Status.SENDING, claimed_at=now
        )
    )


def _load(reminder_id: int) -> Reminder:
    """The reminder with what sending it reads, whatever kind it chases (one query)."""
    return Reminder.objects.select_related(
        "recipient",
        *(f"{kind.reminder_field}__{path}" for kind in chased_kinds() for path in kind.select_related),
    ).get(pk=reminder_id)


def _finish(reminder: Reminder, **fields) -> None:
    """Leave the claimed state; only the claim holder writes, so a plain update is safe."""
    Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING).update(**fields)


def reminder_deliver(*, reminder_id: int, claim: str | None = None, retry_in: float | None = None) -> Outcome:
    """Send one reminder if this call wins the claim. ``retry_in``: seconds until the caller's
    retry, or None when the caller has no retries left. What the reminder chases (a request, an
    issue) decides, through its registered kind (``subjects``), whether it is still open, who an
    escalation goes to and the email; the rest (claim, digest, quiet hours, retries) is one path."""
    now = timezone.now()
    if not _claim(reminder_id, now=now, claim=claim):
        return Outcome("not_claimed", "another worker got there first, or it is not due")
    reminder = _load(reminder_id)
    kind = kind_of_reminder(reminder)
    request = getattr(reminder, kind.reminder_field)  # the request, issue or task it chases
    if not kind.is_open(request):
        _finish(reminder, status=Reminder.Status.SKIPPED, claimed_at=None, last_error="")
        return Outcome("skipped", f"the request is {kind.status_of(request)}")

    escalation = None
    if reminder.level == Reminder.Level.ESCALATION:
        escalation = kind.escalation_people(request, now=now)
        lead = (escalation.to or escalation.cc or [None])[0]
        if lead is None:
            _finish(reminder, status=Reminder.Status.FAILED, claimed_at=None, last_error="Nobody to escalate to.")
            return Outcome("failed", "nobody to escalate to")
    else:
        lead = reminder.recipient
        if lead is None or not lead.is_active:
            _finish(reminder, status=Reminder.Status.SKIPPED, claimed_at=None, last_error="No active recipient.")
            return Outcome("skipped", "no active recipient")
        # Digest readers get everything asked of them in one morning email instead.
        if lead.reads_digest:
            _finish(reminder, status=Reminder.Status.IN_DIGEST, claimed_at=None)
            return Outcome("in_digest")

    if is_quiet(now, lead):
        morning = quiet_hours_end(now, lead)
        _finish(reminder, status=Reminder.Status.PENDING, claimed_at=None, send_after=morning, dispatched_at=None)
        return Outcome("deferred", f"quiet hours for {lead}; waits until {morning.isoformat()}")

    try:
        message = kind.reminder_email(reminder, now=now, escalation=escalation)
        notifications.send([message])
    except Exception as error:
        return _failed(reminder, error, now=now, retry_in=retry_in)
    _finish(
        reminder,
        status=Reminder.Status.SENT,
        sent_at=timezone.now(),
        claimed_at=None,
        attempts=F("attempts") + 1,
        last_error="",
    )
    if escalation is not None:
        kind.after_escalation(request)
    return Outcome("sent")


def _failed(reminder: Reminder, error: BaseException, *, now: datetime, retry_in: float | None) -> Outcome:
    plan = after_failure(error, attempts=reminder.attempts, now=now, retry_in=retry_in)
    tried = {"attempts": F("attempts") + 1, "last_error": plan.detail}
    if plan.outcome == "held":
        _finish(reminder, claimed_at=plan.held_until, **tried)
        raise HeldForRetry(error, claim=plan.held_until.isoformat()) from error
    if plan.outcome == "failed":
        logger.exception("Reminder %s could not be sent", reminder.pk)
        _finish(reminder, status=Reminder.Status.FAILED, claimed_at=None, **tried)
        return Outcome("failed", plan.detail)
    logger.warning("Reminder %s: %s; the sweep tries again later.", reminder.pk, plan.detail)
    _finish(
        reminder,
        status=Reminder.Status.PENDING,
        claimed_at=None,
        dispatched_at=None,
        send_after=plan.send_after,
        **tried,
    )
    return Outcome("retry_later", plan.detail)
