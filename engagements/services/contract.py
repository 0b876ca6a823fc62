"""The contract: engagements and their service levels, requisitions, assignments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts.models import Organization, User
from accounts.services import user_invite
from rpo_portal.dates import require_sane_dates

from .. import policies
from ..activity import engagement_changed
from ..implementation import implementation_checklist_create
from ..local_dates import engagement_today, on_engagement_today_q
from ..models import Assignment, Engagement, Requisition
from ..selectors import requisition_teams
from ..sla import sla_errors
from .checks import full_clean, only_fields, save_checked

ENGAGEMENT_FIELDS = (
    "name",
    "status",
    "escalation_contact",
    "resume_feedback_due_hours",
    "interview_feedback_due_hours",
    "availability_due_hours",
    "reminder_lead_hours",
    "escalation_delay_hours",
    "time_zone",
    "business_day_start",
    "business_day_end",
    "business_weekdays",
    "started_on",
    "pulse_cadence",
    "country",
    "region",
    "target_days_to_first_submission",
    "target_submissions_per_requisition",
    "target_submission_to_interview_percent",
    "target_days_to_fill",
)


def engagement_check_account_managers(provider_id: int, account_managers: Iterable[User]) -> None:
    for manager in account_managers:
        if manager.organization_id != provider_id or manager.role not in (
            User.Role.ACCOUNT_MANAGER,
            User.Role.PROVIDER_ADMIN,
        ):
            raise ValidationError({"account_managers": f"{manager} is not an account manager of this provider."})


def engagement_check_sla(engagement: Engagement) -> None:
    """Service levels that cannot produce a due time within ``SLA_MAX_DUE_WEEKS`` are refused
    (``engagements.sla``): the SLA page, the API and the admin all save through here."""
    errors = sla_errors(engagement)
    if errors:
        raise ValidationError(errors)


def _clean_engagement(engagement: Engagement) -> None:
    """The model's rules and the SLA's, all reported at once, each message once."""
    errors: dict[str, list[str]] = {}
    for check in (full_clean, engagement_check_sla):
        try:
            check(engagement)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                shown = errors.setdefault(field, [])
                shown.extend(message for message in messages if message not in shown)
    if errors:
        raise ValidationError(errors)


def engagement_check_escalation_contact(client_id: int, contact: User | None) -> None:
    if contact is not None and (contact.organization_id != client_id or not contact.is_client_user):
        raise ValidationError({"escalation_contact": "The escalation contact must be a user of the client."})


@transaction.atomic
def engagement_create(
    *,
    actor: User,
    provider: Organization,
    client: Organization,
    account_managers: Iterable[User] = (),
    **fields: Any,
) -> Engagement:
    policies.require(policies.can_create_engagement(actor, provider), policies.MAY_NOT_OPEN_ENGAGEMENT)
    if provider.kind != Organization.Kind.PROVIDER:
        raise ValidationError({"provider": "The provider must be a provider organisation."})
    if client.kind != Organization.Kind.CLIENT:
        raise ValidationError({"client": "The client must be a client organisation."})
    only_fields(fields, ENGAGEMENT_FIELDS, "engagement")
    require_sane_dates(started_on=fields.get("started_on"))
    account_managers = list(account_managers)
    engagement_check_account_managers(provider.pk, account_managers)
    engagement_check_escalation_contact(client.pk, fields.get("escalation_contact"))
    engagement = Engagement(provider=provider, client=client, **fields)
    if not fields.get("time_zone"):
        engagement.time_zone = client.time_zone
    _clean_engagement(engagement)
    engagement.save()
    engagement.account_managers.set(account_managers)
    # It starts with the default implementation checklist (made once: by each step's key).
    implementation_checklist_create(engagement=engagement)
    return engagement


@transaction.atomic
def engagement_update(
    *, actor: User, engagement: Engagement, account_managers: Iterable[User] | None = None, **fields: Any
) -> Engagement:
    """Change an engagement. SLA changes apply to requests opened from now on; open requests keep
    the due time they were given."""
    policies.require(
        policies.can_manage_engagement(actor, engagement),
        policies.MAY_NOT_CHANGE_ENGAGEMENT,
    )
    only_fields(fields, ENGAGEMENT_FIELDS, "engagement")
    require_sane_dates(started_on=fields.get("started_on"))
    for name, value in fields.items():
        setattr(engagement, name, value)
    engagement_check_escalation_contact(engagement.client_id, engagement.escalation_contact)
    _clean_engagement(engagement)
    engagement.save(update_fields=[*fields] if fields else None)
    if account_managers is not None:
        account_managers = list(account_managers)
        engagement_check_account_managers(engagement.provider_id, account_managers)
        engagement.account_managers.set(account_managers)
    engagement_changed(engagement.pk)
    return engagement


def requisition_check_hiring_manager(engagement: Engagement, hiring_manager: User) -> None:
    if (
        hiring_manager.organization_id != engagement.client_id
        or not hiring_manager.is_client_user
        or not hiring_manager.is_active
    ):
        raise ValidationError({"hiring_manager": "The hiring manager must be an active user of the client."})


REQUISITION_FIELDS = (
    "code",
    "title",
    "hiring_manager",
    "location",
    "openings",
    "status",
    "priority",
    "opened_on",
    "target_on",
    "filled_on",
)


REQUISITION_DATE_FIELDS = ("opened_on", "target_on", "filled_on")


def _record_filled_on(requisition: Requisition) -> bool:
    """A filled requisition records the day it was filled: the engagement's today unless given (and
    never before its opening date, which may have been written as another zone's today)."""
    if requisition.status == Requisition.Status.FILLED and requisition.filled_on is None:
        today = engagement_today(requisition.engagement)
        requisition.filled_on = max(today, requisition.opened_on) if requisition.opened_on else today
        return True
    return False


@transaction.atomic
def requisition_create(
    *, actor: User, engagement: Engagement, code: str, title: str, hiring_manager: User, **fields: Any
) -> Requisition:
    policies.require(policies.can_manage_requisitions(actor, engagement), policies.MAY_NOT_OPEN_REQUISITION)
    only_fields(fields, REQUISITION_FIELDS, "requisition")
    require_sane_dates(**{name: fields.get(name) for name in REQUISITION_DATE_FIELDS})
    requisition_check_hiring_manager(engagement, hiring_manager)
    fields.setdefault("opened_on", engagement_today(engagement))
    requisition = Requisition(
        engagement=engagement, code=code.strip(), title=title, hiring_manager=hiring_manager, **fields
    )
    _record_filled_on(requisition)
    full_clean(requisition)
    save_checked(requisition)
    engagement_changed(engagement.pk)
    return requisition


@transaction.atomic
def requisition_update(*, actor: User, requisition: Requisition, **fields: Any) -> Requisition:
    policies.require(
        policies.can_manage_requisitions(actor, requisition.engagement),
        policies.MAY_NOT_CHANGE_REQUISITION,
    )
    only_fields(fields, REQUISITION_FIELDS, "requisition")
    require_sane_dates(**{name: fields.get(name) for name in REQUISITION_DATE_FIELDS})
    if "hiring_manager" in fields:
        requisition_check_hiring_manager(requisition.engagement, fields["hiring_manager"])
    for name, value in fields.items():
        setattr(requisition, name, value)
    if _record_filled_on(requisition):
        fields["filled_on"] = requisition.filled_on
    full_clean(requisition)
    save_checked(requisition, update_fields=[*fields] if fields else None)
    engagement_changed(requisition.engagement_id)
    return requisition


def _overlaps(starts_on: date, ends_on: date | None) -> Q:
    """Assignments whose period overlaps [starts_on, ends_on] (open ends are infinite).

    Sharing only a boundary day is a handover, not an overlap: ending Rita today and starting Ivan
    today is allowed, and from today the newest primary covers (requisition_covering_recruiters).
    """
    q = Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on)
    if ends_on is not None:
        q &= Q(starts_on__lt=ends_on)
    return q


@transaction.atomic
def assignment_create(
    *,
    actor: User,
    requisition: Requisition,
    recruiter: User,
    role: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Assignment:
    policies.require(
        policies.can_manage_assignments(actor, requisition),
        policies.MAY_NOT_ASSIGN,
    )
    require_sane_dates(starts_on=starts_on, ends_on=ends_on)
    starts_on = starts_on or engagement_today(requisition.engagement)
    if recruiter.organization_id != requisition.engagement.provider_id or recruiter.role not in (
        User.Role.RECRUITER,
        User.Role.SOURCER,
        User.Role.ACCOUNT_MANAGER,
        User.Role.PROVIDER_ADMIN,
    ):
        raise ValidationError({"recruiter": "Assign a member of the provider's recruiting staff."})
    if not recruiter.is_active:
        raise ValidationError({"recruiter": "This person's account is deactivated."})
    assignment = Assignment(
        requisition=requisition, recruiter=recruiter, role=role, starts_on=starts_on, ends_on=ends_on
    )
    full_clean(assignment)
    # Lock the requisition so that two concurrent primary assignments cannot both pass the check.
    Requisition.objects.select_for_update().filter(pk=requisition.pk).first()
    same_role = Assignment.objects.filter(_overlaps(starts_on, ends_on), requisition=requisition)
    if role == Assignment.Role.PRIMARY and same_role.filter(role=Assignment.Role.PRIMARY).exists():
        raise ValidationError({"role": "This requisition already has a primary recruiter for that period."})
    if same_role.filter(recruiter=recruiter, role=role).exists():
        raise ValidationError({"recruiter": "This person already has that role on this requisition."})
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:
        raise ValidationError({"role": "This requisition already has a primary recruiter."}) from error
    engagement_changed(requisition.engagement_id)  # who covers it: named in the scorecard's overdue list
    return assignment


@transaction.atomic
def assignment_end(*, actor: User, assignment: Assignment, ends_on: date | None = None) -> Assignment:
    policies.require(
        policies.can_manage_assignments(actor, assignment.requisition),
        policies.MAY_NOT_END_ASSIGNMENT,
    )
    require_sane_dates(ends_on=ends_on)
    ends_on = ends_on or engagement_today(assignment.requisition.engagement)
    if ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": "An assignment cannot end before it starts."})
    if assignment.ends_on is not None and ends_on > assignment.ends_on:
        # Extending could overlap a successor, which only assignment_create checks.
        raise ValidationError(
            {"ends_on": "This assignment has already ended; to continue it, add a new assignment from that day."}
        )
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    engagement_changed(assignment.requisition.engagement_id)
    return assignment


# --- Handing over what a deactivated person holds (``accounts.handover``; registered in
# ``engagements.handover``). Each goes through the services above, so their rules and policies apply.

HANDED_OVER_REQUISITION_STATUSES = (Requisition.Status.OPEN, Requisition.Status.ON_HOLD)


def requisitions_held_by(*, user_ids) -> Q:
    """Requisitions a hiring manager still answers for: open or on hold (filled and cancelled ones
    keep the name they were filled or cancelled with)."""
    return Q(hiring_manager_id__in=user_ids, status__in=HANDED_OVER_REQUISITION_STATUSES)


@transaction.atomic
def requisitions_hand_over(*, actor: User, user: User, to: User) -> int:
    requisitions = list(
        Requisition.objects.select_related("engagement").filter(requisitions_held_by(user_ids=[user.pk])).order_by("pk")
    )
    for requisition in requisitions:
        requisition_update(actor=actor, requisition=requisition, hiring_manager=to)
    return len(requisitions)


def assignments_held_q(*, at) -> Q:
    """Assignments not over by the engagement's today: in effect now, or to come."""
    return on_engagement_today_q(
        at=at,
        zone_field="requisition__engagement__time_zone",
        condition=lambda today: Q(ends_on__isnull=True) | Q(ends_on__gt=today),
    )


@transaction.atomic
def assignments_hand_over(*, actor: User, user: User, to: User, at) -> int:
    """Each assignment of ``user`` not over yet ends today (or on the day it would have started) and
    ``to`` takes it on from then, in the same role, until it would have ended; from today the newest
    primary covers (``requisition_covering_recruiters``). Where ``to`` already has that role on the
    requisition then, ``user``'s simply ends."""
    assignments = list(
        Assignment.objects.select_related("requisition__engagement")
        .filter(assignments_held_q(at=at), recruiter=user)
        .order_by("pk")
    )
    for assignment in assignments:
        today = engagement_today(assignment.requisition.engagement, at)
        handover_on = max(today, assignment.starts_on)
        assignment_end(actor=actor, assignment=assignment, ends_on=handover_on)
        already = Assignment.objects.filter(
            _overlaps(handover_on, assignment.ends_on),
            requisition_id=assignment.requisition_id,
            recruiter=to,
            role=assignment.role,
        ).exists()
        if not already:
            assignment_create(
                actor=actor,
                requisition=assignment.requisition,
                recruiter=to,
                role=assignment.role,
                starts_on=handover_on,
                ends_on=assignment.ends_on,
            )
    return len(assignments)


@transaction.atomic
def engagements_hand_over(*, actor: User, user: User, to: User) -> int:
    """``to`` becomes an account manager of every engagement ``user`` manages, in their place."""
    engagements = list(
        Engagement.objects.filter(account_managers=user).prefetch_related("account_managers").order_by("pk")
    )
    for engagement in engagements:
        managers = [manager for manager in engagement.account_managers.all() if manager.pk != user.pk]
        if all(manager.pk != to.pk for manager in managers):
            managers.append(to)
        engagement_update(actor=actor, engagement=engagement, account_managers=managers)
    return len(engagements)


# --- Inviting provider staff with their engagements (the provider admin's staff page) ---------------

MANAGER_ROLES = (User.Role.ACCOUNT_MANAGER, User.Role.PROVIDER_ADMIN)


@transaction.atomic
def staff_member_invite(
    *, actor: User, full_name: str, email: str, time_zone: str, role: str, engagements: Iterable[Engagement] = ()
) -> User:
    """A provider admin invites a member of the staff (``accounts.services.user_invite``: its rules,
    its invitation email) and, for an account manager, names the engagements they manage
    (``engagement_update``), in one transaction. Recruiters and sourcers work per requisition: they
    are assigned on the requisitions, not here."""
    engagements = list(engagements)
    errors: dict[str, list[str]] = {}
    if engagements and role not in MANAGER_ROLES:
        errors["engagements"] = [
            "Only an account manager or a provider admin manages engagements: "
            "assign recruiters and sourcers on each requisition instead."
        ]
    try:
        with transaction.atomic():
            invited = user_invite(actor=actor, full_name=full_name, email=email, time_zone=time_zone, role=role)
            if errors:
                raise ValidationError(errors)  # undoes the invitation: one answer names every field
    except ValidationError as error:
        raise ValidationError({**error.message_dict, **errors}) from None
    for engagement in engagements:
        managers = [*engagement.account_managers.all(), invited]
        engagement_update(actor=actor, engagement=engagement, account_managers=managers)
    return invited


def _swap_refusal(team) -> str:
    def name(assignment) -> str:
        return assignment.recruiter.display_name if assignment is not None else "nobody"

    return (
        f"Nothing was swapped: the primary recruiter is now {name(team.primary)} and the backup "
        f"{name(team.backup)}. The page was out of date (was the swap already made?); "
        "check the names and swap again if you still mean to."
    )


@transaction.atomic
def assignment_swap(
    *, actor: User, requisition: Requisition, primary: User, backup: User
) -> tuple[Assignment, Assignment]:
    """Make the backup recruiter the primary and the primary the backup, from today, in one
    transaction: both old assignments end today and two new ones start today (a handover, see
    ``_overlaps``), each through ``assignment_end`` and ``assignment_create`` and their rules. The
    roles' periods stay and the people change: a new assignment ends when the one it replaces
    was to end.

    ``primary`` and ``backup`` are who the actor saw in those roles. If either has changed since
    (the same button sent twice, or a colleague's change in between), nothing is swapped: a double
    click never swaps the two back. Returns the new primary and backup assignments."""
    policies.require(policies.can_manage_assignments(actor, requisition), policies.MAY_NOT_ASSIGN)
    # The lock assignment_create takes, taken first: two swaps of one requisition run one after the other,
    # and the second sees the first one's result.
    Requisition.objects.select_for_update().filter(pk=requisition.pk).first()
    team = requisition_teams(requisition_ids=[requisition.pk])[requisition.pk]
    if team.primary is None or team.backup is None:
        missing = "primary" if team.primary is None else "backup"
        raise ValidationError(f"Nothing was swapped: this requisition has no {missing} recruiter today.")
    if team.primary.recruiter_id != primary.pk or team.backup.recruiter_id != backup.pk:
        raise ValidationError(_swap_refusal(team))
    today = engagement_today(requisition.engagement)
    old_primary, old_backup = team.primary, team.backup
    primary_until, backup_until = old_primary.ends_on, old_backup.ends_on
    assignment_end(actor=actor, assignment=old_primary, ends_on=today)
    assignment_end(actor=actor, assignment=old_backup, ends_on=today)
    new_primary = assignment_create(
        actor=actor,
        requisition=requisition,
        recruiter=old_backup.recruiter,
        role=Assignment.Role.PRIMARY,
        starts_on=today,
        ends_on=primary_until,
    )
    new_backup = assignment_create(
        actor=actor,
        requisition=requisition,
        recruiter=old_primary.recruiter,
        role=Assignment.Role.BACKUP,
        starts_on=today,
        ends_on=backup_until,
    )
    return new_primary, new_backup
