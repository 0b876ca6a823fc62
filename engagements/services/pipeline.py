"""The pipeline: candidates, submissions and their stages, interviews."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from rpo_portal.dates import require_sane_dates

from .. import policies
from ..activity import engagement_changed
from ..models import Candidate, Engagement, Interview, Requisition, Submission, SubmissionStageChange
from ..signals import interview_status_changed, submission_stage_changed
from .checks import full_clean, only_fields, save_checked

CANDIDATE_FIELDS = ("full_name", "email", "phone", "current_title", "location", "source")
CANDIDATE_ERASED = "This candidate's personal data was erased: an erased candidate cannot be changed."


@transaction.atomic
def candidate_create(*, actor: User, engagement: Engagement, full_name: str, **fields: Any) -> Candidate:
    policies.require(policies.can_work_pipeline(actor, engagement), policies.MAY_NOT_ADD_CANDIDATE)
    only_fields(fields, CANDIDATE_FIELDS, "candidate")
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip().lower()
    candidate = Candidate(engagement=engagement, full_name=full_name.strip(), created_by=actor, **fields)
    full_clean(candidate)
    save_checked(candidate)
    return candidate


@transaction.atomic
def candidate_update(*, actor: User, candidate: Candidate, **fields: Any) -> Candidate:
    policies.require(
        policies.can_work_pipeline(actor, candidate.engagement),
        policies.MAY_NOT_CHANGE_CANDIDATE,
    )
    only_fields(fields, CANDIDATE_FIELDS, "candidate")
    # Under the row's lock, so that an erasure running at the same moment is not undone.
    if Candidate.objects.select_for_update().values_list("erased_at", flat=True).get(pk=candidate.pk) is not None:
        raise ValidationError({NON_FIELD_ERRORS: CANDIDATE_ERASED})
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip().lower()
    for name, value in fields.items():
        setattr(candidate, name, value)
    full_clean(candidate)
    save_checked(candidate, update_fields=[*fields] if fields else None)
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
    form_token: uuid.UUID | None = None,
    send_to_review: bool = False,
) -> Submission:
    """Submit a candidate to a requisition, and with ``send_to_review`` put them in front of the
    hiring manager at once (stage ``hm_review``, which opens the résumé review): flow 1 in one
    step, all of it or nothing, the same for the page's "Add and submit" and the API."""
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
        form_token=form_token,
    )
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError as error:
        if form_token is not None and Submission.objects.filter(form_token=form_token).exists():
            raise  # the same form sent twice at once: candidate_add_and_submit answers with the first
        # a concurrent submit of the same candidate
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
    if send_to_review:
        submission_change_stage(actor=actor, submission=submission, to_stage=Submission.Stage.HM_REVIEW)
    return submission


def candidate_add_and_submit(
    *,
    actor: User,
    requisition: Requisition,
    form_token: uuid.UUID,
    summary: str = "",
    send_to_review: bool = False,
    **candidate_fields: Any,
) -> tuple[Submission, bool]:
    """Add a candidate to the requisition's engagement and submit them to it, straight to the hiring
    manager's review if asked: all of it or nothing, and once per form.

    ``form_token`` is the one-time token of the form that asked (a page hands out a fresh one with
    each empty form). The same token again (a double click, Back and send, two requests at once)
    adds nothing and answers the submission the first one made, with ``created`` False. The unique
    ``Submission.form_token`` is the guard: of two requests at once, the second waits on the first's
    row, then rolls its own candidate back. Returns ``(submission, created)``."""
    policies.require(policies.can_work_pipeline(actor, requisition.engagement), policies.MAY_NOT_SUBMIT)
    earlier = _submitted_with(form_token, requisition)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            candidate = candidate_create(actor=actor, engagement=requisition.engagement, **candidate_fields)
            submission = submission_create(
                actor=actor,
                requisition=requisition,
                candidate=candidate,
                summary=summary,
                form_token=form_token,
                send_to_review=send_to_review,
            )
    except IntegrityError:
        earlier = _submitted_with(form_token, requisition)
        if earlier is None:
            raise
        return earlier, False
    return submission, True


def _submitted_with(form_token: uuid.UUID, requisition: Requisition) -> Submission | None:
    earlier = Submission.objects.select_related("candidate").filter(form_token=form_token).first()
    if earlier is not None and earlier.requisition_id != requisition.pk:
        # A token belongs to one form on one requisition's page; nothing to add elsewhere with it.
        raise ValidationError("This form was already used for another requisition. Open the form again.")
    return earlier


@transaction.atomic
def submission_change_stage(
    *,
    actor: User,
    submission: Submission,
    to_stage: str,
    note: str = "",
    at: datetime | None = None,
    withdrawal_reason: str = "",
) -> Submission:
    """A recruiter moves a submission to ``to_stage``: if their role may, and the move is legal.
    A withdrawal needs its reason (``Submission.WithdrawalReason``)."""
    policies.require(
        policies.can_change_submission_stage(actor, submission),
        policies.MAY_NOT_MOVE_SUBMISSION,
    )
    return _move_stage(
        submission=submission,
        to_stage=to_stage,
        changed_by=actor,
        note=note,
        at=at,
        withdrawal_reason=withdrawal_reason,
    )


@transaction.atomic
def submission_follow_decision(
    *, submission: Submission, to_stage: str, decided_by: User, note: str = "", at: datetime | None = None
) -> Submission:
    """The move a client's decision implies (a hiring manager advances a candidate to interview,
    or rejects them), made by the portal for the person who decided. No role check here: hiring
    managers never move stages themselves; the caller has checked that the decision was theirs
    to give (``feedback.services.feedback_respond`` asks ``feedback.policies.can_respond``)."""
    return _move_stage(submission=submission, to_stage=to_stage, changed_by=decided_by, note=note, at=at)


WITHDRAWAL_REASON_NEEDED = "Say why the candidate withdrew: the cost of waiting counts it."
WITHDRAWAL_REASON_ONLY_FOR_WITHDRAWN = "A withdrawal reason goes only with a move to withdrawn."


def withdrawal_reason_error(to_stage: str, reason: str) -> str | None:
    """What is wrong with the reason given for a move to ``to_stage`` (None if nothing): the one
    rule, asked by the services and by the forms and the API before them."""
    if to_stage != Submission.Stage.WITHDRAWN:
        return WITHDRAWAL_REASON_ONLY_FOR_WITHDRAWN if reason else None
    if not reason:
        return WITHDRAWAL_REASON_NEEDED
    not_recorded = Submission.WithdrawalReason.NOT_RECORDED
    chosen = [value for value in Submission.WithdrawalReason.values if value != not_recorded]
    if reason not in chosen:
        return f"“{reason}” is not a withdrawal reason. Pick one of: {', '.join(chosen)}."
    return None


def _move_stage(
    *,
    submission: Submission,
    to_stage: str,
    changed_by: User | None,
    note: str,
    at: datetime | None,
    withdrawal_reason: str = "",
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
    reason_error = withdrawal_reason_error(to_stage, withdrawal_reason)
    if reason_error:
        raise ValidationError({"withdrawal_reason": reason_error})
    at = at or timezone.now()
    submission.stage = to_stage
    submission.stage_changed_at = at
    submission.withdrawal_reason = withdrawal_reason
    submission.save(update_fields=["stage", "stage_changed_at", "withdrawal_reason"])
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
    require_sane_dates(starts_at=starts_at, ends_at=ends_at)
    interviewers = _check_interviewers(
        submission, interviewers if interviewers is not None else [submission.requisition.hiring_manager]
    )
    interview = Interview(
        submission=submission, starts_at=starts_at, ends_at=ends_at, location=location, created_by=actor
    )
    full_clean(interview)
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
    require_sane_dates(starts_at=starts_at, ends_at=ends_at)
    moved = (starts_at and starts_at != interview.starts_at) or (ends_at and ends_at != interview.ends_at)
    interview.starts_at = starts_at or interview.starts_at
    interview.ends_at = ends_at or interview.ends_at
    if location is not None:
        interview.location = location
    full_clean(interview)
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


# "Rescheduled" is an outcome the recruiter records, not a status: the interview did not take place
# at its time and was moved to another one (``interview_update``, which counts the reschedule); it
# stays scheduled, at its new time.
INTERVIEW_RESCHEDULED = "rescheduled"
INTERVIEW_TRANSITIONS = {
    Interview.Status.SCHEDULED: {
        Interview.Status.COMPLETED,
        Interview.Status.CANCELLED,
        Interview.Status.NO_SHOW,
        Interview.Status.HM_NO_SHOW,
        INTERVIEW_RESCHEDULED,
    },
}
# Outcomes that say the interview's time came: none is recorded before it starts.
INTERVIEW_TIME_CAME = frozenset({Interview.Status.COMPLETED, Interview.Status.NO_SHOW, Interview.Status.HM_NO_SHOW})
# What ``interview_set_status`` accepts, with labels (the API's choices).
INTERVIEW_STATUS_CHOICES = (
    *((status, label) for status, label in Interview.Status.choices if status != Interview.Status.SCHEDULED),
    (INTERVIEW_RESCHEDULED, "Rescheduled to a new time"),
)
# What the recruiter records once an interview's time has come, in the order the outcome page offers them.
INTERVIEW_OUTCOMES = tuple(
    (status, label) for status, label in INTERVIEW_STATUS_CHOICES if status != Interview.Status.CANCELLED
)


@transaction.atomic
def interview_set_status(
    *,
    actor: User,
    interview: Interview,
    status: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Interview:
    """Record what became of a scheduled interview, the one home of these rules (pages, API, admin):

    - ``completed``: it took place (``completed_at`` now); ``interview_status_changed`` tells the
      feedback app, which opens the post-interview feedback requests;
    - ``no_show`` (the candidate did not show) or ``hm_no_show`` (the hiring manager did not): the
      scorecard counts the first on the provider's side, the second on the client's;
    - ``cancelled``;
    - ``rescheduled``: moved to ``starts_at`` (and ``ends_at``; by default it keeps its length),
      which must be in the future. It stays scheduled and the move counts as a reschedule
      (``interview_update``).

    Completed and no-shows only once the interview has started; nothing after another outcome.
    Returns the interview as it now is."""
    policies.require(
        policies.can_work_pipeline(actor, interview.submission.requisition.engagement),
        policies.MAY_NOT_RECORD_INTERVIEW_OUTCOME,
    )
    locked = Interview.objects.select_for_update().get(pk=interview.pk)
    if status not in INTERVIEW_TRANSITIONS[Interview.Status.SCHEDULED]:
        choices = ", ".join(sorted(INTERVIEW_TRANSITIONS[Interview.Status.SCHEDULED]))
        raise ValidationError({"status": f"“{status}” is not an interview outcome. Choose one of: {choices}."})
    if status not in INTERVIEW_TRANSITIONS.get(locked.status, set()):
        raise ValidationError(
            {
                "status": f"This interview's outcome is recorded already ({locked.get_status_display().lower()}): "
                "it cannot change."
            }
        )
    if status == INTERVIEW_RESCHEDULED:
        return _interview_reschedule(
            actor=actor, interview=interview, locked=locked, starts_at=starts_at, ends_at=ends_at
        )
    if starts_at is not None or ends_at is not None:
        raise ValidationError({"starts_at": "A new time goes with the outcome “rescheduled” only."})
    if status in INTERVIEW_TIME_CAME and locked.starts_at > timezone.now():
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


def _interview_reschedule(
    *, actor: User, interview: Interview, locked: Interview, starts_at: datetime | None, ends_at: datetime | None
) -> Interview:
    """The outcome "rescheduled": the new time goes through ``interview_update``, which moves the
    interview and counts the reschedule (the scorecard's client-side "interview reschedules")."""
    if starts_at is None:
        raise ValidationError({"starts_at": "Give the interview's new time."})
    require_sane_dates(starts_at=starts_at, ends_at=ends_at)  # before any arithmetic on them
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "The new time must be in the future."})
    if ends_at is None:
        ends_at = starts_at + (locked.ends_at - locked.starts_at)
    if (starts_at, ends_at) == (locked.starts_at, locked.ends_at):
        raise ValidationError({"starts_at": "That is the interview's time already: give the new one."})
    interview_update(actor=actor, interview=locked, starts_at=starts_at, ends_at=ends_at)
    interview.refresh_from_db()
    return interview
