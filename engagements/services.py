"""Writes on the engagement domain.

Each service a person triggers takes them as ``actor`` and asks ``policies`` first, raising
``PermissionDenied`` (the API and the pages answer 403); then it checks the data rules and raises
``ValidationError`` keyed by field (400, or the message beside the field). Dates default to the
engagement's own today (``local_dates``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Organization, User

from . import policies
from .activity import engagement_changed
from .local_dates import engagement_today
from .models import Assignment, Candidate, Engagement, Interview, Requisition, Submission, SubmissionStageChange
from .signals import interview_status_changed, submission_stage_changed

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
)


# A violated constraint is reported on the field the user should change, in words, instead of
# Django's default "Constraint “…” is violated." under no field.
CONSTRAINT_ERRORS: dict[str, tuple[str, str]] = {
    "engagement_business_day_ends_after_start": ("business_day_end", "The business day must end after it starts."),
    "requisition_code_unique_per_engagement": ("code", "This engagement already has a requisition with this code."),
    "requisition_target_not_before_opened": ("target_on", "The target date cannot be before the opening date."),
    "requisition_filled_not_before_opened": ("filled_on", "The filled date cannot be before the opening date."),
    "assignment_one_open_primary_per_requisition": ("role", "This requisition already has a primary recruiter."),
    "assignment_ends_not_before_start": ("ends_on", "An assignment cannot end before it starts."),
    "candidate_email_unique_per_engagement": ("email", "A candidate with this email is already in this engagement."),
    "interview_ends_after_start": ("ends_at", "The interview must end after it starts."),
}


def _full_clean(instance, exclude: Iterable[str] = ()) -> None:
    # Constraints are checked too, so the caller gets a field message, not an IntegrityError.
    exclude = set(exclude)
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
        exclude |= set(errors) - {NON_FIELD_ERRORS}
    for constraint in instance._meta.constraints:
        try:
            constraint.validate(type(instance), instance, exclude=exclude)
        except ValidationError as error:
            field, message = CONSTRAINT_ERRORS.get(constraint.name, (NON_FIELD_ERRORS, ""))
            errors.setdefault(field, []).extend([message] if message else error.messages)
    if errors:
        raise ValidationError(errors)


def _save_checked(instance, update_fields=None) -> None:
    """Save after ``_full_clean``; a concurrent writer can still win the race to a unique
    constraint, and then the loser gets the same field message instead of a 500."""
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError as error:
        _full_clean(instance)
        raise ValidationError({NON_FIELD_ERRORS: "Someone else changed this at the same moment; try again."}) from error


def engagement_check_account_managers(provider_id: int, account_managers: Iterable[User]) -> None:
    for manager in account_managers:
        if manager.organization_id != provider_id or manager.role not in (
            User.Role.ACCOUNT_MANAGER,
            User.Role.PROVIDER_ADMIN,
        ):
            raise ValidationError({"account_managers": f"{manager} is not an account manager of this provider."})


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
    unknown = set(fields) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown engagement fields: {sorted(unknown)}")
    account_managers = list(account_managers)
    engagement_check_account_managers(provider.pk, account_managers)
    engagement_check_escalation_contact(client.pk, fields.get("escalation_contact"))
    engagement = Engagement(provider=provider, client=client, **fields)
    if not fields.get("time_zone"):
        engagement.time_zone = client.time_zone
    _full_clean(engagement)
    engagement.save()
    engagement.account_managers.set(account_managers)
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
    unknown = set(fields) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown engagement fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(engagement, name, value)
    engagement_check_escalation_contact(engagement.client_id, engagement.escalation_contact)
    _full_clean(engagement)
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


def _record_filled_on(requisition: Requisition) -> bool:
    """A filled requisition records the day it was filled: the engagement's today unless given."""
    if requisition.status == Requisition.Status.FILLED and requisition.filled_on is None:
        requisition.filled_on = engagement_today(requisition.engagement)
        return True
    return False


@transaction.atomic
def requisition_create(
    *, actor: User, engagement: Engagement, code: str, title: str, hiring_manager: User, **fields: Any
) -> Requisition:
    policies.require(policies.can_manage_requisitions(actor, engagement), policies.MAY_NOT_OPEN_REQUISITION)
    unknown = set(fields) - set(REQUISITION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown requisition fields: {sorted(unknown)}")
    requisition_check_hiring_manager(engagement, hiring_manager)
    fields.setdefault("opened_on", engagement_today(engagement))
    requisition = Requisition(
        engagement=engagement, code=code.strip(), title=title, hiring_manager=hiring_manager, **fields
    )
    _record_filled_on(requisition)
    _full_clean(requisition)
    _save_checked(requisition)
    engagement_changed(engagement.pk)
    return requisition


@transaction.atomic
def requisition_update(*, actor: User, requisition: Requisition, **fields: Any) -> Requisition:
    policies.require(
        policies.can_manage_requisitions(actor, requisition.engagement),
        policies.MAY_NOT_CHANGE_REQUISITION,
    )
    unknown = set(fields) - set(REQUISITION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown requisition fields: {sorted(unknown)}")
    if "hiring_manager" in fields:
        requisition_check_hiring_manager(requisition.engagement, fields["hiring_manager"])
    for name, value in fields.items():
        setattr(requisition, name, value)
    if _record_filled_on(requisition):
        fields["filled_on"] = requisition.filled_on
    _full_clean(requisition)
    _save_checked(requisition, update_fields=[*fields] if fields else None)
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
    _full_clean(assignment)
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


CANDIDATE_FIELDS = ("full_name", "email", "phone", "current_title", "location", "source")


@transaction.atomic
def candidate_create(*, actor: User, engagement: Engagement, full_name: str, **fields: Any) -> Candidate:
    policies.require(policies.can_work_pipeline(actor, engagement), policies.MAY_NOT_ADD_CANDIDATE)
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown candidate fields: {sorted(unknown)}")
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip().lower()
    candidate = Candidate(engagement=engagement, full_name=full_name.strip(), created_by=actor, **fields)
    _full_clean(candidate)
    _save_checked(candidate)
    return candidate


@transaction.atomic
def candidate_update(*, actor: User, candidate: Candidate, **fields: Any) -> Candidate:
    policies.require(
        policies.can_work_pipeline(actor, candidate.engagement),
        policies.MAY_NOT_CHANGE_CANDIDATE,
    )
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown candidate fields: {sorted(unknown)}")
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip().lower()
    for name, value in fields.items():
        setattr(candidate, name, value)
    _full_clean(candidate)
    _save_checked(candidate, update_fields=[*fields] if fields else None)
    engagement_changed(candidate.engagement_id)  # the candidate's name is in the scorecard's overdue list
    return candidate


@transaction.atomic
def submission_create(
    *,
    actor: User,
    requisition: Requisition,
    candidate: Candidate,
    summary: str = "",
    submitted_at: datetime | None = None,
) -> Submission:
    policies.require(
        policies.can_work_pipeline(actor, requisition.engagement),
        policies.MAY_NOT_SUBMIT,
    )
    if candidate.engagement_id != requisition.engagement_id:
        raise ValidationError({"candidate": "The candidate belongs to another engagement."})
    if requisition.status != Requisition.Status.OPEN:
        raise ValidationError({"requisition": f"The requisition is {requisition.get_status_display().lower()}."})
    if Submission.objects.filter(requisition=requisition, candidate=candidate).exists():
        raise ValidationError({"candidate": "This candidate has already been submitted to this requisition."})
    submitted_at = submitted_at or timezone.now()
    submission = Submission(
        requisition=requisition,
        candidate=candidate,
        submitted_by=actor,
        summary=summary,
        submitted_at=submitted_at,
        stage_changed_at=submitted_at,
    )
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError as error:  # a concurrent submit of the same candidate
        raise ValidationError(
            {"candidate": "This candidate has already been submitted to this requisition."}
        ) from error
    SubmissionStageChange.objects.create(
        submission=submission,
        from_stage="",
        to_stage=submission.stage,
        changed_by=actor,
        changed_at=submitted_at,
    )
    submission_stage_changed.send(
        sender=Submission, submission=submission, from_stage="", to_stage=submission.stage, changed_by=actor
    )
    engagement_changed(requisition.engagement_id)
    return submission


@transaction.atomic
def submission_change_stage(
    *, actor: User, submission: Submission, to_stage: str, note: str = "", at: datetime | None = None
) -> Submission:
    """A recruiter moves a submission to ``to_stage``: if their role may, and the move is legal."""
    policies.require(
        policies.can_change_submission_stage(actor, submission),
        policies.MAY_NOT_MOVE_SUBMISSION,
    )
    return _move_stage(submission=submission, to_stage=to_stage, changed_by=actor, note=note, at=at)


@transaction.atomic
def submission_follow_decision(
    *, submission: Submission, to_stage: str, decided_by: User, note: str = "", at: datetime | None = None
) -> Submission:
    """The move a client's decision implies (a hiring manager advances a candidate to interview,
    or rejects them), made by the portal for the person who decided. No role check here: hiring
    managers never move stages themselves; the caller has checked that the decision was theirs
    to give (``feedback.services.feedback_respond`` asks ``feedback.policies.can_respond``)."""
    return _move_stage(submission=submission, to_stage=to_stage, changed_by=decided_by, note=note, at=at)


def _move_stage(
    *, submission: Submission, to_stage: str, changed_by: User | None, note: str, at: datetime | None
) -> Submission:
    """Move if the move is legal, record it, and tell listeners."""
    if to_stage not in Submission.Stage.values:
        raise ValidationError({"stage": f"“{to_stage}” is not a stage."})
    # Re-read under a row lock so that two concurrent moves are applied one after the other.
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    from_stage = locked.stage
    if not locked.can_move_to(to_stage):
        allowed = ", ".join(sorted(locked.TRANSITIONS[from_stage])) or "none: the submission is closed"
        raise ValidationError(
            {"stage": f"A submission cannot move from {from_stage} to {to_stage}. Allowed: {allowed}."}
        )
    at = at or timezone.now()
    submission.stage = to_stage
    submission.stage_changed_at = at
    submission.save(update_fields=["stage", "stage_changed_at"])
    SubmissionStageChange.objects.create(
        submission=submission, from_stage=from_stage, to_stage=to_stage, changed_by=changed_by, changed_at=at, note=note
    )
    submission_stage_changed.send(
        sender=Submission, submission=submission, from_stage=from_stage, to_stage=to_stage, changed_by=changed_by
    )
    engagement_changed(submission.requisition.engagement_id)
    return submission


def _check_interviewers(submission: Submission, interviewers: Iterable[User]) -> list[User]:
    engagement = submission.requisition.engagement
    interviewers = list(interviewers)
    for person in interviewers:
        if person.organization_id not in (engagement.client_id, engagement.provider_id) or not person.is_active:
            raise ValidationError({"interviewers": f"{person} is not part of this engagement."})
    return interviewers


@transaction.atomic
def interview_create(
    *,
    actor: User,
    submission: Submission,
    starts_at: datetime,
    ends_at: datetime,
    interviewers: Iterable[User] | None = None,
    location: str = "",
) -> Interview:
    policies.require(
        policies.can_work_pipeline(actor, submission.requisition.engagement),
        policies.MAY_NOT_BOOK_INTERVIEW,
    )
    if submission.stage != Submission.Stage.INTERVIEW:
        raise ValidationError({"submission": "Interviews are booked for submissions at the interview stage."})
    interviewers = _check_interviewers(
        submission, interviewers if interviewers is not None else [submission.requisition.hiring_manager]
    )
    interview = Interview(
        submission=submission, starts_at=starts_at, ends_at=ends_at, location=location, created_by=actor
    )
    _full_clean(interview)
    interview.save()
    interview.interviewers.set(interviewers)
    engagement_changed(submission.requisition.engagement_id)
    return interview


@transaction.atomic
def interview_update(
    *,
    actor: User,
    interview: Interview,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    location: str | None = None,
    interviewers: Iterable[User] | None = None,
) -> Interview:
    policies.require(
        policies.can_work_pipeline(actor, interview.submission.requisition.engagement),
        policies.MAY_NOT_CHANGE_INTERVIEW,
    )
    if interview.status != Interview.Status.SCHEDULED:
        raise ValidationError({"status": "Only a scheduled interview can be changed."})
    moved = (starts_at and starts_at != interview.starts_at) or (ends_at and ends_at != interview.ends_at)
    interview.starts_at = starts_at or interview.starts_at
    interview.ends_at = ends_at or interview.ends_at
    if location is not None:
        interview.location = location
    _full_clean(interview)
    fields = ["starts_at", "ends_at", "location"]
    if moved:  # a reschedule (the scorecard counts them), added in the database: none is lost
        interview.rescheduled_count = F("rescheduled_count") + 1
        fields.append("rescheduled_count")
    interview.save(update_fields=fields)
    if moved:
        interview.refresh_from_db(fields=["rescheduled_count"])
    if interviewers is not None:
        interview.interviewers.set(_check_interviewers(interview.submission, interviewers))
    engagement_changed(interview.submission.requisition.engagement_id)
    return interview


INTERVIEW_TRANSITIONS = {
    Interview.Status.SCHEDULED: {Interview.Status.COMPLETED, Interview.Status.CANCELLED, Interview.Status.NO_SHOW},
}


@transaction.atomic
def interview_set_status(*, actor: User, interview: Interview, status: str) -> Interview:
    policies.require(
        policies.can_work_pipeline(actor, interview.submission.requisition.engagement),
        policies.MAY_NOT_RECORD_INTERVIEW_OUTCOME,
    )
    locked = Interview.objects.select_for_update().get(pk=interview.pk)
    if status not in INTERVIEW_TRANSITIONS.get(locked.status, set()):
        raise ValidationError({"status": f"An interview cannot go from {locked.status} to {status}."})
    if status in (Interview.Status.COMPLETED, Interview.Status.NO_SHOW) and locked.starts_at > timezone.now():
        raise ValidationError({"status": "An interview cannot be completed or missed before it starts."})
    from_status = locked.status
    interview.status = status
    interview.completed_at = timezone.now() if status == Interview.Status.COMPLETED else None
    interview.save(update_fields=["status", "completed_at"])
    interview_status_changed.send(
        sender=Interview, interview=interview, from_status=from_status, to_status=status, changed_by=actor
    )
    engagement_changed(interview.submission.requisition.engagement_id)
    return interview
