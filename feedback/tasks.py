"""Celery tasks of the feedback app: "an API" that takes ids, re-reads state and calls the engine.

Tasks are enqueued when the transaction commits. If the broker is down at that moment nothing is
lost: the row that asked for the work (a pending ``Reminder``, an unnotified ``Feedback``) is
still there, and the periodic sweep dispatches it again.

Every sending task acks late (a worker killed mid-task leaves the message to be redelivered; the
claim makes the redelivery a no-op and the sweep's lease recovers the row), has time limits, and
retries with exponential backoff on the named transient errors only
(``feedback.reminders.TRANSIENT_ERRORS``: SMTP disconnects and connect/HELO failures, SMTP 4xx
replies, connection errors, timeouts).
"""

import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import reminders

logger = logging.getLogger(__name__)

# What publishing raises when the broker is unreachable (kombu wraps the transport's errors).
BROKER_ERRORS = (OperationalError, ConnectionError, TimeoutError)

RETRY_BACKOFF = 30  # seconds, doubled per retry (full jitter)
RETRY_BACKOFF_MAX = 15 * 60
SENDING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": 5,
    # Far below the sweep's SENDING_LEASE (10 minutes), so a running send is never reclaimed.
    "soft_time_limit": 60,
    "time_limit": 90,
    "ignore_result": True,
}


def publish(task, *args) -> bool:
    """Publish ``task`` now; False (logged) if the broker cannot be reached."""
    try:
        task.apply_async(args=args)
    except BROKER_ERRORS:
        logger.warning("Could not enqueue %s%r; the periodic sweep will retry it.", task.name, args, exc_info=True)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """Send ``task`` with ``args`` once the current transaction commits, never failing the caller
    because of the broker (the sweep picks the work up later)."""
    transaction.on_commit(lambda: publish(task, *args))


def _backoff(task) -> float:
    return get_exponential_backoff_interval(
        factor=RETRY_BACKOFF, retries=task.request.retries, maximum=RETRY_BACKOFF_MAX, full_jitter=True
    )


def _retries_left(task) -> bool:
    return task.request.retries < task.max_retries


@shared_task(bind=True, **SENDING)
def send_reminder(self, reminder_id: int, claim: str | None = None) -> str:
    countdown = _backoff(self) if _retries_left(self) else None
    try:
        outcome = reminders.reminder_deliver(reminder_id=reminder_id, claim=claim, retry_in=countdown)
    except reminders.HeldForRetry as held:
        # The row stays claimed for this retry; ``claim`` is the token that takes it back.
        raise self.retry(
            args=[reminder_id], kwargs={"claim": held.claim}, countdown=countdown, exc=held.error
        ) from held.error
    return outcome.status


@shared_task(bind=True, **SENDING)
def notify_recruiter_of_feedback(self, feedback_id: int) -> str:
    try:
        return reminders.recruiter_notify(feedback_id=feedback_id)
    except Exception as error:
        if reminders.is_transient(error):
            raise self.retry(countdown=_backoff(self), exc=error) from error
        raise


@shared_task(bind=True, **SENDING)
def send_interview_invitations(self, interview_id: int) -> str:
    try:
        return reminders.invitations_send(interview_id=interview_id)
    except Exception as error:
        if reminders.is_transient(error):
            raise self.retry(countdown=_backoff(self), exc=error) from error
        raise


@shared_task(bind=True, **SENDING)
def send_digest(self, digest_id: int) -> str:
    try:
        return reminders.digest_deliver(digest_id=digest_id)
    except Exception as error:
        if reminders.is_transient(error):
            raise self.retry(countdown=_backoff(self), exc=error) from error
        raise


# The periodic tasks: a late run is useless once the next one is due, so they expire.
@shared_task(soft_time_limit=50, time_limit=55, expires=55, ignore_result=True)
def sweep_reminders() -> dict:
    result = reminders.run_sweep(
        now=timezone.now(),
        publish_reminder=lambda reminder_id: publish(send_reminder, reminder_id),
        notify_recruiter=lambda feedback_id: publish(notify_recruiter_of_feedback, feedback_id),
        send_invitations=lambda interview_id: publish(send_interview_invitations, interview_id),
    )
    return vars(result)


@shared_task(soft_time_limit=240, time_limit=270, expires=290, ignore_result=True)
def send_digests() -> int:
    published = 0
    for digest_id in reminders.digests_prepare(now=timezone.now()):
        if not publish(send_digest, digest_id):
            break
        published += 1
    return published
