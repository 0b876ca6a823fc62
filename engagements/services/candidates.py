"""Erasing candidates' personal data: by a person (``candidate_erase``) or by the retention task
(``candidates_erase_inactive``), both through one code path (``_erase``).

Erasure anonymises in place; nothing is deleted. The candidate's name becomes
"Erased candidate #<id>", their contact details, title, location and source are blanked, and so
is every free text kept about them: the submissions' pitch (``summary``), the notes of their stage
changes, their interviews' location (often a call link or an address with their name in it), and,
through the ``candidate_erased`` signal, what higher apps keep (the hiring managers' feedback
comments). The submissions, their stages, the history's moments, the interviews' times and the
answers' decisions and ratings stay, so the scorecard's figures do not move. The candidate keeps
``erased_at`` and ``erased_by`` (``None`` for retention), and one line per candidate is logged.

An erased candidate is never erased twice (the rows are re-read under a lock, and only those not
yet erased are touched) and cannot be changed back (``candidate_update`` refuses). The email is
blanked, so the unique (engagement, email) constraint, which ignores blank emails, still holds and
the address can be used by a new candidate.
"""

from __future__ import annotations

import calendar
import logging
from datetime import datetime

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.models import User

from .. import policies
from ..activity import engagement_changed
from ..models import Candidate, Interview, Submission, SubmissionStageChange
from ..signals import candidate_erased

logger = logging.getLogger(__name__)

ERASED_NAME_PREFIX = "Erased candidate #"
RETENTION_BATCH_SIZE = 500


def erased_name(candidate_id: int) -> str:
    """The name an erased candidate is shown under (the same as the database writes)."""
    return f"{ERASED_NAME_PREFIX}{candidate_id}"


@transaction.atomic
def candidate_erase(*, actor: User, candidate: Candidate) -> Candidate:
    """Anonymise ``candidate`` in place (see the module docstring). Idempotent: a candidate who
    is already erased is left as they are (and keeps who erased them, and when)."""
    policies.require(policies.can_erase_candidate(actor, candidate.engagement), policies.MAY_NOT_ERASE_CANDIDATE)
    _erase(Candidate.objects.filter(pk=candidate.pk), erased_by=actor, at=timezone.now())
    candidate.refresh_from_db()
    return candidate


def candidates_inactive_since(cutoff: datetime) -> QuerySet[Candidate]:
    """Candidates not yet erased with no activity at or after ``cutoff``. A candidate's activity
    is the latest of: their creation, their submissions' submission and stage changes
    (``stage_changed_at`` is the latest move), and their interviews (booked, held, or completed;
    an interview still to come counts as activity). Set-based: two NOT EXISTS on indexed columns."""
    recent_submission = Submission.objects.filter(candidate_id=OuterRef("pk")).filter(
        Q(submitted_at__gte=cutoff) | Q(stage_changed_at__gte=cutoff)
    )
    recent_interview = Interview.objects.filter(submission__candidate_id=OuterRef("pk")).filter(
        Q(created_at__gte=cutoff) | Q(starts_at__gte=cutoff) | Q(completed_at__gte=cutoff)
    )
    return (
        # candidate_retention_idx: WHERE erased_at IS NULL AND created_at < cutoff
        Candidate.objects.filter(erased_at__isnull=True, created_at__lt=cutoff)
        .filter(~Exists(recent_submission))
        .filter(~Exists(recent_interview))
    )


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` moved back ``months`` calendar months (the 31st becomes the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def candidates_erase_inactive(
    *, months: int, now: datetime | None = None, batch_size: int = RETENTION_BATCH_SIZE
) -> int:
    """Retention: erase every candidate with no activity for ``months`` months (0: off), in
    batches of ``batch_size``, each batch in its own transaction (a long run holds no lock for
    long, and what is done stays done). Returns how many were erased. Nobody is its author."""
    if months <= 0:
        return 0
    now = now or timezone.now()
    cutoff = months_before(now, months)
    inactive = candidates_inactive_since(cutoff)
    erased, after = 0, 0
    while True:
        batch = list(inactive.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not batch:
            return erased
        with transaction.atomic():
            # Re-checked under the lock: a candidate who moved since the batch was read is kept.
            erased += len(_erase(inactive.filter(pk__in=batch), erased_by=None, at=now, months=months))
        after = batch[-1]


def _erase(candidates: QuerySet[Candidate], *, erased_by: User | None, at: datetime, months: int = 0) -> list[int]:
    """Anonymise the candidates of ``candidates`` not yet erased; the ids erased. Run inside a
    transaction. A handful of UPDATEs whatever the number of candidates."""
    rows = list(
        candidates.filter(erased_at__isnull=True).select_for_update().order_by("pk").values_list("pk", "engagement_id")
    )
    if not rows:
        return []
    ids = [candidate_id for candidate_id, _ in rows]
    Candidate.objects.filter(pk__in=ids).update(
        full_name=Concat(Value(ERASED_NAME_PREFIX), Cast("pk", output_field=CharField()), output_field=CharField()),
        email="",
        phone="",
        current_title="",
        location="",
        source="",
        erased_at=at,
        erased_by=erased_by,
    )
    Submission.objects.filter(candidate_id__in=ids).exclude(summary="").update(summary="")
    SubmissionStageChange.objects.filter(submission__candidate_id__in=ids).exclude(note="").update(note="")
    Interview.objects.filter(submission__candidate_id__in=ids).exclude(location="").update(location="")
    candidate_erased.send(sender=Candidate, candidate_ids=ids, erased_by=erased_by)
    # The candidates' names are on the scorecard's overdue lists: cached pages must refresh.
    engagement_changed(*{engagement_id for _, engagement_id in rows})
    who = f"user {erased_by.pk}" if erased_by is not None else f"retention ({months} months without activity)"
    for candidate_id, engagement_id in rows:
        logger.info(
            "Erased the personal data of candidate #%s of engagement %s, by %s.", candidate_id, engagement_id, who
        )
    return ids
