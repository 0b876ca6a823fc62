"""Reads on the engagement domain.

Access scoping lives here, one function per model, and the API and pages use only these:

- hiring manager: the requisitions they manage and what hangs off them;
- client admin: everything of their organisation's engagements;
- provider staff: the engagements they manage or hold an active assignment in;
- provider admin: every engagement of their provider;
- a superuser with no organisation (the bootstrap admin): everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import OutOfOffice, User

from .local_dates import local_date, on_engagement_today_q
from .models import (
    Assignment,
    Candidate,
    Engagement,
    ImplementationTask,
    Interview,
    OrientationRead,
    Requisition,
    Submission,
)
from .policies import ORIENTATION_READERS


def active_assignment_q(at: datetime) -> Q:
    """The one definition of an assignment in effect at ``at``: on its engagement's own date
    (``engagements.local_dates``), between its first and last day (both inclusive)."""

    def on(today: date) -> Q:
        return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))

    return on_engagement_today_q(at=at, zone_field="requisition__engagement__time_zone", condition=on)


def engagement_ids_assigned_to(*, user: User) -> QuerySet:
    """Engagements a provider staff member works in: as account manager, by an active assignment,
    or as the named backup of a colleague who is out of office now (their work comes to the backup,
    so the backup must be able to open it)."""
    now = timezone.now()
    managed = Engagement.account_managers.through.objects.filter(user_id=user.pk).values("engagement_id")
    standing_in_for = OutOfOffice.objects.filter(backup_id=user.pk, starts_at__lte=now, ends_at__gt=now).values(
        "user_id"
    )
    assigned = Assignment.objects.filter(
        active_assignment_q(now), Q(recruiter_id=user.pk) | Q(recruiter_id__in=standing_in_for)
    ).values("requisition__engagement_id")
    return Engagement.objects.filter(
        Q(provider_id=user.organization_id) & (Q(id__in=managed) | Q(id__in=assigned))
    ).values("id")


def _visible_engagement_ids(user: User) -> QuerySet | None:
    """Engagement ids a user sees in full, or None when the user is limited per requisition."""
    if user.role == User.Role.PROVIDER_ADMIN:
        return Engagement.objects.filter(provider_id=user.organization_id).values("id")
    if user.role == User.Role.CLIENT_ADMIN:
        return Engagement.objects.filter(client_id=user.organization_id).values("id")
    if user.is_provider_staff:
        return engagement_ids_assigned_to(user=user)
    return None


def _can_see_anything(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.organization_id or user.is_unscoped_admin))


def engagement_list(*, user: User) -> QuerySet[Engagement]:
    queryset = Engagement.objects.select_related("provider", "client", "escalation_contact").prefetch_related(
        "account_managers"
    )
    if not _can_see_anything(user):
        return queryset.none()
    if user.is_unscoped_admin:
        return queryset
    if user.role == User.Role.HIRING_MANAGER:
        return queryset.filter(id__in=Requisition.objects.filter(hiring_manager_id=user.pk).values("engagement_id"))
    return queryset.filter(id__in=_visible_engagement_ids(user))


def requisition_list(*, user: User, mine: bool = False) -> QuerySet[Requisition]:
    """Requisitions a user may see; ``mine`` narrows to "assigned to me" or "I am the hiring manager"."""
    queryset = Requisition.objects.select_related("engagement", "hiring_manager")
    if not _can_see_anything(user):
        return queryset.none()
    if mine:
        queryset = queryset.filter(
            Q(hiring_manager_id=user.pk)
            | Q(
                id__in=Assignment.objects.filter(active_assignment_q(timezone.now()), recruiter_id=user.pk).values(
                    "requisition_id"
                )
            )
        )
    if user.is_unscoped_admin:
        return queryset
    if user.role == User.Role.HIRING_MANAGER:
        return queryset.filter(hiring_manager_id=user.pk)
    return queryset.filter(engagement_id__in=_visible_engagement_ids(user))


def _visible_requisition_ids(user: User, mine: bool = False) -> QuerySet:
    return requisition_list(user=user, mine=mine).values("id")


def assignment_list(*, user: User) -> QuerySet[Assignment]:
    queryset = Assignment.objects.select_related("requisition", "requisition__engagement", "recruiter")
    if not _can_see_anything(user):
        return queryset.none()
    return queryset.filter(requisition_id__in=_visible_requisition_ids(user))


def candidate_list(*, user: User) -> QuerySet[Candidate]:
    """Provider staff see the candidates of the engagements they see, the bench included. Client
    users see only the candidates submitted to requisitions they see (a hiring manager: their own;
    a client admin: their organisation's); their contact details are the provider's
    (``policies.can_see_candidate_contact``, applied by the API's ``CandidateSerializer``)."""
    queryset = Candidate.objects.select_related("engagement")
    if not _can_see_anything(user):
        return queryset.none()
    if user.is_unscoped_admin:
        return queryset
    if user.is_client_user:
        return queryset.filter(
            id__in=Submission.objects.filter(requisition_id__in=_visible_requisition_ids(user)).values("candidate_id")
        )
    return queryset.filter(engagement_id__in=_visible_engagement_ids(user))


def submission_list(*, user: User, mine: bool = False) -> QuerySet[Submission]:
    queryset = Submission.objects.select_related(
        "requisition", "requisition__engagement", "requisition__hiring_manager", "candidate", "submitted_by"
    )
    if not _can_see_anything(user):
        return queryset.none()
    if user.is_unscoped_admin and not mine:
        return queryset
    return queryset.filter(requisition_id__in=_visible_requisition_ids(user, mine=mine))


def interview_list(*, user: User, mine: bool = False) -> QuerySet[Interview]:
    queryset = Interview.objects.select_related(
        "submission", "submission__candidate", "submission__requisition", "submission__requisition__engagement"
    ).prefetch_related("interviewers")
    if not _can_see_anything(user):
        return queryset.none()
    as_interviewer = Q(id__in=Interview.interviewers.through.objects.filter(user_id=user.pk).values("interview_id"))
    if not user.is_unscoped_admin:
        visible = Q(submission__requisition_id__in=_visible_requisition_ids(user))
        if user.is_client_user:
            # A client colleague asked to interview sees that interview too.
            visible |= as_interviewer
        queryset = queryset.filter(visible)
    if mine:
        # Narrows what the user sees; never shows more.
        queryset = queryset.filter(
            as_interviewer | Q(submission__requisition_id__in=_visible_requisition_ids(user, mine=True))
        )
    return queryset


def user_list(*, user: User) -> QuerySet[User]:
    """People a user may see or pick: their own organisation's, and for provider staff also the
    client users of the engagements they see (to choose a hiring manager or interviewer)."""
    queryset = User.objects.select_related("organization").filter(is_active=True)
    if not _can_see_anything(user):
        return queryset.none()
    if user.is_unscoped_admin:
        return queryset
    if user.is_provider_staff:
        client_ids = engagement_list(user=user).values("client_id")
        return queryset.filter(Q(organization_id=user.organization_id) | Q(organization_id__in=client_ids))
    return queryset.filter(organization_id=user.organization_id)


@dataclass
class Team:
    """Who holds each role on a requisition at a moment (see ``requisition_teams``)."""

    primary: Assignment | None = None
    backups: list[Assignment] = field(default_factory=list)  # newest first
    sourcers: list[Assignment] = field(default_factory=list)

    @property
    def backup(self) -> Assignment | None:
        """The requisition's own backup for the coverage rule: the newest."""
        return self.backups[0] if self.backups else None

    @property
    def holders(self) -> list[Assignment]:
        return [assignment for assignment in (self.primary, *self.backups, *self.sourcers) if assignment is not None]


def _handed_over(assignment: Assignment, same_role: list[Assignment]) -> bool:
    """A handover: a newer assignment of the same role starts on this one's last day."""
    return assignment.ends_on is not None and any(
        other.starts_on == assignment.ends_on and (other.starts_on, other.pk) > (assignment.starts_on, assignment.pk)
        for other in same_role
    )


def requisition_teams(*, requisition_ids, at: datetime | None = None, roles=None) -> dict[int, Team]:
    """Who holds each role on each requisition at ``at``, among the assignments in effect: the
    newest primary; the backups and sourcers, newest first, except one whose last day is the first
    day of a newer one in the same role (a handover, or a swap: from that day the new one holds
    the role). One query, whatever the number of requisitions; a requisition with nobody assigned
    gets an empty ``Team``.

    The one home of "who holds a role now": the coverage rule below, the assignment pages and
    ``assignment_swap`` all read it."""
    at = at or timezone.now()
    requisition_ids = list(requisition_ids)
    by_role: dict[tuple[int, str], list[Assignment]] = {}
    assignments = _maybe_in_effect(Assignment.objects.filter(requisition_id__in=requisition_ids), at)
    if roles is not None:
        assignments = assignments.filter(role__in=list(roles))
    in_effect = _InEffectToday(at)
    for assignment in (
        assignments.select_related("recruiter")
        .annotate(engagement_time_zone=F("requisition__engagement__time_zone"))
        .order_by("requisition_id", "-starts_on", "-id")
    ):
        if in_effect(assignment.engagement_time_zone, assignment.starts_on, assignment.ends_on):
            by_role.setdefault((assignment.requisition_id, assignment.role), []).append(assignment)
    teams = {requisition_id: Team() for requisition_id in requisition_ids}
    for (requisition_id, role), same_role in by_role.items():
        team = teams.setdefault(requisition_id, Team())
        if role == Assignment.Role.PRIMARY:
            team.primary = same_role[0]
            continue
        holding = [assignment for assignment in same_role if not _handed_over(assignment, same_role)]
        if role == Assignment.Role.BACKUP:
            team.backups = holding
        else:
            team.sourcers = holding
    return teams


@dataclass(frozen=True)
class Coverage:
    """Who receives a requisition's recruiter notifications at a moment, and why."""

    recruiter: User | None
    primary: User | None
    primary_is_away: bool


def requisition_covering_recruiters(
    *, requisition_ids, at: datetime | None = None, teams: dict[int, Team] | None = None
) -> dict[int, Coverage]:
    """Who covers each requisition at ``at``: the active primary recruiter; while the primary is out
    of office, the requisition's own backup (cross-trained on it) if that person is in, otherwise
    the backup the primary named for the absence. Two queries whatever the number of requisitions.

    This is the one home of the coverage rule: notifications, pages and the API all call it.
    ``teams``: a caller that has read ``requisition_teams`` of the same requisitions at the same
    moment (with the primary and backup roles) passes it, and the rule reads it instead of asking
    again (one query instead of two).
    """
    at = at or timezone.now()
    requisition_ids = list(requisition_ids)
    if teams is None:
        teams = requisition_teams(
            requisition_ids=requisition_ids, at=at, roles=[Assignment.Role.PRIMARY, Assignment.Role.BACKUP]
        )
    primary = {key: team.primary.recruiter for key, team in teams.items() if team.primary is not None}
    backup = {key: team.backup.recruiter for key, team in teams.items() if team.backup is not None}

    people = {user.pk for user in primary.values()} | {user.pk for user in backup.values()}
    away: dict[int, OutOfOffice] = {}
    absences = OutOfOffice.objects.filter(user_id__in=people, starts_at__lte=at, ends_at__gt=at).select_related(
        "backup"
    )
    for absence in absences.order_by("user_id", "-starts_at"):
        away.setdefault(absence.user_id, absence)

    coverage: dict[int, Coverage] = {}
    for requisition_id in requisition_ids:
        main = primary.get(requisition_id)
        second = backup.get(requisition_id)
        if main is None:
            coverage[requisition_id] = Coverage(recruiter=second, primary=None, primary_is_away=False)
        elif main.pk not in away:
            coverage[requisition_id] = Coverage(recruiter=main, primary=main, primary_is_away=False)
        else:
            stand_in = second if second is not None and second.pk not in away else away[main.pk].backup
            coverage[requisition_id] = Coverage(recruiter=stand_in, primary=main, primary_is_away=True)
    return coverage


def requisition_covering_recruiter(*, requisition: Requisition, at: datetime | None = None) -> User | None:
    return requisition_covering_recruiters(requisition_ids=[requisition.pk], at=at)[requisition.pk].recruiter


# --- Added for the requisition pages (issue 4) ----------------------------------------------------


def _maybe_in_effect(assignments: QuerySet, at: datetime) -> QuerySet:
    """``assignments`` narrowed to those whose dates may hold at ``at`` somewhere on Earth (a local
    date is within a day of UTC's): ``_in_effect_today`` decides the rest, row by row. Cheaper to
    build than ``active_assignment_q`` (no zone conditions, no joins) for the lists read whole."""
    utc_day = at.astimezone(UTC).date()
    return assignments.filter(starts_on__lte=utc_day + timedelta(days=1)).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=utc_day - timedelta(days=1))
    )


class _InEffectToday:
    """Whether an assignment is in effect at ``at`` on its engagement's own date (the rule of
    ``active_assignment_q``; ``local_dates.local_date``), each zone's date worked out once."""

    def __init__(self, at: datetime):
        self.at = at
        self.days: dict[str, date] = {}

    def __call__(self, zone: str, starts_on: date, ends_on: date | None) -> bool:
        today = self.days.get(zone)
        if today is None:
            today = self.days[zone] = local_date(zone, self.at)
        return starts_on <= today and (ends_on is None or ends_on >= today)


def _in_effect(assignments: QuerySet, at: datetime, *fields: str) -> list[tuple]:
    """``fields`` of the ``assignments`` in effect at ``at``: one query of plain values."""
    days: dict[str, date] = {}
    found = []
    rows = (
        _maybe_in_effect(assignments, at)
        .order_by()
        .values_list("requisition__engagement__time_zone", "starts_on", "ends_on", *fields)
    )
    for zone, starts_on, ends_on, *values in rows:  # the rule of _InEffectToday, inline: thousands of rows
        today = days.get(zone)
        if today is None:
            today = days[zone] = local_date(zone, at)
        if starts_on <= today and (ends_on is None or ends_on >= today):
            found.append(values)
    return found


def _away_naming(user: User, at: datetime) -> QuerySet:
    """The colleagues away at ``at`` who named ``user`` as their backup (a subquery)."""
    return OutOfOffice.objects.filter(backup_id=user.pk, starts_at__lte=at, ends_at__gt=at).values("user_id")


def _held_by_or_for(user: User, at: datetime, *, role: str | None = None) -> list[tuple]:
    """(requisition_id, recruiter_id, role, engagement_id, provider_id) of the assignments in effect
    at ``at`` of ``user`` and of the colleagues away then who named ``user`` as their backup: one
    query, what "my requisitions" is made of."""
    assignments = Assignment.objects.filter(Q(recruiter_id=user.pk) | Q(recruiter_id__in=_away_naming(user, at)))
    if role is not None:
        assignments = assignments.filter(role=role)
    return _in_effect(
        assignments,
        at,
        "requisition_id",
        "recruiter_id",
        "role",
        "requisition__engagement_id",
        "requisition__engagement__provider_id",
    )


def _covered_as_stand_in(user: User, at: datetime, candidate_ids: set[int]) -> list[int]:
    """``requisition_ids_covered_as_stand_in`` among ``candidate_ids``, the requisitions where a
    colleague away at ``at`` who named ``user`` holds a primary assignment in effect
    (``_held_by_or_for``): those none of whose own backups is in the office (a cheap superset: one
    query), then the coverage rule itself decides. No query without candidates."""
    if not candidate_ids:
        return []
    # A requisition whose backups in effect are all in the office is covered by one of them (the
    # newest), never by the person the primary named for the absence.
    away_now = OutOfOffice.objects.filter(user_id=OuterRef("recruiter_id"), starts_at__lte=at, ends_at__gt=at)
    # The candidates' backups, found through a subquery (a superset: no list of ids to send).
    of_candidates = Assignment.objects.filter(recruiter_id__in=_away_naming(user, at), role=Assignment.Role.PRIMARY)
    backups = Assignment.objects.filter(
        requisition_id__in=of_candidates.values("requisition_id"), role=Assignment.Role.BACKUP
    ).annotate(away=Exists(away_now))
    all_backups_in: dict[int, bool] = {}
    for requisition_id, away in _in_effect(backups, at, "requisition_id", "away"):
        all_backups_in[requisition_id] = all_backups_in.get(requisition_id, True) and not away
    superset = sorted(
        requisition_id for requisition_id in candidate_ids if not all_backups_in.get(requisition_id, False)
    )
    if not superset:
        return []
    coverage = requisition_covering_recruiters(requisition_ids=superset, at=at)
    return [
        requisition_id
        for requisition_id, covered in coverage.items()
        if covered.recruiter is not None and covered.recruiter.pk == user.pk
    ]


def requisition_ids_covered_as_stand_in(*, user: User, at: datetime | None = None) -> list[int]:
    """Requisitions ``user`` covers today only because their primary is out of office and named
    ``user`` as backup (and no in-office backup of the requisition itself comes first). One query
    when nobody named ``user``; otherwise the candidates' backups, then the coverage rule itself
    decides (requisition_covering_recruiters)."""
    at = at or timezone.now()
    held = _held_by_or_for(user, at, role=Assignment.Role.PRIMARY)
    user_id = user.pk
    return _covered_as_stand_in(user, at, {row[0] for row in held if row[1] != user_id})


def requisitions_in_care_of(*, user: User, at: datetime | None = None) -> QuerySet[Requisition]:
    """What a recruiter or sourcer covers today: where they are assigned, and where they stand in
    for a primary who is away. Their "my requisitions" page and their inbox are about these.

    The requisitions ``requisition_list(user=user)`` shows, narrowed to those ``mine`` (assigned
    or hiring manager) or covered as a stand-in. For provider staff, worked out from one query of
    their assignments and those of the colleagues who named them (``_held_by_or_for``), plus the
    stand-in check when someone did: the result is a queryset of the ids found (and, for the
    requisitions they would manage, the scope itself)."""
    at = at or timezone.now()
    if not user.is_provider_staff or user.is_unscoped_admin or not _can_see_anything(user):
        stand_in_ids = requisition_ids_covered_as_stand_in(user=user, at=at)
        assigned = requisition_list(user=user, mine=True).values("id")
        return requisition_list(user=user).filter(Q(id__in=assigned) | Q(id__in=stand_in_ids))
    user_id, organization_id = user.pk, user.organization_id  # read once: user may be a lazy object
    care_ids: set[int] = set()
    candidate_ids: set[int] = set()
    engagement_ids: set[int] = set()
    for requisition_id, recruiter_id, role, engagement_id, provider_id in _held_by_or_for(user, at):
        # Both sets lie in engagements the user sees: theirs, or those of the colleague they stand in for.
        if provider_id != organization_id:
            continue
        engagement_ids.add(engagement_id)
        if recruiter_id == user_id:
            care_ids.add(requisition_id)
        elif role == Assignment.Role.PRIMARY:
            candidate_ids.add(requisition_id)
    care_ids.update(_covered_as_stand_in(user, at, candidate_ids))
    if user.role == User.Role.PROVIDER_ADMIN:
        visible_engagements = Engagement.objects.filter(provider_id=organization_id).values("id")
    else:
        managed = Engagement.account_managers.through.objects.filter(user_id=user_id).values("engagement_id")
        visible_engagements = Engagement.objects.filter(
            Q(id__in=managed) | Q(id__in=sorted(engagement_ids)), provider_id=organization_id
        ).values("id")
    return Requisition.objects.select_related("engagement", "hiring_manager").filter(
        Q(id__in=_ids(care_ids)) | Q(hiring_manager_id=user_id, engagement_id__in=visible_engagements)
    )


def _ids(ids: set[int]):
    """``ids`` for an ``__in`` lookup. On PostgreSQL one array parameter (``unnest``): a list of a
    thousand ids would cost a thousand parameters to prepare, in Python, on every query."""
    if connection.vendor == "postgresql" and ids:
        return RawSQL("SELECT unnest(%s::bigint[])", (sorted(ids),), output_field=BigIntegerField())
    return sorted(ids)


def submission_stage_counts(*, requisition_ids) -> dict[int, dict[str, int]]:
    """Submissions per stage of each requisition: one grouped query on ``submission_req_stage_idx``."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Submission.objects.filter(requisition_id__in=requisition_ids)
        .order_by()
        .values_list("requisition_id", "stage")
        .annotate(total=Count("id"))
    )
    for requisition_id, stage, total in rows:
        counts.setdefault(requisition_id, {})[stage] = total
    return counts


# --- Who hears about an escalation ------------------------------------------------------------------


def escalation_recipient_list(*, contact_id, client_id) -> QuerySet[User]:
    """The one rule of who an engagement escalates to: its escalation contact while that person is
    active; otherwise every active client admin of the client. Ordered by id: the first is the one
    a reminder record names.

    ``contact_id`` and ``client_id`` are values, or expressions naming columns of an outer query
    (the reminder sweep embeds this query in its SQL, so the rule is not written twice)."""
    contact_is_active = User.objects.filter(pk=contact_id, is_active=True)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk=contact_id) | (~Exists(contact_is_active) & Q(organization_id=client_id, role=User.Role.CLIENT_ADMIN))
        )
        .order_by("id")
    )


def escalation_recipients(*, engagement: Engagement) -> list[User]:
    return list(escalation_recipient_list(contact_id=engagement.escalation_contact_id, client_id=engagement.client_id))


# --- The implementation checklist and the orientation ----------------------------------------------


def implementation_task_list(*, engagement: Engagement) -> QuerySet:
    """An engagement's checklist in its order, with each task's owner and who marked it done
    (callers reach it through ``engagement_list``, which decides who sees it)."""
    return (
        ImplementationTask.objects.filter(engagement_id=engagement.pk)
        .select_related("owner__organization", "completed_by")
        .order_by("position", "id")
    )


@dataclass(frozen=True)
class ImplementationProgress:
    done: int
    total: int
    next_due: object | None  # the open task due first (undated ones last), or None

    @property
    def all_done(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def implementation_progress(*, engagement: Engagement, tasks: list | None = None) -> ImplementationProgress:
    """How far the checklist has come: done of total, and the open task due next (one query, none
    when the caller has the checklist's ``tasks`` already)."""
    if tasks is None:
        tasks = list(implementation_task_list(engagement=engagement))
    open_tasks = sorted(
        (task for task in tasks if task.completed_at is None),
        key=lambda task: (task.due_on is None, task.due_on or date.max, task.position, task.pk),
    )
    return ImplementationProgress(
        done=len(tasks) - len(open_tasks), total=len(tasks), next_due=open_tasks[0] if open_tasks else None
    )


def orientation_is_unread(*, user: User, engagement: Engagement) -> bool:
    """Whether ``user``, a recruiter or sourcer, has not read the engagement's orientation as it
    stands (``Engagement.orientation_version``, read from the instance given: no query for anyone
    else, nor before a first note). One query."""
    if user.role not in ORIENTATION_READERS or not engagement.orientation_version:
        return False
    return not OrientationRead.objects.filter(
        engagement_id=engagement.pk, user_id=user.pk, version__gte=engagement.orientation_version
    ).exists()


def orientation_unread_engagement_ids(*, user: User, engagement_ids) -> set[int]:
    """Of ``engagement_ids``, those whose orientation ``user`` (a recruiter or sourcer) has not read
    as it stands: one query, however many (for a list of requisitions)."""
    if user.role not in ORIENTATION_READERS:
        return set()
    read = OrientationRead.objects.filter(
        engagement_id=OuterRef("pk"), user_id=user.pk, version__gte=OuterRef("orientation_version")
    )
    return set(
        Engagement.objects.filter(id__in=list(engagement_ids), orientation_version__gt=0)
        .exclude(Exists(read))
        .values_list("id", flat=True)
    )


@dataclass(frozen=True)
class OrientationReader:
    user: User
    read_version: int | None  # the version they last marked read, None if never
    read_at: datetime | None
    has_read: bool


def orientation_readers(*, engagement: Engagement, at: datetime | None = None) -> list[OrientationReader]:
    """The people asked to read the engagement's orientation: the active recruiters and sourcers with
    an assignment in effect on one of its requisitions, each with whether they have read its current
    version; those who have not come first. One query."""
    at = at or timezone.now()
    assigned = Assignment.objects.filter(
        active_assignment_q(at), requisition__engagement_id=engagement.pk, recruiter_id=OuterRef("pk")
    )
    read = OrientationRead.objects.filter(engagement_id=engagement.pk, user_id=OuterRef("pk"))
    people = (
        User.objects.filter(Exists(assigned), is_active=True, role__in=ORIENTATION_READERS)
        .annotate(read_version=Subquery(read.values("version")[:1]), read_at=Subquery(read.values("read_at")[:1]))
        .order_by("full_name", "email")
    )
    current = engagement.orientation_version
    readers = [
        OrientationReader(
            user=person,
            read_version=person.read_version,
            read_at=person.read_at,
            has_read=person.read_version is not None and person.read_version >= current,
        )
        for person in people
    ]
    return sorted(readers, key=lambda reader: reader.has_read)
