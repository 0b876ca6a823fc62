"""Celery tasks of the feedback app: "an API" that takes ids, re-reads state and calls a service.

Tasks are enqueued when the transaction commits. If the broker is down at that moment nothing is
lost: the row that asked for the work (a pending ``Reminder``, an unnotified ``Feedback``) is
still there, and the periodic sweep dispatches it again.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """Send ``task`` with ``args`` once the current transaction commits, never failing the caller."""

    def publish() -> None:
        try:
            task.apply_async(args=args)
        except Exception:  # the broker is unreachable: the sweep picks the work up later
            logger.warning("Could not enqueue %s%r; the periodic sweep will retry it.", task.name, args, exc_info=True)

    transaction.on_commit(publish)


# --- Placeholders: the reminder engine replaces these (helper D). ---
from celery import shared_task  # noqa: E402


@shared_task
def send_reminder(reminder_id: int) -> None:
    raise NotImplementedError


@shared_task
def notify_recruiter_of_feedback(feedback_id: int) -> None:
    raise NotImplementedError


@shared_task
def send_interview_invitations(interview_id: int) -> None:
    raise NotImplementedError


@shared_task
def sweep_reminders() -> None:
    raise NotImplementedError


@shared_task
def send_digests() -> None:
    raise NotImplementedError
