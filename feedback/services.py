"""Writes on feedback and availability requests.

As in every app: a service a person triggers takes them as ``actor`` and asks ``policies`` first
(``PermissionDenied``: 403), then checks the data rules (``ValidationError`` keyed by field).
Opening and cancelling requests is the portal's own doing (``receivers``), so those take no actor.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from engagements.activity import engagement_changed
from engagements.business_hours import add_business_hours
from engagements.models import Engagement, Interview, Requisition, Submission
from engagements.policies import MAY_NOT_BOOK_INTERVIEW
from engagements.services import interview_create, submission_follow_decision
from engagements.sla import fallback_span
from rpo_portal.conflicts import Conflict
from rpo_portal.dates import is_sane, out_of_range_message

from .models import (
    AvailabilityRequest,
    AvailabilitySlot,
    Feedback,
    FeedbackRequest,
    Reminder,
    RequestStatus,
    ladder_model_of,
    ladder_row,
)
from .policies import can_book, can_respond
from .reminders.notices import feedback_received_enqueue, interview_invitations_enqueue, slots_offered_enqueue
from .selectors import oldest_wait_of_requisition

logger = logging.getLogger(__name__)

MAX_SLOTS = 20
MAX_COMMENT_LENGTH = 5000


def request_ladder(*, engagement: Engagement, opened_at: datetime, due_hours: int) -> dict[str, datetime]:
    """The due time and the moments of the reminder ladder, in the engagement's business hours.

    The one place due times are computed, and it never fails its caller: settings stored before
    they were validated (``engagements.sla``) may have no business hours, or put the due time
    years away. Then the hours count on the wall clock, each capped at ``SLA_MAX_DUE_WEEKS``, and
    a warning names the engagement, so an answer or a stage move still commits.
    """
    span = fallback_span()
    try:
        calendar = engagement.business_calendar
        due_at = add_business_hours(opened_at, due_hours, calendar)
        remind_at = add_business_hours(opened_at, max(due_hours - engagement.reminder_lead_hours, 0), calendar)
        escalate_at = add_business_hours(due_at, engagement.escalation_delay_hours, calendar)
        # Slack over the bound: a clock change stretches the wall-clock weeks by an hour, and public
        # holidays (``Engagement.country``) by their days.
        slack = timedelta(days=15)
        if due_at - opened_at > span + slack or escalate_at - due_at > span + slack:
            raise ValueError(f"the due time would be {due_at:%Y-%m-%d}, beyond {span.days} days")
    except (ValueError, OverflowError, LookupError) as error:  # LookupError: an unknown time zone
        logger.warning(
            "SLA settings of engagement %s (%s) fell back to wall-clock hours: %s. Fix them on its SLA page.",
            engagement.pk,
            engagement.name,
            error,
        )
        due_at = opened_at + min(timedelta(hours=due_hours), span)
        remind_at = max(due_at - timedelta(hours=engagement.reminder_lead_hours), opened_at)
        escalate_at = due_at + min(timedelta(hours=engagement.escalation_delay_hours), span)
    return {"remind_at": min(remind_at, due_at), "due_at": due_at, "escalate_at": escalate_at}


BOOKED_ALREADY = "An interview is already booked from these slots."


def request_closed_message(request: FeedbackRequest | AvailabilityRequest) -> str:
    """What answering a request that is no longer open is told: the same words on the API (409)
    and on the pages (409)."""
    return f"This request is already {request.get_status_display().lower()}."


@transaction.atomic
def waiting_on_client_refresh(*, requisition_ids: Iterable[int]) -> int:
    """Keep ``Requisition.waiting_on_client_since`` equal to what the set of requests waiting on the
    client side gives (``selectors.requests_waiting_on_client``): one UPDATE of these requisitions,
    however many. Called by every service here that opens or closes a request, in its transaction,
    after the change; and by whatever else writes requests (the demo's bulk writer, the backfill)."""
    ids = sorted(set(requisition_ids))
    if not ids:
        return 0
    # Lock the rows first, in a statement of its own: the UPDATE then reads the set in a snapshot
    # taken after any other transaction refreshing them has committed (its requests counted).
    list(Requisition.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    return Requisition.objects.filter(pk__in=ids).update(waiting_on_client_since=oldest_wait_of_requisition())


def _record_request_notice(request, *, at: datetime) -> None:
    """The ask itself goes out through the same recorded, exactly-once path as the reminders."""
    field = request.reminder_field
    reminder, created = Reminder.objects.get_or_create(
        **{field: request, "level": Reminder.Level.REQUESTED},
        defaults={"recipient": request.requested_of, "created_at": at, "send_after": at},
    )
    if created:
        from .tasks import enqueue_on_commit, send_reminder  # tasks call services: import lazily

        enqueue_on_commit(send_reminder, reminder.pk)


def _open(model, *, lookup: dict, defaults: dict):
    """Insert-if-absent guarded by the model's unique constraint: safe to call twice."""
    existing = model.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            request = model.objects.create(**lookup, **defaults)
            ladder_row(request).save(force_insert=True)
            return request, True
    except IntegrityError:
        return model.objects.get(**lookup), False


@transaction.atomic
def feedback_request_open(
    *,
    submission: Submission,
    kind: str,
    requested_of: User,
    interview: Interview | None = None,
    at: datetime | None = None,
) -> FeedbackRequest:
    at = at or timezone.now()
    engagement = submission.requisition.engagement
    due_hours = (
        engagement.resume_feedback_due_hours
        if kind == FeedbackRequest.Kind.RESUME_REVIEW
        else engagement.interview_feedback_due_hours
    )
    ladder = request_ladder(engagement=engagement, opened_at=at, due_hours=due_hours)
    lookup = {"submission": submission, "kind": kind, "requested_of": requested_of}
    if kind == FeedbackRequest.Kind.INTERVIEW:
        lookup["interview"] = interview
    request, created = _open(
        FeedbackRequest,
        lookup=lookup,
        defaults={**ladder, "created_at": at},
    )
    if created:
        _record_request_notice(request, at=at)
        waiting_on_client_refresh(requisition_ids=[submission.requisition_id])
        engagement_changed(engagement.pk)
    return request


@transaction.atomic
def availability_request_open(
    *, submission: Submission, requested_of: User, at: datetime | None = None
) -> AvailabilityRequest:
    at = at or timezone.now()
    engagement = submission.requisition.engagement
    ladder = request_ladder(engagement=engagement, opened_at=at, due_hours=engagement.availability_due_hours)
    request, created = _open(
        AvailabilityRequest,
        lookup={"submission": submission, "requested_of": requested_of, "status": RequestStatus.OPEN},
        defaults={**ladder, "created_at": at},
    )
    if created:
        _record_request_notice(request, at=at)
        waiting_on_client_refresh(requisition_ids=[submission.requisition_id])
        engagement_changed(engagement.pk)
    return request


def _close(request, *, status: str, at: datetime, refresh: bool = True) -> None:
    """Close a request: the ladder stops and its unsent reminders (waiting, or left for a digest) are skipped.
    Its requisition's wait on the client side is refreshed, unless the caller closes many and
    refreshes their requisitions once (``refresh=False``)."""
    request.status = status
    if status == RequestStatus.ANSWERED:
        request.answered_at = at
        fields = ["status", "answered_at"]
    else:
        request.cancelled_at = at
        fields = ["status", "cancelled_at"]
    request.save(update_fields=fields)
    ladder_model_of(type(request)).objects.filter(request=request).update(next_step_at=None)
    field = request.reminder_field
    Reminder.objects.filter(**{field: request}, status__in=[Reminder.Status.PENDING, Reminder.Status.IN_DIGEST]).update(
        status=Reminder.Status.SKIPPED
    )
    if refresh:
        waiting_on_client_refresh(requisition_ids=[request.submission.requisition_id])


@transaction.atomic
def requests_cancel_for_submission(*, submission: Submission, at: datetime | None = None) -> int:
    """Cancel every open request about a submission that has left the pipeline."""
    at = at or timezone.now()
    cancelled = 0
    for model in (FeedbackRequest, AvailabilityRequest):
        for request in model.objects.select_for_update().filter(submission=submission, status=RequestStatus.OPEN):
            _close(request, status=RequestStatus.CANCELLED, at=at, refresh=False)
            cancelled += 1
    if cancelled:
        waiting_on_client_refresh(requisition_ids=[submission.requisition_id])
        engagement_changed(submission.requisition.engagement_id)
    return cancelled


def _already_asked_of(model, *, person: User, requests: list) -> set[int]:
    """The ids among ``requests`` that ``person`` is already asked the same thing by a request of
    their own (the unique constraints: one résumé review per submission and person, one assessment
    per interview and interviewer, one open availability request per submission and person)."""
    if model is AvailabilityRequest:
        theirs = AvailabilityRequest.objects.filter(
            requested_of=person, status=RequestStatus.OPEN, submission_id__in=[r.submission_id for r in requests]
        ).values_list("submission_id", flat=True)
        return {r.pk for r in requests if r.submission_id in set(theirs)}
    reviews = set(
        FeedbackRequest.objects.filter(
            requested_of=person,
            kind=FeedbackRequest.Kind.RESUME_REVIEW,
            submission_id__in=[r.submission_id for r in requests if r.kind == FeedbackRequest.Kind.RESUME_REVIEW],
        ).values_list("submission_id", flat=True)
    )
    assessments = set(
        FeedbackRequest.objects.filter(
            requested_of=person,
            kind=FeedbackRequest.Kind.INTERVIEW,
            interview_id__in=[r.interview_id for r in requests if r.kind == FeedbackRequest.Kind.INTERVIEW],
        ).values_list("interview_id", flat=True)
    )
    return {
        r.pk
        for r in requests
        if (r.kind == FeedbackRequest.Kind.RESUME_REVIEW and r.submission_id in reviews)
        or (r.kind == FeedbackRequest.Kind.INTERVIEW and r.interview_id in assessments)
    }


@transaction.atomic
def requests_hand_over(*, user: User, to: User, at: datetime | None = None) -> int:
    """Everything still asked of ``user`` is asked of ``to`` from now on (``user`` is being
    deactivated: ``accounts.services.user_deactivate``, which checked who ``to`` may be).

    Each open request keeps its due times and ladder: the next level the sweep records goes to
    ``to`` (it reads ``requested_of``), and the levels already recorded but not sent yet (waiting, or
    left for ``user``'s digest) are re-addressed to ``to`` and sent as ``to`` reads them (each, or in
    their digest), never to ``user``. What was sent stays in the record as it was. A request ``to``
    is already asked by one of their own is cancelled instead (they answer that one). Returns how
    many requests ``user`` held."""
    at = at or timezone.now()
    held = 0
    engagement_ids: set[int] = set()
    requisition_ids: set[int] = set()
    for model in (FeedbackRequest, AvailabilityRequest):
        requests = list(
            model.objects.select_for_update()
            .select_related("submission__requisition")
            .filter(requested_of=user, status=RequestStatus.OPEN)
            .order_by("pk")
        )
        if not requests:
            continue
        held += len(requests)
        engagement_ids.update(request.engagement_id for request in requests)
        duplicates = _already_asked_of(model, person=to, requests=requests)
        for request in requests:
            if request.pk in duplicates:
                _close(request, status=RequestStatus.CANCELLED, at=at, refresh=False)
                requisition_ids.add(request.submission.requisition_id)
        moving = [request.pk for request in requests if request.pk not in duplicates]
        model.objects.filter(pk__in=moving).update(requested_of=to)
        # Escalations go to the client's champion, chosen when sent: not the person asked.
        Reminder.objects.filter(
            **{f"{model.reminder_field}_id__in": moving},
            status__in=[Reminder.Status.PENDING, Reminder.Status.IN_DIGEST],
        ).exclude(level=Reminder.Level.ESCALATION).update(
            recipient=to, status=Reminder.Status.PENDING, dispatched_at=None
        )
    # Moving a request to someone else keeps it waiting; only the duplicates cancelled change a wait.
    waiting_on_client_refresh(requisition_ids=requisition_ids)
    for engagement_id in sorted(engagement_ids):
        engagement_changed(engagement_id)
    return held


def _validate_answer(*, decision: str, rating, reasons, comments: str) -> list[str]:
    errors: dict[str, str] = {}
    if decision not in Feedback.Decision.values:
        errors["decision"] = "Choose advance, hold or reject."
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = "Give a rating from 1 to 5."
    if not isinstance(reasons, list | tuple) or not all(isinstance(code, str) for code in reasons):
        errors["reasons"] = "Reasons are a list of reason codes."
    else:
        unknown = sorted(set(reasons) - set(Feedback.Reason.values))
        if unknown:
            errors["reasons"] = f"Unknown reason codes: {', '.join(unknown)}."
    if not isinstance(comments, str):
        errors["comments"] = "Comments are text."
    elif len(comments) > MAX_COMMENT_LENGTH:
        errors["comments"] = f"Keep comments under {MAX_COMMENT_LENGTH} characters."
    if errors:
        raise ValidationError(errors)
    return list(dict.fromkeys(reasons))


@transaction.atomic
def feedback_respond(
    *,
    actor: User,
    feedback_request: FeedbackRequest,
    decision: str,
    rating: int,
    reasons: Iterable[str] = (),
    comments: str = "",
    channel: str = Feedback.Channel.WEB,
    at: datetime | None = None,
) -> Feedback:
    """Answer a feedback request. The same rules whichever way the answer came (web, link, API).

    What the answer sets going is decided here, once, and kept on the answer (``next_step``) for
    the pages and the recruiter's email to say:

    - reject: the submission leaves the process (``closed``);
    - hold: it stays where it is and the recruiter checks back (``hold``);
    - advance on a résumé review still in review: the submission moves to interview and the person
      who answered is asked for interview availability (``availability``);
    - advance after an interview: the recruiter takes it towards an offer (``offer``);
    - advance when the submission has already moved on: the recruiter decides (``recruiter``).

    The covering recruiter is told.
    """
    at = at or timezone.now()
    reasons = _validate_answer(decision=decision, rating=rating, reasons=list(reasons), comments=comments)
    request = (
        # Locks the request and its submission (as before); the requisition is only read.
        FeedbackRequest.objects.select_for_update(of=("self", "submission"))
        .select_related("submission__requisition")
        .get(pk=feedback_request.pk)
    )
    if not can_respond(actor, request):
        raise PermissionDenied("This request was sent to someone else.")
    if request.status != RequestStatus.OPEN:
        raise Conflict({"non_field_errors": request_closed_message(request)})
    _close(request, status=RequestStatus.ANSWERED, at=at)
    engagement_changed(request.engagement_id)
    feedback_request.status, feedback_request.answered_at = request.status, request.answered_at
    next_step = _follow_answer(request, decision=decision, actor=actor, at=at)
    feedback = Feedback.objects.create(
        request=request,
        decision=decision,
        rating=rating,
        reasons=reasons,
        comments=comments.strip(),
        channel=channel,
        given_by=actor,
        created_at=at,
        next_step=next_step,
    )

    feedback_received_enqueue(feedback=feedback)  # recorded with the answer, sent by the worker
    return feedback


def _follow_answer(request: FeedbackRequest, *, decision: str, actor: User, at: datetime) -> str:
    """Do what the answer decides and say what comes next (``Feedback.NextStep``)."""
    submission = request.submission
    if not submission.is_open:
        return Feedback.NextStep.CLOSED
    note = f"Feedback from {actor.display_name}: {Feedback.Decision(decision).label.lower()}"
    if decision == Feedback.Decision.REJECT:
        submission_follow_decision(
            submission=submission, to_stage=Submission.Stage.REJECTED, decided_by=actor, note=note, at=at
        )
        return Feedback.NextStep.CLOSED
    if decision == Feedback.Decision.HOLD:
        return Feedback.NextStep.HOLD
    if request.kind == FeedbackRequest.Kind.INTERVIEW:
        return Feedback.NextStep.OFFER
    if submission.stage != Submission.Stage.HM_REVIEW:
        return Feedback.NextStep.RECRUITER
    submission_follow_decision(
        submission=submission, to_stage=Submission.Stage.INTERVIEW, decided_by=actor, note=note, at=at
    )
    availability_request_open(submission=submission, requested_of=request.requested_of, at=at)
    return Feedback.NextStep.AVAILABILITY


def _validate_slots(slots: Iterable[tuple[datetime, datetime]], *, now: datetime) -> list[tuple[datetime, datetime]]:
    slots = list(slots)
    if not slots:
        raise ValidationError({"slots": "Offer at least one slot."})
    if len(slots) > MAX_SLOTS:
        raise ValidationError({"slots": f"Offer at most {MAX_SLOTS} slots."})
    seen = set()
    for index, (starts_at, ends_at) in enumerate(slots, start=1):
        if starts_at.tzinfo is None or ends_at.tzinfo is None:
            raise ValidationError({"slots": f"Slot {index}: give times with a time zone."})
        if not (is_sane(starts_at, now) and is_sane(ends_at, now)):
            raise ValidationError({"slots": f"Slot {index}: {out_of_range_message(now)}"})
        if ends_at <= starts_at:
            raise ValidationError({"slots": f"Slot {index}: the end must be after the start."})
        if ends_at - starts_at > timedelta(hours=8):
            raise ValidationError({"slots": f"Slot {index}: a slot lasts at most 8 hours."})
        if starts_at < now:
            raise ValidationError({"slots": f"Slot {index}: the slot is in the past."})
        if starts_at in seen:
            raise ValidationError({"slots": f"Slot {index}: the same start is offered twice."})
        seen.add(starts_at)
    return sorted(slots)


@transaction.atomic
def availability_offer_slots(
    *,
    actor: User,
    availability_request: AvailabilityRequest,
    slots: Iterable[tuple[datetime, datetime]],
    at: datetime | None = None,
) -> list[AvailabilitySlot]:
    """Offer slots on an open request, which answers it; the covering recruiter is told, with a
    link to booking. Slots outside the engagement's business hours are accepted: the pages and the
    recruiter's email warn about them (``slots_marked_outside_business_hours``)."""
    at = at or timezone.now()
    slots = _validate_slots(slots, now=at)
    request = (
        AvailabilityRequest.objects.select_for_update(of=("self",))
        .select_related("submission__requisition")
        .get(pk=availability_request.pk)
    )
    if not can_respond(actor, request):
        raise PermissionDenied("This request was sent to someone else.")
    if request.status != RequestStatus.OPEN:
        raise Conflict({"non_field_errors": request_closed_message(request)})
    created = AvailabilitySlot.objects.bulk_create(
        [AvailabilitySlot(request=request, starts_at=start, ends_at=end, created_at=at) for start, end in slots]
    )
    _close(request, status=RequestStatus.ANSWERED, at=at)
    engagement_changed(request.engagement_id)
    availability_request.status, availability_request.answered_at = request.status, request.answered_at

    slots_offered_enqueue(availability_request=request)  # recorded with the offer, sent by the worker
    return created


@transaction.atomic
def availability_book(
    *, actor: User, slot: AvailabilitySlot, location: str = "", at: datetime | None = None
) -> Interview:
    """Book an interview in an offered slot; both sides get an invitation with an .ics file."""
    at = at or timezone.now()
    request = (
        AvailabilityRequest.objects.select_for_update(of=("self", "submission"))
        .select_related("submission__requisition__engagement")
        .get(pk=slot.request_id)
    )
    if not can_book(actor, request):
        raise PermissionDenied(MAY_NOT_BOOK_INTERVIEW)
    if request.booked_interview_id is not None:
        raise Conflict({"slot": BOOKED_ALREADY})
    if request.status == RequestStatus.CANCELLED:
        raise Conflict({"non_field_errors": request_closed_message(request)})
    if request.status != RequestStatus.ANSWERED:
        raise ValidationError({"slot": "No slots have been offered yet."})
    if slot.starts_at <= at:
        raise ValidationError({"slot": "That slot has already started; ask for new availability."})
    interview = interview_create(
        submission=request.submission,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        actor=actor,
        interviewers=[request.requested_of],
        location=location,
    )
    request.booked_interview = interview
    request.save(update_fields=["booked_interview"])
    engagement_changed(request.engagement_id)

    interview_invitations_enqueue(interview=interview)  # recorded with the booking, sent by the worker
    return interview


def interviewers_to_assess(interview: Interview) -> list[User]:
    """Who is asked for post-interview feedback: the client-side interviewers, else the hiring manager."""
    client_id = interview.submission.requisition.engagement.client_id
    people = [person for person in interview.interviewers.all() if person.organization_id == client_id]
    return people or [interview.submission.requisition.hiring_manager]


@transaction.atomic
def interview_feedback_requests_open(*, interview: Interview, at: datetime | None = None) -> list[FeedbackRequest]:
    return [
        feedback_request_open(
            submission=interview.submission,
            kind=FeedbackRequest.Kind.INTERVIEW,
            requested_of=person,
            interview=interview,
            at=at,
        )
        for person in interviewers_to_assess(interview)
    ]


# --- Erased candidates ----------------------------------------------------------------------------


def feedback_erase_for_candidates(*, candidate_ids: Iterable[int]) -> int:
    """Blank the hiring managers' comments on these candidates' submissions, whose personal data
    was erased (``engagements.signals.candidate_erased``): decisions, ratings and reason codes stay,
    as the scorecard counts them. One UPDATE; the answers changed."""
    return (
        Feedback.objects.filter(request__submission__candidate_id__in=list(candidate_ids))
        .exclude(comments="")
        .update(comments="")
    )
