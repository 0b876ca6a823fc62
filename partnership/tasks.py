"""Celery tasks of the partnership app: "an API" that re-reads state and calls a service.

``run_pulse`` (beat, every quarter of an hour): open the pulse surveys that are due in each
engagement's own zone, and record the one reminder of those that wait. Both are idempotent by
their unique keys, so overlapping runs are harmless; the emails go through the outbox.
"""

from celery import shared_task
from django.utils import timezone

from .pulse import pulse_reminders_send, pulse_surveys_open


# A late run is useless once the next one is due, so it expires.
@shared_task(soft_time_limit=600, time_limit=660, expires=840, ignore_result=True)
def run_pulse() -> dict:
    now = timezone.now()
    opened = pulse_surveys_open(now=now)
    reminded = pulse_reminders_send(now=now)
    return {"opened": len(opened), "reminded": reminded}
