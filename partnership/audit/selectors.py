"""Reads on the audit trail: the one scope of entries a person may read, and its filters.

- An engagement's History (``engagement_history``): its account managers, the provider's admins and
  its client's admins (``policies.runs_engagement``) read the entries of the engagement and those
  about the client organisation's people (activation, out of office). A client admin never reads
  an entry of another engagement or about another organisation's people.
- The whole History (``history_list``): a provider admin reads the entries of the engagements
  their organisation provides and those about the people of the organisations in them; the
  bootstrap admin reads everything.

Both filter ``LogEntry.additional_data`` by key (``partnership.audit.registration``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from accounts.models import OutOfOffice, User
from engagements.models import Assignment, Engagement, Interview, OrientationNote, Submission
from engagements.selectors import engagement_list

from ..models import PartnershipItem

# What changed, as the filter offers it: (value, label, model).
KINDS: list[tuple[str, str, type]] = [
    ("engagement", "Engagement and SLA policy", Engagement),
    ("assignment", "Assignments", Assignment),
    ("submission", "Submission stages", Submission),
    ("interview", "Interviews", Interview),
    ("orientation", "Orientation notes", OrientationNote),
    ("item", "Issues and wins", PartnershipItem),
    ("out_of_office", "Out of office", OutOfOffice),
    ("user", "People's activation", User),
]
KIND_CHOICES = [(value, label) for value, label, _model in KINDS]
KIND_MODELS = {value: model for value, _label, model in KINDS}
NOBODY = "portal"  # the actor filter's value for entries no person made (tasks, commands)


@dataclass(frozen=True)
class HistoryFilters:
    kind: str = ""
    actor_id: int | None = None
    by_portal: bool = False
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    engagement_id: int | None = None  # the whole History only


def _entries() -> QuerySet[LogEntry]:
    # Newest first; the id breaks ties of entries written in the same transaction.
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")


def engagement_scope_q(engagement: Engagement) -> Q:
    """The entries of an engagement's History: its own, and those about its client's people."""
    return Q(additional_data__engagement_id=engagement.pk) | Q(additional_data__organization_id=engagement.client_id)


def _filtered(entries: QuerySet[LogEntry], filters: HistoryFilters) -> QuerySet[LogEntry]:
    if filters.kind:
        entries = entries.filter(content_type=ContentType.objects.get_for_model(KIND_MODELS[filters.kind]))
    if filters.by_portal:
        entries = entries.filter(actor__isnull=True)
    elif filters.actor_id is not None:
        entries = entries.filter(actor_id=filters.actor_id)
    if filters.since is not None:
        entries = entries.filter(timestamp__gte=filters.since)
    if filters.until is not None:
        entries = entries.filter(timestamp__lt=filters.until)
    if filters.engagement_id is not None:
        entries = entries.filter(additional_data__engagement_id=filters.engagement_id)
    return entries


def engagement_history(*, engagement: Engagement, filters: HistoryFilters = HistoryFilters()) -> QuerySet[LogEntry]:
    """The History of ``engagement`` (the caller checked the viewer runs it), newest first."""
    return _filtered(_entries().filter(engagement_scope_q(engagement)), filters)


def history_scope_q(*, user: User) -> Q | None:
    """The entries ``user`` reads on the whole History: None for everything, ``Q(pk__in=[])`` for
    nothing."""
    if user.is_unscoped_admin:
        return None
    if not (user.is_active and user.is_provider_admin):
        return Q(pk__in=[])
    engagements = list(engagement_list(user=user).order_by().values_list("id", "client_id"))
    engagement_ids = [engagement_id for engagement_id, _client_id in engagements]
    organization_ids = sorted({user.organization_id, *(client_id for _engagement_id, client_id in engagements)})
    return Q(additional_data__engagement_id__in=engagement_ids) | Q(
        additional_data__organization_id__in=organization_ids
    )


def can_read_whole_history(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_unscoped_admin or user.is_provider_admin))


def history_list(*, user: User, filters: HistoryFilters = HistoryFilters()) -> QuerySet[LogEntry]:
    """Every entry ``user`` may read on the whole History, newest first."""
    scope = history_scope_q(user=user)
    entries = _entries() if scope is None else _entries().filter(scope)
    return _filtered(entries, filters)


def actors_of(entries: QuerySet[LogEntry]) -> QuerySet[User]:
    """The people who made some of ``entries``: whom the actor filter offers."""
    return User.objects.filter(pk__in=entries.order_by().filter(actor__isnull=False).values("actor_id")).order_by(
        "full_name", "email"
    )
