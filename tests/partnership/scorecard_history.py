"""A known history of the Acme engagement (America/New_York) with fixed timestamps, for the scorecard.

``NOW`` is Wednesday 17 June 2026, 12:00 UTC (08:00 in New York); the 30-day window starts on
Monday 18 May 2026, 12:00 UTC. Every expected figure is worked out beside the rows that make it
(see ``EXPECTED`` and the test module). Times are UTC unless said; New York is UTC-4 in summer.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from engagements.models import (
    Assignment,
    Candidate,
    ImplementationTask,
    Interview,
    Requisition,
    Submission,
    SubmissionStageChange,
)
from feedback.models import AvailabilityRequest, FeedbackRequest, Reminder, RequestStatus

from .. import factories

NOW = datetime(2026, 6, 17, 12, 0, tzinfo=UTC)
Stage = Submission.Stage


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@dataclass
class History:
    world: object
    requisitions: dict = field(default_factory=dict)
    submissions: dict = field(default_factory=dict)
    feedback: dict = field(default_factory=dict)
    availability: dict = field(default_factory=dict)
    interviews: dict = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)


def requisition(engagement, code, hiring_manager, opened_on, status=Requisition.Status.OPEN, filled_on=None):
    return factories.RequisitionFactory(
        engagement=engagement,
        code=code,
        hiring_manager=hiring_manager,
        opened_on=opened_on,
        status=status,
        filled_on=filled_on,
    )


def submission(requisition, submitted_at, *moves):
    """A submission with its stage history: ``moves`` are (to_stage, at)."""
    candidate = Candidate.objects.create(engagement_id=requisition.engagement_id, full_name=f"Candidate {submitted_at}")
    stage = moves[-1][0] if moves else Stage.SUBMITTED
    sub = Submission.objects.create(
        requisition=requisition,
        candidate=candidate,
        stage=stage,
        submitted_at=submitted_at,
        stage_changed_at=moves[-1][1] if moves else submitted_at,
        # A withdrawal is recorded with its reason (the check constraint asks for one).
        withdrawal_reason=Submission.WithdrawalReason.OTHER_OFFER if stage == Stage.WITHDRAWN else "",
    )
    of = {"submission": sub, "engagement_id": requisition.engagement_id}
    changes = [SubmissionStageChange(**of, from_stage="", to_stage=Stage.SUBMITTED, changed_at=submitted_at)]
    previous = Stage.SUBMITTED
    for to_stage, moment in moves:
        changes.append(SubmissionStageChange(**of, from_stage=previous, to_stage=to_stage, changed_at=moment))
        previous = to_stage
    SubmissionStageChange.objects.bulk_create(changes)
    return sub


def _ladder(created, due, answered, status):
    if status is None:
        status = RequestStatus.ANSWERED if answered else RequestStatus.OPEN
    return {
        "created_at": created,
        "remind_at": due - timedelta(hours=1),
        "due_at": due,
        "escalate_at": due + timedelta(hours=12),
        "answered_at": answered,
        "status": status,
        "cancelled_at": created + timedelta(hours=1) if status == RequestStatus.CANCELLED else None,
    }


def feedback_request(sub, who, created, due, answered=None, status=None):
    return FeedbackRequest.objects.create(
        submission=sub,
        requested_of=who,
        kind=FeedbackRequest.Kind.RESUME_REVIEW,
        **_ladder(created, due, answered, status),
    )


def availability_request(sub, who, created, due, answered=None, status=None, booked=None):
    return AvailabilityRequest.objects.create(
        submission=sub, requested_of=who, booked_interview=booked, **_ladder(created, due, answered, status)
    )


def interview(sub, starts_at, status=Interview.Status.COMPLETED, rescheduled_count=0):
    return Interview.objects.create(
        submission=sub,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        status=status,
        rescheduled_count=rescheduled_count,
    )


def escalation(request, sent_at, status=Reminder.Status.SENT):
    kind = "feedback_request" if isinstance(request, FeedbackRequest) else "availability_request"
    return Reminder.objects.create(
        level=Reminder.Level.ESCALATION,
        recipient=request.requested_of,
        status=status,
        created_at=(sent_at or NOW) - timedelta(minutes=1),
        sent_at=sent_at,
        **{kind: request},
    )


def build_history(world) -> History:
    engagement = world.acme_engagement
    hm1, hm2 = world.hiring_manager, world.other_hiring_manager
    history = History(world=world)

    # Requisitions. Open during the window (opened by 17 June, open or filled since 18 May): R1, R2, R4,
    # R5, R6 = 5. R3 was filled before the window.
    r1 = world.requisition
    r1.opened_on = date(2026, 5, 1)
    r1.save()
    r2 = world.other_requisition
    r2.opened_on, r2.status, r2.filled_on = date(2026, 5, 20), Requisition.Status.FILLED, date(2026, 6, 10)  # 21 days
    r2.save()
    r3 = requisition(engagement, "ACME-3", hm1, date(2026, 3, 1), Requisition.Status.FILLED, date(2026, 4, 1))
    r4 = requisition(engagement, "ACME-4", hm1, date(2026, 6, 1))  # no submission: due 8 June, overdue
    r5 = requisition(engagement, "ACME-5", hm2, date(2026, 5, 1), Requisition.Status.FILLED, date(2026, 6, 5))  # 35
    r6 = requisition(engagement, "ACME-6", hm1, date(2026, 6, 1))
    history.requisitions = {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "r5": r5, "r6": r6}
    for req in (r1, r4, r6):
        Assignment.objects.filter(requisition=req).delete()
        factories.AssignmentFactory(
            requisition=req, recruiter=world.recruiter, role=Assignment.Role.PRIMARY, starts_on=date(2026, 1, 1)
        )

    # Submissions and their stage moves. Made in the window: S7, S2, S3, S6, S8, S4 = 6.
    # To interview in the window: S1, S7, S2 = 3. Offers: S1, S2 = 2. Offers decided: S1 hired, S2 rejected.
    s1 = submission(
        r1, at(5, 4, 10), (Stage.HM_REVIEW, at(5, 5)), (Stage.INTERVIEW, at(5, 20)), (Stage.OFFER, at(6, 1)),
        (Stage.HIRED, at(6, 8)),
    )  # fmt: skip
    s2 = submission(
        r2, at(5, 25, 14), (Stage.HM_REVIEW, at(5, 26)), (Stage.INTERVIEW, at(5, 28)), (Stage.OFFER, at(6, 3)),
        (Stage.REJECTED, at(6, 5)),
    )  # fmt: skip
    s3 = submission(r2, at(5, 27), (Stage.HM_REVIEW, at(5, 28)), (Stage.REJECTED, at(5, 29)))
    s4 = submission(r1, at(6, 10))
    # First submission of R6: 02:00 UTC on 4 June is still 3 June in New York: 2 days after opening.
    s6 = submission(r6, at(6, 4, 2))
    s7 = submission(
        r1, at(5, 19), (Stage.HM_REVIEW, at(5, 20)), (Stage.INTERVIEW, at(5, 22)), (Stage.WITHDRAWN, at(5, 30))
    )
    s8 = submission(r6, at(6, 5))
    history.submissions = {"s1": s1, "s2": s2, "s3": s3, "s4": s4, "s6": s6, "s7": s7, "s8": s8}

    # Feedback. Due in the window: F3 (on time), F1 (on time), F2 (late), F4 (open, late) -> 2 of 4 = 50%.
    # Answered in the window: F3 21 h, F1 20 h, F2 48 h, F8 78 h -> median 34.5 h.
    history.feedback = {
        "f1": feedback_request(s2, hm2, at(5, 25, 14), at(5, 26, 14), answered=at(5, 26, 10)),
        "f2": feedback_request(s3, hm2, at(5, 27), at(5, 28), answered=at(5, 29)),
        "f3": feedback_request(s7, hm1, at(5, 19), at(5, 20), answered=at(5, 20, 9)),
        "f4": feedback_request(s4, hm1, at(6, 10), at(6, 11)),  # open, overdue
        "f5": feedback_request(s6, hm1, at(6, 15), at(6, 18)),  # open, not due yet
        "f6": feedback_request(s1, hm1, at(5, 4, 10), at(5, 5, 10), answered=at(5, 5, 8)),  # all before the window
        "f7": feedback_request(s8, hm2, at(6, 5), at(6, 6), status=RequestStatus.CANCELLED),  # never counts
        "f8": feedback_request(s1, hm2, at(5, 15), at(5, 16), answered=at(5, 18, 18)),  # due before, answered in
    }

    # Interviews starting in the window: I1 (moved twice), I2, I3 (the candidate's no-show, moved once),
    # I6 (the hiring manager's no-show), I8 (cancelled: no one's). I4 and I7 before the window and I5
    # after now do not count. Candidate no-shows 1 (provider side), hiring-manager no-shows 1 (client
    # side), reschedules 3; over 90 days, with I4 and I7, 2 and 2.
    history.interviews = {
        "i1": interview(s1, at(5, 25, 15), rescheduled_count=2),
        "i2": interview(s2, at(6, 1, 15)),
        "i3": interview(s7, at(5, 27, 15), Interview.Status.NO_SHOW, rescheduled_count=1),
        "i4": interview(s1, at(5, 10, 15), Interview.Status.NO_SHOW, rescheduled_count=3),
        "i5": interview(s8, at(6, 20, 15), Interview.Status.SCHEDULED, rescheduled_count=1),
        "i6": interview(s2, at(5, 29, 15), Interview.Status.HM_NO_SHOW),
        "i7": interview(s1, at(5, 12, 15), Interview.Status.HM_NO_SHOW),
        "i8": interview(s7, at(5, 26, 15), Interview.Status.CANCELLED),
    }

    # Availability. Slots offered in the window: A1 30 h, A2 12 h, A3 48 h, A5 24 h -> median 27 h.
    # A4 is open past its due time (client overdue); A5 was answered 13 June 12:00 and not booked within
    # the 24 h availability SLA (provider overdue from 14 June 12:00); A3's submission was withdrawn.
    interviews = history.interviews
    history.availability = {
        "a1": availability_request(s1, hm1, at(5, 20, 13), at(5, 21, 13), at(5, 21, 19), booked=interviews["i1"]),
        "a2": availability_request(s2, hm2, at(5, 28), at(5, 29), at(5, 29, 0), booked=interviews["i2"]),
        "a3": availability_request(s7, hm1, at(5, 22), at(5, 23), at(5, 24)),
        "a4": availability_request(s6, hm1, at(6, 14), at(6, 15)),
        "a5": availability_request(s8, hm2, at(6, 12), at(6, 13), at(6, 13)),
    }  # fmt: skip

    # Escalations sent in the window: E1 (14 June), E2 (29 May), E3 (16 June) = 3; in the last 7 days: 2.
    escalation(history.feedback["f4"], at(6, 14))
    escalation(history.feedback["f2"], at(5, 29, 6))
    escalation(history.availability["a4"], at(6, 16, 0))
    escalation(history.feedback["f8"], at(5, 17))  # before the window
    escalation(history.feedback["f5"], None, status=Reminder.Status.PENDING)  # not sent

    # Implementation tasks: one overdue on each side, one done late, one due today.
    history.tasks = {
        "client": ImplementationTask.objects.create(
            engagement=engagement, title="Share the interview rooms list", owner=world.client_admin,
            owner_side=ImplementationTask.Side.CLIENT, due_on=date(2026, 6, 10),
        ),
        "provider": ImplementationTask.objects.create(
            engagement=engagement, title="Set up the career site", owner=world.account_manager, due_on=date(2026, 6, 12)
        ),
        "done": ImplementationTask.objects.create(
            engagement=engagement, title="Kick-off", owner=world.account_manager, due_on=date(2026, 5, 1),
            completed_at=at(5, 3),
        ),
        "today": ImplementationTask.objects.create(
            engagement=engagement, title="Sign the SLA", owner=world.account_manager, due_on=date(2026, 6, 17)
        ),
    }  # fmt: skip
    return history


def build_globex_history(world) -> None:
    """Globex's own activity in the same window: one late answer, one escalation, one hire."""
    req = world.globex_requisition
    req.opened_on = date(2026, 5, 2)
    req.save()
    sub = submission(
        req, at(5, 20), (Stage.HM_REVIEW, at(5, 21)), (Stage.INTERVIEW, at(5, 22)), (Stage.OFFER, at(5, 23)),
        (Stage.HIRED, at(5, 24)),
    )  # fmt: skip
    late = feedback_request(sub, world.globex_hiring_manager, at(5, 20), at(5, 21), answered=at(5, 23))
    escalation(late, at(6, 15))
    availability_request(sub, world.globex_hiring_manager, at(6, 1), at(6, 2))  # open, overdue
    interview(sub, at(5, 28), Interview.Status.NO_SHOW, rescheduled_count=4)


def many_submissions(world, count: int) -> None:
    """``count`` more requisitions in the Acme engagement, each with a submission at every stage of
    the funnel and the feedback around it: for checking that query counts do not grow."""
    already = Requisition.objects.filter(code__startswith="BULK-").count()
    for number in range(already, already + count):
        req = requisition(
            world.acme_engagement, f"BULK-{number}", world.hiring_manager, date(2026, 5, 1),
            Requisition.Status.FILLED if number % 3 == 0 else Requisition.Status.OPEN,
            date(2026, 6, 1) if number % 3 == 0 else None,
        )  # fmt: skip
        factories.AssignmentFactory(requisition=req, recruiter=world.recruiter, starts_on=date(2026, 1, 1))
        sub = submission(req, at(5, 20), (Stage.HM_REVIEW, at(5, 21)), (Stage.INTERVIEW, at(5, 25)))
        request = feedback_request(sub, world.hiring_manager if number % 2 else world.other_hiring_manager,
                                   at(5, 20), at(5, 21), answered=at(5, 21, 6) if number % 2 else None)  # fmt: skip
        escalation(request, at(6, 1))
        availability_request(sub, world.hiring_manager, at(6, 1), at(6, 2), at(6, 3))  # not booked: provider overdue
        interview(sub, at(6, 5), Interview.Status.NO_SHOW, rescheduled_count=1)
        if number % 2:
            requisition(world.acme_engagement, f"EMPTY-{number}", world.hiring_manager, date(2026, 6, 1))
