"""Celery tasks of the partnership app: periodic, idempotent by construction (the unique keys of
``PulseSurvey``, ``SuggestedWin`` and of the outbox are the guards), each calling its service.

- ``run_pulse`` (every quarter of an hour): open the pulse surveys that are due in each
  engagement's own zone, and record the one reminder of those that wait.
- ``detect_suggested_wins`` (hourly): offer the wins the portal finds in each engagement's data.
- ``send_weekly_summaries`` (every quarter of an hour): record the Monday summaries now due in
  each engagement's zone; the outbox sends them.
"""

from celery import shared_task
from django.utils import timezone

from .pulse import pulse_reminders_send, pulse_surveys_open
from .suggested_wins import suggested_wins_detect_all
from .weekly_summary import weekly_summaries_enqueue


# A late run is useless once the next one is due, so it expires.
@shared_task(soft_time_limit=600, time_limit=660, expires=840, ignore_result=True)
def run_pulse() -> dict:
    now = timezone.now()
    opened = pulse_surveys_open(now=now)
    reminded = pulse_reminders_send(now=now)
    return {"opened": len(opened), "reminded": reminded}


@shared_task(soft_time_limit=600, time_limit=660, expires=3000, ignore_result=True)
def detect_suggested_wins() -> int:
    return sum(suggested_wins_detect_all(now=timezone.now()).values())


@shared_task(soft_time_limit=240, time_limit=270, expires=840, ignore_result=True)
def send_weekly_summaries() -> int:
    return weekly_summaries_enqueue(now=timezone.now())
