"""Celery tasks of the portal's plumbing: sending the outbox, and what every sending task shares.

Tasks are "an API": they take ids, re-read state and call a service. They are enqueued when the
transaction commits (``enqueue_on_commit``); if the broker is down at that moment nothing is lost:
the row that asked for the work is still there, and a periodic sweep publishes it again.

Every sending task (``SENDING``) acks late (a worker killed mid-task leaves the message to be
redelivered; the claim makes the redelivery a no-op and the sweep's lease recovers the row), has
time limits, and retries with exponential backoff on the named transient errors only
(``rpo_portal.delivery.TRANSIENT_ERRORS``: SMTP disconnects and connect/HELO failures, SMTP 4xx
replies, connection errors, timeouts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import BatchPublishError, OperationalError

from . import outbox
from .delivery import HeldForRetry, Outcome

logger = logging.getLogger(__name__)

# What publishing raises when the broker is unreachable (kombu wraps the transport's errors).
BROKER_ERRORS = (OperationalError, ConnectionError, TimeoutError)

RETRY_BACKOFF = 30  # seconds, doubled per retry (full jitter)
RETRY_BACKOFF_MAX = 15 * 60
SENDING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": 5,
    # Far below SENDING_LEASE (10 minutes), so a running send is never reclaimed.
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


# Messages buffered before one round trip to the broker (``publish_many``).
PUBLISH_BATCH = 500


def publish_many(task, ids: list[int], **options) -> list[int]:
    """Publish ``task(id)`` for every id in one pipelined batch (kombu's ``Producer.batch``: on
    Redis one round trip per ``PUBLISH_BATCH`` messages, instead of one per message; other
    transports publish one by one through the same producer). Returns ``ids`` when all were
    handed to the broker, or [] (logged) when it could not be reached: a batch that failed half-way
    may have been partly delivered, and the caller publishes those ids again later, which the
    send tasks' claims make harmless. ``options`` go to ``apply_async`` (the benchmark names a queue)."""
    if not ids:
        return []
    try:
        with task.app.producer_or_acquire() as producer, producer.batch(max_size=PUBLISH_BATCH):
            for object_id in ids:
                task.apply_async(args=(object_id,), producer=producer, **options)
    except (*BROKER_ERRORS, BatchPublishError):
        logger.warning("Could not enqueue %d %s tasks; the periodic sweep will retry them.", len(ids), task.name)
        return []
    return list(ids)


def enqueue_on_commit(task, *args) -> None:
    """Send ``task`` with ``args`` once the current transaction commits, never failing the caller
    because of the broker (the sweep picks the work up later)."""
    transaction.on_commit(lambda: publish(task, *args))


def backoff(task) -> float:
    return get_exponential_backoff_interval(
        factor=RETRY_BACKOFF, retries=task.request.retries, maximum=RETRY_BACKOFF_MAX, full_jitter=True
    )


def retries_left(task) -> bool:
    return task.request.retries < task.max_retries


def deliver_with_retries(task, deliver: Callable[..., Outcome], object_id: int, claim: str | None) -> str:
    """Run one claimed send (``deliver(object_id, claim=..., retry_in=...)``) inside ``task``; a
    transient failure keeps the row claimed and retries the task with the claim as its token."""
    countdown = backoff(task) if retries_left(task) else None
    try:
        outcome = deliver(object_id, claim=claim, retry_in=countdown)
    except HeldForRetry as held:
        raise task.retry(
            args=[object_id], kwargs={"claim": held.claim}, countdown=countdown, exc=held.error
        ) from held.error
    return outcome.status


def _deliver_email(email_id: int, *, claim: str | None, retry_in: float | None) -> Outcome:
    return outbox.outbound_email_deliver(email_id=email_id, claim=claim, retry_in=retry_in)


@shared_task(bind=True, **SENDING)
def send_outbound_email(self, email_id: int, claim: str | None = None) -> str:
    return deliver_with_retries(self, _deliver_email, email_id, claim)


# A late run is useless once the next one is due, so it expires.
@shared_task(soft_time_limit=50, time_limit=55, expires=55, ignore_result=True)
def sweep_outbox() -> dict:
    result = outbox.outbox_sweep(now=timezone.now(), publish=lambda email_id: publish(send_outbound_email, email_id))
    return vars(result)
