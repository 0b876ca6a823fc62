"""Celery tasks of the feedback app: "an API" that takes ids, re-reads state and calls the engine.

Tasks are enqueued when the transaction commits. If the broker is down at that moment nothing is
lost: the row that asked for the work (a pending ``Reminder``, a ``Digest``) is still there, and
the periodic sweep dispatches it again. "Feedback received" and interview invitations are outbox
emails (``rpo_portal.outbox``), sent by ``rpo_portal.tasks``.

Every sending task shares ``rpo_portal.tasks.SENDING``: acks late, time limits, and retries with
exponential backoff on the named transient errors only (``rpo_portal.delivery.TRANSIENT_ERRORS``).
"""

import logging

from celery import shared_task
from django.utils import timezone

from rpo_portal.delivery import is_transient, publish_all
from rpo_portal.tasks import SENDING, backoff, deliver_with_retries, enqueue_on_commit, publish, publish_many

from . import reminders
from .cost_of_waiting import refresh_costs_of_waiting as _refresh_costs_of_waiting

logger = logging.getLogger(__name__)

__all__ = [
    "enqueue_on_commit",
    "publish",
    "refresh_costs_of_waiting",
    "run_sweep",
    "send_digest",
    "send_digests",
    "send_reminder",
    "sweep_reminders",
]


def _deliver_reminder(reminder_id: int, *, claim: str | None, retry_in: float | None):
    return reminders.reminder_deliver(reminder_id=reminder_id, claim=claim, retry_in=retry_in)


@shared_task(bind=True, **SENDING)
def send_reminder(self, reminder_id: int, claim: str | None = None) -> str:
    return deliver_with_retries(self, _deliver_reminder, reminder_id, claim)


@shared_task(bind=True, **SENDING)
def send_digest(self, digest_id: int) -> str:
    try:
        return reminders.digest_deliver(digest_id=digest_id)
    except Exception as error:
        if is_transient(error):
            raise self.retry(countdown=backoff(self), exc=error) from error
        raise


# The periodic tasks: a late run is useless once the next one is due, so they expire.
@shared_task(soft_time_limit=50, time_limit=55, expires=55, ignore_result=True)
def sweep_reminders() -> dict:
    return vars(run_sweep(now=timezone.now()))


def run_sweep(*, now, **publish_options) -> reminders.SweepResult:
    """The sweep task's work: record, advance, reclaim, and publish the send tasks in one batch.
    ``publish_options`` go to ``apply_async`` (the benchmark publishes to a queue nobody consumes)."""
    return reminders.run_sweep(
        now=now, publish_reminders=lambda ids: publish_many(send_reminder, ids, **publish_options)
    )


@shared_task(soft_time_limit=240, time_limit=270, expires=290, ignore_result=True)
def send_digests() -> int:
    digest_ids = reminders.digests_prepare(now=timezone.now())
    return len(publish_all(digest_ids, lambda digest_id: publish(send_digest, digest_id)))


@shared_task(soft_time_limit=600, time_limit=660, expires=1200, ignore_result=True)
def refresh_costs_of_waiting() -> int:
    """Every engagement's cost of waiting, computed ahead of the pages and emails that show it."""
    return _refresh_costs_of_waiting()
