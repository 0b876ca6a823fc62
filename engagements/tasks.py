"""Celery tasks of the engagements app: "an API" that re-reads state and calls a service.

``erase_inactive_candidates`` runs daily from beat (``CELERY_BEAT_SCHEDULE``): retention, the
anonymising of every candidate with no activity for ``CANDIDATE_RETENTION_MONTHS`` months (0: off),
through the same code as an erasure by a person (``engagements.services.candidates``), in batches,
each committed on its own. Idempotent by construction: an erased candidate is never selected or
erased again, so a run that dies halfway is finished by the next one.
"""

from celery import shared_task
from django.conf import settings

from .services import candidates_erase_inactive


# A late run is useless once the next one is due, so it expires; the time limits leave room for a
# large first run (each batch commits, so a run cut short keeps what it did).
@shared_task(soft_time_limit=30 * 60, time_limit=31 * 60, expires=12 * 3600, ignore_result=True)
def erase_inactive_candidates() -> int:
    return candidates_erase_inactive(months=settings.CANDIDATE_RETENTION_MONTHS)
