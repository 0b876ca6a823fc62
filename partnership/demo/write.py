"""Writing a planned requisition: through the services (as a recruiter and a hiring manager
would), or in bulk.

The feedback side is history, not news. Through the services, the receivers open the requests
as stages change (at the stage's time); answers go through ``feedback_respond``, slots and
bookings through ``availability_offer_slots`` and ``availability_book``, each with its moment in
the past. Then the requisition's history is made to look lived: every "requested" notice was
sent when its request opened, each ladder level whose moment came before the request closed (or
before now) has its ``Reminder`` recorded as sent at that moment, open requests wait for their
next level only (``next_step_at`` in the future), recruiters were told of each answer and offer,
and invitations went out at booking. A worker started on the demo therefore sends nothing from the
past; the first reminders it sends are the ones that fall due from now on.

In bulk (``--scale``) the same requests, answers, slots and bookings are written with
``bulk_create`` and the same ladder times (``request_ladder``), but no ``Reminder`` rows: a
scaled data set is for benchmarks, where a few hundred thousand invented reminder records would
only slow the seed down. Its open requests stand at the ladder step their times say (as if
chased without records) and its closed ones have no next step, so a sweep never fires ancient
reminders for them either.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time

from django.db import transaction
from django.db.models import F, Q

from engagements import services
from engagements.models import (
    Assignment,
    Candidate,
    Engagement,
    Interview,
    Requisition,
    Submission,
    SubmissionStageChange,
)
from engagements.selectors import escalation_recipients
from feedback import services as feedback_services
from feedback.models import (
    AvailabilityRequest,
    AvailabilitySlot,
    Feedback,
    FeedbackRequest,
    Reminder,
    RequestStatus,
    ladder_at,
    ladder_model_of,
    ladder_row,
)
from feedback.reminders.notices import feedback_received_key, interview_invitations_key, slots_offered_key
from rpo_portal.outbox import outbox_mark_sent

from .plan import PlannedAnswer, PlannedInterview, PlannedRequisition, PlannedSubmission, Staffing, Stage

BULK_BATCH_SIZE = 2000


def _respond(submission: Submission, answer: PlannedAnswer, hiring_manager, interview=None) -> None:
    kind = FeedbackRequest.Kind.INTERVIEW if interview is not None else FeedbackRequest.Kind.RESUME_REVIEW
    request = FeedbackRequest.objects.get(
        submission=submission, kind=kind, interview=interview, requested_of=hiring_manager
    )
    feedback_services.feedback_respond(
        actor=hiring_manager,
        feedback_request=request,
        decision=answer.decision,
        rating=answer.rating,
        reasons=answer.reasons,
        comments=answer.comments,
        channel=answer.channel,
        at=answer.at,
    )


def _book_interview(submission: Submission, planned: PlannedSubmission, staffing: Staffing) -> Interview | None:
    """The interview booked from the slots the hiring manager offered (None while they have not)."""
    interview_plan, availability = planned.interview, planned.availability
    if interview_plan is None:
        if availability is not None and availability.offered_at is not None:  # offered, not booked yet
            request = AvailabilityRequest.objects.get(submission=submission, status=RequestStatus.OPEN)
            feedback_services.availability_offer_slots(
                actor=request.requested_of,
                availability_request=request,
                slots=availability.slots,
                at=availability.offered_at,
            )
        return None  # otherwise the slots are not in yet: the availability request stays open
    if availability is None or availability.offered_at is None:  # reached the stage without an advance
        interview = services.interview_create(
            actor=staffing.primary,
            submission=submission,
            starts_at=interview_plan.starts_at,
            ends_at=interview_plan.ends_at,
            interviewers=[staffing.hiring_manager],
            location=interview_plan.location,
        )
        booked_at = planned.events[0][1]
    else:
        request = AvailabilityRequest.objects.get(submission=submission, status=RequestStatus.OPEN)
        slots = feedback_services.availability_offer_slots(
            actor=request.requested_of,
            availability_request=request,
            slots=availability.slots,
            at=availability.offered_at,
        )
        interview = feedback_services.availability_book(
            actor=staffing.primary, slot=slots[0], location=interview_plan.location, at=availability.booked_at
        )
        booked_at = availability.booked_at
    return _settle_interview(interview, interview_plan, staffing, booked_at)


def _settle_interview(interview: Interview, planned: PlannedInterview, staffing: Staffing, booked_at: datetime):
    changes = {"created_at": booked_at, "rescheduled_count": planned.rescheduled_count}
    if planned.status == Interview.Status.COMPLETED:
        # Asked for the assessment when the interview ended; the receiver of the status change
        # below finds the requests open already (opening is idempotent) and adds nothing.
        feedback_services.interview_feedback_requests_open(interview=interview, at=planned.ends_at)
        changes["completed_at"] = planned.ends_at
    if planned.status != Interview.Status.SCHEDULED:
        services.interview_set_status(actor=staffing.primary, interview=interview, status=planned.status)
    Interview.objects.filter(pk=interview.pk).update(**changes)
    return interview


def _write_submission(requisition: Requisition, planned: PlannedSubmission, staffing: Staffing) -> None:
    candidate = services.candidate_create(
        actor=planned.submitted_by, engagement=requisition.engagement, **planned.candidate
    )
    Candidate.objects.filter(pk=candidate.pk).update(created_at=planned.candidate_created_at)
    _, submitted_at, submitted_by = planned.events[0]
    submission = services.submission_create(
        actor=submitted_by,
        requisition=requisition,
        candidate=candidate,
        summary=planned.summary,
        submitted_at=submitted_at,
    )
    for to_stage, at, changed_by in planned.events[1:]:
        if submission.stage == to_stage:  # the hiring manager's answer has moved it already
            continue
        if submission.stage == Stage.HM_REVIEW and planned.resume_answer is not None:
            _respond(submission, planned.resume_answer, staffing.hiring_manager)
        else:
            _move(submission, to_stage=to_stage, by=changed_by, at=at, reason=planned.withdrawal_reason)
        submission.refresh_from_db(fields=["stage", "stage_changed_at"])
        if submission.stage == Stage.INTERVIEW:
            interview = _book_interview(submission, planned, staffing)
            if interview is not None and planned.interview_answer is not None:
                _respond(submission, planned.interview_answer, staffing.hiring_manager, interview=interview)
                submission.refresh_from_db(fields=["stage", "stage_changed_at"])


def _move(submission: Submission, *, to_stage: str, by, at: datetime, reason: str = "") -> None:
    """A recruiter's stage move, or the move a hiring manager's decision made (plan._actor)."""
    if by.is_client_user:
        services.submission_follow_decision(submission=submission, to_stage=to_stage, decided_by=by, at=at)
    else:
        reason = reason if to_stage == Stage.WITHDRAWN else ""
        services.submission_change_stage(
            actor=by, submission=submission, to_stage=to_stage, at=at, withdrawal_reason=reason
        )


def _record_history(requisition: Requisition, now: datetime, created: Counter) -> None:
    """The requisition's chase as it would have happened (see the module's docstring)."""
    about_requisition = Q(submission__requisition=requisition)
    escalated_to = escalation_recipients(engagement=requisition.engagement)
    escalated_to_id = escalated_to[0].pk if escalated_to else None
    reminders = []
    for model, field in ((FeedbackRequest, "feedback_request"), (AvailabilityRequest, "availability_request")):
        requests = list(model.objects.filter(about_requisition))
        ladders = []
        for request in requests:
            until = min(request.answered_at or request.cancelled_at or now, now)
            passed, _, _ = ladder_at(request, until=until)
            ladders.append(ladder_row(request, until=until))
            reminders += [
                Reminder(
                    **{field: request},
                    level=rung.level,
                    recipient_id=escalated_to_id
                    if rung.level == Reminder.Level.ESCALATION
                    else request.requested_of_id,
                    status=Reminder.Status.SENT,
                    created_at=getattr(request, rung.moment),
                    send_after=getattr(request, rung.moment),
                    sent_at=getattr(request, rung.moment),
                    attempts=1,
                )
                for rung in passed
            ]
        ladder_model_of(model).objects.bulk_update(ladders, ["ladder_step", "next_step_at"])
        created[f"{field}s"] += len(requests)
    Reminder.objects.bulk_create(reminders)
    notices = Reminder.objects.filter(
        Q(feedback_request__submission__requisition=requisition)
        | Q(availability_request__submission__requisition=requisition),
        level=Reminder.Level.REQUESTED,
    )
    created["reminders"] += len(reminders) + notices.update(
        status=Reminder.Status.SENT, sent_at=F("created_at"), attempts=1
    )
    # The covering recruiter was told of each answer when it came, and the invitations went out at
    # booking: what the services recorded in the outbox is history, not to be sent now.
    answer_ids = list(
        Feedback.objects.filter(request__submission__requisition=requisition).values_list("pk", flat=True)
    )
    booked_ids = AvailabilityRequest.objects.filter(about_requisition, booked_interview__isnull=False).values_list(
        "booked_interview_id", flat=True
    )
    offered_ids = AvailabilityRequest.objects.filter(about_requisition, status=RequestStatus.ANSWERED).values_list(
        "pk", flat=True
    )
    outbox_mark_sent(
        keys=[feedback_received_key(pk) for pk in answer_ids]
        + [interview_invitations_key(pk) for pk in booked_ids]
        + [slots_offered_key(pk) for pk in offered_ids]
    )
    created["feedback_answers"] += len(answer_ids)
    created["availability_slots"] += AvailabilitySlot.objects.filter(
        request__submission__requisition=requisition
    ).count()


@transaction.atomic
def write_with_services(engagement: Engagement, plan: PlannedRequisition, now: datetime, created: Counter) -> None:
    staffing = plan.staffing
    # The engagement's account manager opens the requisition and staffs it.
    manager = engagement.account_managers.order_by("pk").first()
    requisition = services.requisition_create(
        actor=manager,
        engagement=engagement,
        code=plan.code,
        title=plan.title,
        hiring_manager=staffing.hiring_manager,
        location=plan.location,
        openings=plan.openings,
        priority=plan.priority,
        opened_on=plan.opened_on,
        target_on=plan.target_on,
    )
    for role, person in (
        (Assignment.Role.PRIMARY, staffing.primary),
        (Assignment.Role.BACKUP, staffing.backup),
        (Assignment.Role.SOURCER, staffing.sourcer),
    ):
        services.assignment_create(
            actor=manager, requisition=requisition, recruiter=person, role=role, starts_on=plan.opened_on
        )
    for planned in plan.submissions:
        _write_submission(requisition, planned, staffing)
        created["submissions"] += 1
        created["interviews"] += planned.interview is not None
    _record_history(requisition, now, created)
    if plan.status != Requisition.Status.OPEN:
        services.requisition_update(
            actor=manager, requisition=requisition, status=plan.status, filled_on=plan.filled_on
        )
    created["requisitions"] += 1


# --- in bulk ------------------------------------------------------------------------------


@transaction.atomic
def write_in_bulk(plans: list[tuple[Engagement, PlannedRequisition]], now: datetime, created: Counter) -> None:
    requisitions = Requisition.objects.bulk_create(
        [
            Requisition(
                engagement=engagement,
                code=plan.code,
                title=plan.title,
                hiring_manager=plan.staffing.hiring_manager,
                location=plan.location,
                openings=plan.openings,
                status=plan.status,
                priority=plan.priority,
                opened_on=plan.opened_on,
                target_on=plan.target_on,
                filled_on=plan.filled_on,
                created_at=datetime.combine(plan.opened_on, time(9), tzinfo=engagement.business_calendar.zone),
            )
            for engagement, plan in plans
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(requisition=requisition, recruiter=person, role=role, starts_on=plan.opened_on)
            for requisition, (_, plan) in zip(requisitions, plans, strict=True)
            for role, person in (
                (Assignment.Role.PRIMARY, plan.staffing.primary),
                (Assignment.Role.BACKUP, plan.staffing.backup),
                (Assignment.Role.SOURCER, plan.staffing.sourcer),
            )
        ]
    )
    rows = [
        (engagement, requisition, plan, planned)
        for requisition, (engagement, plan) in zip(requisitions, plans, strict=True)
        for planned in plan.submissions
    ]
    candidates = Candidate.objects.bulk_create(
        [
            Candidate(
                engagement_id=engagement.pk,
                created_by_id=planned.submitted_by.pk,
                created_at=planned.candidate_created_at,
                **planned.candidate,
            )
            for engagement, _, _, planned in rows
        ],
        batch_size=BULK_BATCH_SIZE,
    )
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                requisition_id=requisition.pk,
                candidate_id=candidate.pk,
                stage=planned.stage,
                withdrawal_reason=planned.withdrawal_reason,
                submitted_by_id=planned.submitted_by.pk,
                submitted_at=planned.events[0][1],
                stage_changed_at=planned.events[-1][1],
                summary=planned.summary,
            )
            for (_, requisition, _, planned), candidate in zip(rows, candidates, strict=True)
        ],
        batch_size=BULK_BATCH_SIZE,
    )
    # From here on, ids rather than objects: hundreds of thousands of rows go faster without
    # Django's related-object bookkeeping.
    changes = []
    interviews = []
    interviewers = []
    row_interviews = []  # per row: its interview or None
    for (engagement, _, plan, planned), submission in zip(rows, submissions, strict=True):
        from_stage = ""
        for to_stage, at, changed_by in planned.events:
            changes.append(
                SubmissionStageChange(
                    submission_id=submission.pk,
                    engagement_id=engagement.pk,
                    from_stage=from_stage,
                    to_stage=to_stage,
                    changed_by_id=changed_by.pk,
                    changed_at=at,
                )
            )
            from_stage = to_stage
        if planned.interview is not None:
            interview = planned.interview
            interviews.append(
                Interview(
                    submission_id=submission.pk,
                    engagement_id=engagement.pk,
                    starts_at=interview.starts_at,
                    ends_at=interview.ends_at,
                    location=interview.location,
                    status=interview.status,
                    rescheduled_count=interview.rescheduled_count,
                    created_by_id=plan.staffing.primary.pk,
                    created_at=planned.availability.booked_at
                    if planned.availability and planned.availability.booked_at
                    else planned.events[0][1],
                    completed_at=interview.ends_at if interview.status == Interview.Status.COMPLETED else None,
                )
            )
            interviewers.append(plan.staffing.hiring_manager)
        row_interviews.append(interviews[-1] if planned.interview is not None else None)
    SubmissionStageChange.objects.bulk_create(changes, batch_size=BULK_BATCH_SIZE)
    Interview.objects.bulk_create(interviews, batch_size=BULK_BATCH_SIZE)
    Interview.interviewers.through.objects.bulk_create(
        [
            Interview.interviewers.through(interview_id=interview.pk, user_id=person.pk)
            for interview, person in zip(interviews, interviewers, strict=True)
        ],
        batch_size=BULK_BATCH_SIZE,
    )
    created["requisitions"] += len(requisitions)
    created["submissions"] += len(submissions)
    created["interviews"] += len(interviews)
    _write_feedback_in_bulk(rows, submissions, row_interviews, now, created)
    # bulk_create passes the services by: keep what waits on the client side as they would.
    feedback_services.waiting_on_client_refresh(requisition_ids=[requisition.pk for requisition in requisitions])


def _closed_by(planned: PlannedSubmission, after: datetime) -> datetime | None:
    """When the submission left the pipeline after ``after`` (the receivers then cancel what is
    still open about it), or None."""
    for stage, at, _ in planned.events:
        if stage in Submission.CLOSED_STAGES and at >= after:
            return at
    return None


def _chased(
    model,
    *,
    planned: PlannedSubmission,
    engagement: Engagement,
    opened_at: datetime,
    due_hours: int,
    answered_at: datetime | None,
    **fields,
):
    """A request as ``feedback_request_open`` would have opened it at ``opened_at``, answered at
    ``answered_at`` (or cancelled when the submission left the pipeline). Its ladder row is
    written after the requests (``_write_feedback_in_bulk``)."""
    ladder = feedback_services.request_ladder(engagement=engagement, opened_at=opened_at, due_hours=due_hours)
    request = model(created_at=opened_at, engagement_id=engagement.pk, **ladder, **fields)
    cancelled_at = None if answered_at else _closed_by(planned, opened_at)
    if answered_at is not None:
        request.status, request.answered_at = RequestStatus.ANSWERED, answered_at
    elif cancelled_at is not None:
        request.status, request.cancelled_at = RequestStatus.CANCELLED, cancelled_at
    return request


def _answer_row(request: FeedbackRequest, answer: PlannedAnswer) -> Feedback:
    return Feedback(
        request_id=request.pk,
        decision=answer.decision,
        rating=answer.rating,
        reasons=answer.reasons,
        comments=answer.comments,
        channel=answer.channel,
        given_by_id=request.requested_of_id,
        created_at=answer.at,
    )


def _write_feedback_in_bulk(rows, submissions, row_interviews, now: datetime, created: Counter) -> None:
    feedback_requests, answers, availability_requests, offers = [], [], [], []
    for (engagement, _, plan, planned), submission, interview in zip(rows, submissions, row_interviews, strict=True):
        # Ids rather than objects: a few hundred thousand rows go faster without related-object checks.
        common = {"submission_id": submission.pk, "requested_of_id": plan.staffing.hiring_manager.pk}
        in_review = next((at for stage, at, _ in planned.events if stage == Stage.HM_REVIEW), None)
        if in_review is not None:
            answer = planned.resume_answer
            request = _chased(
                FeedbackRequest,
                engagement=engagement,
                opened_at=in_review,
                due_hours=engagement.resume_feedback_due_hours,
                answered_at=answer.at if answer else None,
                kind=FeedbackRequest.Kind.RESUME_REVIEW,
                planned=planned,
                **common,
            )
            feedback_requests.append(request)
            if answer is not None:
                answers.append((request, answer))
        availability = planned.availability
        if availability is not None:
            request = _chased(
                AvailabilityRequest,
                engagement=engagement,
                opened_at=planned.resume_answer.at,
                due_hours=engagement.availability_due_hours,
                answered_at=availability.offered_at,
                booked_interview_id=interview.pk if availability.booked_at and interview is not None else None,
                planned=planned,
                **common,
            )
            availability_requests.append(request)
            if availability.offered_at is not None:
                offers.append((request, availability))
        if interview is not None and interview.status == Interview.Status.COMPLETED:
            answer = planned.interview_answer
            request = _chased(
                FeedbackRequest,
                engagement=engagement,
                opened_at=interview.completed_at,
                due_hours=engagement.interview_feedback_due_hours,
                answered_at=answer.at if answer else None,
                kind=FeedbackRequest.Kind.INTERVIEW,
                interview_id=interview.pk,
                planned=planned,
                **common,
            )
            feedback_requests.append(request)
            if answer is not None:
                answers.append((request, answer))
    FeedbackRequest.objects.bulk_create(feedback_requests, batch_size=BULK_BATCH_SIZE)
    AvailabilityRequest.objects.bulk_create(availability_requests, batch_size=BULK_BATCH_SIZE)
    for model, requests in ((FeedbackRequest, feedback_requests), (AvailabilityRequest, availability_requests)):
        # Each at its ladder step, as the sweep would have left it (a closed one has no next step).
        ladder_model_of(model).objects.bulk_create(
            [
                ladder_row(request, until=min(request.answered_at or request.cancelled_at or now, now))
                for request in requests
            ],
            batch_size=BULK_BATCH_SIZE,
        )
    Feedback.objects.bulk_create(
        [_answer_row(request, answer) for request, answer in answers], batch_size=BULK_BATCH_SIZE
    )
    slots = AvailabilitySlot.objects.bulk_create(
        [
            AvailabilitySlot(
                request_id=request.pk, starts_at=starts_at, ends_at=ends_at, created_at=availability.offered_at
            )
            for request, availability in offers
            for starts_at, ends_at in availability.slots
        ],
        batch_size=BULK_BATCH_SIZE,
    )
    created["feedback_requests"] += len(feedback_requests)
    created["feedback_answers"] += len(answers)
    created["availability_requests"] += len(availability_requests)
    created["availability_slots"] += len(slots)
