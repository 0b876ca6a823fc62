"""Planning the demo pipeline: what each requisition and submission looks like, decided with a
seeded ``random.Random`` and the engagement's business calendar, before anything is written.

A submission's path follows the legal stage moves; each step waits a plausible number of business
hours (hiring managers at their own pace), and a step that would land after ``now`` has not happened
yet, so the submission waits at its current stage, as recent ones do.

The feedback side follows from the path. Leaving hiring-manager review for the interview stage is
the hiring manager's "advance", for rejection their "reject" (a withdrawal leaves the request to be
cancelled: a résumé left waiting more than three business days is withdrawn from more often, and
for another offer or the wait, so that the cost of waiting shows); an advance asks for
availability, answered with the interview's slot and another one before the interview is booked,
unless the submission is still at the interview stage and the hiring manager, at their pace, has
not offered slots yet (then it waits there with an open availability request and no interview), or
has offered slots for an interview still ahead that the recruiter has not booked yet. An interview
that ended within ``OUTCOME_PENDING`` waits for the recruiter to record its outcome; one missed
before a withdrawal was the hiring manager's no-show, before a rejection the candidate's. A
completed interview is assessed: "advance" before an offer, "reject" with a rejection, and for a
submission still at the interview stage an answer at the hiring manager's pace, if that moment has
come.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from accounts.models import User
from engagements.business_hours import BusinessCalendar, add_business_hours
from engagements.local_dates import engagement_today
from engagements.models import Engagement, Interview, Requisition, Submission
from feedback.models import Feedback

from . import data

WINDOW = timedelta(days=90)
OUTCOME_PENDING = timedelta(days=4)  # an interview that ended this recently still waits for its outcome
Stage = Submission.Stage
FORWARD = [Stage.SUBMITTED, Stage.HM_REVIEW, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED]
# Where submissions of an open requisition end up: the funnel of a typical RPO pipeline.
OPEN_REQUISITION_OUTCOMES = {
    Stage.SUBMITTED: 10,
    Stage.HM_REVIEW: 16,
    Stage.INTERVIEW: 12,
    Stage.OFFER: 4,
    Stage.REJECTED: 45,
    Stage.WITHDRAWN: 13,
}
# Why demo candidates withdraw: another offer most often, as in the trade.
WITHDRAWAL_REASONS = (
    Submission.WithdrawalReason.OTHER_OFFER,
    Submission.WithdrawalReason.OTHER_OFFER,
    Submission.WithdrawalReason.PROCESS_TOO_SLOW,
    Submission.WithdrawalReason.LOST_INTEREST,
    Submission.WithdrawalReason.COMPENSATION,
    Submission.WithdrawalReason.PERSONAL,
)
# The cost of waiting, so that the demo's figure has something to show: a candidate whose résumé
# waits more than LONG_WAIT_DAYS business days on the hiring manager withdraws before the answer this
# often (on top of the funnel's own withdrawals), for another offer or tired of waiting.
LONG_WAIT_DAYS = 3
WITHDRAWN_AFTER_LONG_WAIT = 0.4
REASONS_AFTER_LONG_WAIT = (
    Submission.WithdrawalReason.OTHER_OFFER,
    Submission.WithdrawalReason.OTHER_OFFER,
    Submission.WithdrawalReason.PROCESS_TOO_SLOW,
)
CLOSED_OUTCOMES = {Stage.REJECTED: 3, Stage.WITHDRAWN: 1}
# The last open stage before a rejection or a withdrawal. Few leave at the offer: most offers are
# accepted (offer acceptance around 85 %, as in a healthy RPO programme).
LEFT_AFTER = {
    Stage.REJECTED: {Stage.SUBMITTED: 1, Stage.HM_REVIEW: 6, Stage.INTERVIEW: 3, Stage.OFFER: 0.02},
    Stage.WITHDRAWN: {Stage.SUBMITTED: 1, Stage.HM_REVIEW: 2, Stage.INTERVIEW: 2, Stage.OFFER: 0.06},
}


@dataclass
class PlannedInterview:
    starts_at: datetime
    ends_at: datetime
    status: str
    location: str
    rescheduled_count: int = 0  # times it was moved before it took place (the scorecard's reschedules)


@dataclass
class PlannedAnswer:
    """Feedback given by the hiring manager at ``at``."""

    decision: str
    rating: int
    reasons: list[str]
    comments: str
    channel: str
    at: datetime


@dataclass
class PlannedAvailability:
    """The answer to the availability request an advance opens: slots offered at ``offered_at``
    and the interview booked from the first one at ``booked_at``; ``None`` when not in yet
    (``booked_at`` alone ``None``: offered, waiting for the recruiter to book)."""

    offered_at: datetime | None = None
    booked_at: datetime | None = None
    slots: list[tuple[datetime, datetime]] = field(default_factory=list)


@dataclass
class PlannedSubmission:
    candidate: dict[str, str]
    candidate_created_at: datetime
    submitted_by: User
    summary: str
    # (to_stage, at, changed_by), the first one being the submission itself.
    events: list[tuple[str, datetime, User]]
    interview: PlannedInterview | None
    # The answer to the résumé review (given when the submission left hiring-manager review).
    resume_answer: PlannedAnswer | None = None
    # Set when the résumé review was an advance.
    availability: PlannedAvailability | None = None
    # The answer to the post-interview request (a completed interview only).
    interview_answer: PlannedAnswer | None = None
    # Why the candidate withdrew (a withdrawn submission only).
    withdrawal_reason: str = ""

    @property
    def stage(self) -> str:
        return self.events[-1][0]


@dataclass
class Staffing:
    hiring_manager: User
    primary: User
    backup: User
    sourcer: User
    pace: float  # how slowly the hiring manager answers: 1.0 is on time on average


@dataclass
class PlannedRequisition:
    code: str
    title: str
    location: str
    staffing: Staffing
    openings: int
    status: str
    priority: str
    opened_on: date
    target_on: date
    filled_on: date | None = None
    submissions: list[PlannedSubmission] = field(default_factory=list)


def weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _stage_path(rng: random.Random, outcome: str) -> list[str]:
    if outcome in LEFT_AFTER:
        last_open = weighted(rng, LEFT_AFTER[outcome])
        return [*FORWARD[: FORWARD.index(last_open) + 1], outcome]
    return FORWARD[: FORWARD.index(outcome) + 1]


def _gap_hours(rng: random.Random, from_stage: str, to_stage: str, pace: float) -> float:
    """Business hours between two stages: recruiters are quick, hiring managers vary."""
    if from_stage == Stage.SUBMITTED:
        return rng.uniform(0.5, 6) if to_stage == Stage.HM_REVIEW else rng.uniform(1, 16)
    if from_stage == Stage.HM_REVIEW:
        return rng.uniform(1, 30) * pace
    if from_stage == Stage.INTERVIEW:
        return rng.uniform(16, 72) * (0.5 + pace / 2)
    return rng.uniform(8, 40)


def _actor(from_stage: str, to_stage: str, staffing: Staffing) -> User:
    # The hiring manager's feedback decides review outcomes and interview rejections; recruiters do
    # the rest, the offer included.
    if from_stage in (Stage.HM_REVIEW, Stage.INTERVIEW) and to_stage not in (Stage.WITHDRAWN, Stage.OFFER):
        return staffing.hiring_manager
    return staffing.primary


def _quarter_hour(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def _plan_interview(
    *, rng, client, events, path_gaps, index: int, staffing: Staffing, calendar, now: datetime
) -> PlannedInterview:
    entered = events[index][1]
    gap = path_gaps[index] if index < len(path_gaps) else _gap_hours(rng, Stage.INTERVIEW, Stage.OFFER, staffing.pace)
    starts_at = _quarter_hour(add_business_hours(entered, gap * rng.uniform(0.3, 0.7), calendar))
    ends_at = starts_at + timedelta(minutes=rng.choice((45, 60, 90)))
    if index + 1 < len(events):
        left = events[index + 1][0] in (Stage.REJECTED, Stage.WITHDRAWN)
        status = Interview.Status.NO_SHOW if left and rng.random() < 0.15 else Interview.Status.COMPLETED
        if status == Interview.Status.NO_SHOW and events[index + 1][0] == Stage.WITHDRAWN:
            # The candidate withdrew after waiting for a hiring manager who did not come.
            status = Interview.Status.HM_NO_SHOW
    elif ends_at > now or now - ends_at < OUTCOME_PENDING:
        # Ahead, or just over: the recruiter has not recorded how it went yet.
        status = Interview.Status.SCHEDULED
    else:
        status = Interview.Status.COMPLETED
    # About one interview in eight was moved once, one in forty twice; decided from the time (no
    # draw from ``rng``, so the rest of the plan is the same as before reschedules were recorded).
    turn = (starts_at.day * 96 + starts_at.hour * 4 + starts_at.minute // 15 + index) % 40
    rescheduled_count = 2 if turn == 0 else 1 if turn % 8 == 1 else 0
    return PlannedInterview(
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        location=rng.choice(client.rooms),
        rescheduled_count=rescheduled_count,
    )


def _plan_submission(
    *, rng, client, outcome: str, staffing: Staffing, window_start: datetime, calendar, now, tag: str
) -> PlannedSubmission:
    path = _stage_path(rng, outcome)
    gaps = [_gap_hours(rng, before, after, staffing.pace) for before, after in itertools.pairwise(path)]
    waited_long = _review_waited_long(path, gaps, calendar)
    if (
        waited_long
        and path[-1] not in (Stage.WITHDRAWN, Stage.HIRED)  # a filled requisition keeps its hire
        and random.Random(f"{tag}:waited").random() < WITHDRAWN_AFTER_LONG_WAIT
    ):
        # Tired of waiting: withdrawn from the review, when the answer would have come.
        index = path.index(Stage.HM_REVIEW)
        path, gaps = [*path[: index + 1], Stage.WITHDRAWN], gaps[: index + 1]
    # Calendar time the path takes, roughly: eight business hours a day, five days a week.
    # Résumés waiting on the hiring manager range from just sent to long overdue; other open
    # submissions settled at their stage a couple of days ago at least.
    slack_days = 0.2 if outcome == Stage.HM_REVIEW else 2
    latest_start = now - timedelta(days=sum(gaps) / 8 * 7 / 5 + slack_days)
    if outcome in Submission.OPEN_STAGES:  # still waiting on someone: recent
        raw_start = latest_start - timedelta(days=rng.uniform(0, 12))
    else:
        raw_start = window_start + (latest_start - window_start) * rng.random()
    raw_start = min(max(raw_start, window_start), now - timedelta(hours=1))
    submitted_at = add_business_hours(raw_start, rng.uniform(0, 2), calendar).replace(microsecond=0)
    if submitted_at > now:
        submitted_at = raw_start.replace(microsecond=0)
    submitted_by = staffing.primary if rng.random() < 0.85 else staffing.backup
    events = [(Stage.SUBMITTED, submitted_at, submitted_by)]
    for (before, after), gap in zip(itertools.pairwise(path), gaps, strict=True):
        at = add_business_hours(events[-1][1], gap, calendar).replace(microsecond=0)
        if at > now:  # not happened yet: the submission waits at its current stage
            break
        events.append((after, at, _actor(before, after, staffing)))
    reached = [stage for stage, _, _ in events]
    interview = None
    if Stage.INTERVIEW in reached:
        interview = _plan_interview(
            rng=rng,
            client=client,
            events=events,
            path_gaps=gaps,
            index=reached.index(Stage.INTERVIEW),
            staffing=staffing,
            calendar=calendar,
            now=now,
        )
    first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
    title = rng.choice(client.candidate_titles)
    planned = PlannedSubmission(
        candidate={
            "full_name": f"{first} {last}",
            # The tag (requisition code and number) keeps emails unique within the engagement.
            "email": f"{first}.{last}.{tag}@{rng.choice(data.EMAIL_DOMAINS)}".lower(),
            "phone": client.phone_format.format(rng.randint(1000000, 9999999)),
            "current_title": title,
            "location": rng.choice(client.candidate_locations),
            "source": rng.choice(data.SOURCES),
        },
        candidate_created_at=submitted_at - timedelta(hours=rng.uniform(2, 96)),
        submitted_by=submitted_by,
        summary=rng.choice(data.SUMMARIES).format(years=rng.randint(2, 15), title=title.lower()),
        events=events,
        interview=interview,
    )
    # A separate stream, so that the pipeline above does not depend on how feedback is planned.
    _plan_feedback(planned, rng=random.Random(f"{tag}:feedback"), staffing=staffing, calendar=calendar, now=now)
    if planned.stage == Stage.WITHDRAWN:
        reasons = REASONS_AFTER_LONG_WAIT if waited_long else WITHDRAWAL_REASONS
        planned.withdrawal_reason = random.Random(f"{tag}:withdrawal").choice(reasons)
    return planned


def _review_waited_long(path: list[str], gaps: list[float], calendar: BusinessCalendar) -> bool:
    """Whether the résumé review, if the path leaves it, takes more than ``LONG_WAIT_DAYS`` business
    days of the calendar (``gaps`` are business hours)."""
    if Stage.HM_REVIEW not in path or path[-1] == Stage.HM_REVIEW:
        return False
    day = datetime.combine(date.min, calendar.day_end) - datetime.combine(date.min, calendar.day_start)
    return gaps[path.index(Stage.HM_REVIEW)] > LONG_WAIT_DAYS * day.total_seconds() / 3600


def _answer(rng: random.Random, decision: str, at: datetime) -> PlannedAnswer:
    if decision == Feedback.Decision.ADVANCE:
        rating, reasons = rng.choice((4, 4, 5, 5, 3)), rng.sample(data.POSITIVE_REASONS, rng.randint(1, 2))
    elif decision == Feedback.Decision.REJECT:
        rating, reasons = rng.choice((1, 2, 2, 3)), rng.sample(data.NEGATIVE_REASONS, rng.randint(1, 2))
    else:
        rating, reasons = 3, rng.sample(data.POSITIVE_REASONS, 1)
    return PlannedAnswer(
        decision=decision,
        rating=rating,
        reasons=reasons,
        comments=rng.choice(data.FEEDBACK_COMMENTS[decision]),
        channel=weighted(rng, data.FEEDBACK_CHANNELS),
        at=at.replace(microsecond=0),
    )


def _next_event(events, stage: str):
    """The event that left ``stage`` (to_stage, at, changed_by), or None if it has not happened."""
    stages = [to_stage for to_stage, _, _ in events]
    index = stages.index(stage) + 1 if stage in stages else len(events)
    return events[index] if index < len(events) else None


def _unbooked(interview: PlannedInterview) -> bool:
    """About half the interviews still ahead were offered but not booked yet; decided from the
    time (no draw from ``rng``, so the rest of the plan stays the same)."""
    return (interview.starts_at.hour * 4 + interview.starts_at.minute // 15) % 2 == 0


def _plan_feedback(planned: PlannedSubmission, *, rng, staffing: Staffing, calendar, now: datetime) -> None:
    reached = {stage for stage, _, _ in planned.events}
    left_review = _next_event(planned.events, Stage.HM_REVIEW) if Stage.HM_REVIEW in reached else None
    if left_review is not None and left_review[0] in (Stage.INTERVIEW, Stage.REJECTED):
        decision = Feedback.Decision.ADVANCE if left_review[0] == Stage.INTERVIEW else Feedback.Decision.REJECT
        planned.resume_answer = _answer(rng, decision, left_review[1])

    interview = planned.interview
    if planned.resume_answer is not None and planned.resume_answer.decision == Feedback.Decision.ADVANCE:
        asked_at = planned.resume_answer.at
        planned.availability = PlannedAvailability()
        if interview is not None:
            offered_at = (asked_at + (interview.starts_at - asked_at) * 0.3).replace(microsecond=0)
            # A submission still at the interview stage may be waiting for slots from a slow
            # hiring manager: then nothing is booked yet, whatever was planned.
            slots_wait = rng.uniform(4, 24) * staffing.pace
            waiting = (
                _next_event(planned.events, Stage.INTERVIEW) is None
                and add_business_hours(asked_at, slots_wait, calendar) > now
            )
            day = timedelta(days=1)
            slots = [(interview.starts_at, interview.ends_at), (interview.starts_at + day, interview.ends_at + day)]
            if waiting or offered_at > now:
                planned.interview = interview = None
            elif (
                _next_event(planned.events, Stage.INTERVIEW) is None
                and interview.starts_at > now
                and _unbooked(interview)
            ):
                # Slots offered for an interview still ahead that the recruiter has not booked yet:
                # "Book interview" can be tried at once on the demo.
                planned.availability = PlannedAvailability(offered_at=offered_at, slots=slots)
                planned.interview = interview = None
            else:
                booked_at = (offered_at + (interview.starts_at - offered_at) * 0.25).replace(microsecond=0)
                planned.availability = PlannedAvailability(offered_at=offered_at, booked_at=booked_at, slots=slots)

    if interview is None or interview.status != Interview.Status.COMPLETED:
        return
    left_interview = _next_event(planned.events, Stage.INTERVIEW)
    if left_interview is None:  # still at the interview stage: answered at the hiring manager's pace
        answered_at = add_business_hours(interview.ends_at, rng.uniform(2, 40) * staffing.pace, calendar)
        if answered_at <= now:
            decision = Feedback.Decision.ADVANCE if rng.random() < 0.7 else Feedback.Decision.HOLD
            planned.interview_answer = _answer(rng, decision, answered_at)
        return
    to_stage, at, _ = left_interview
    if at <= interview.ends_at:
        return
    if to_stage == Stage.OFFER:
        planned.interview_answer = _answer(
            rng, Feedback.Decision.ADVANCE, interview.ends_at + (at - interview.ends_at) / 2
        )
    elif to_stage == Stage.REJECTED:
        planned.interview_answer = _answer(rng, Feedback.Decision.REJECT, at)


def plan_requisition(
    *,
    code: str,
    client,
    engagement: Engagement,
    title: str,
    location: str,
    status: str,
    priority: str,
    openings: int,
    submission_count: int,
    staffing: Staffing,
    now: datetime,
    rng: random.Random,
) -> PlannedRequisition:
    calendar: BusinessCalendar = engagement.business_calendar
    age = rng.randint(70, 120) if status == Requisition.Status.FILLED else rng.randint(10, 110)
    opened_on = engagement_today(engagement, now) - timedelta(days=age)
    requisition = PlannedRequisition(
        code=code,
        title=title,
        location=location,
        staffing=staffing,
        openings=openings,
        status=status,
        priority=priority,
        opened_on=opened_on,
        target_on=opened_on + timedelta(days=rng.randint(45, 75)),
    )
    opened_at = datetime.combine(opened_on + timedelta(days=1), time(9), tzinfo=calendar.zone)
    window_start = max(now - WINDOW, opened_at)
    hired = 0
    for number in range(1, submission_count + 1):
        if status == Requisition.Status.FILLED:
            outcome = Stage.HIRED if number <= openings else weighted(rng, CLOSED_OUTCOMES)
        elif status == Requisition.Status.CANCELLED:
            outcome = weighted(rng, CLOSED_OUTCOMES)
        else:
            outcome = weighted(rng, OPEN_REQUISITION_OUTCOMES)
            # A requisition with several openings may have hired some of them already.
            if outcome == Stage.OFFER and hired < openings - 1 and rng.random() < 0.5:
                outcome = Stage.HIRED
        hired += outcome == Stage.HIRED
        requisition.submissions.append(
            _plan_submission(
                rng=rng,
                client=client,
                outcome=outcome,
                staffing=staffing,
                window_start=window_start,
                calendar=calendar,
                now=now,
                tag=f"{code}{number:02d}".lower().replace("-", ""),
            )
        )
    hires = [planned.events[-1][1] for planned in requisition.submissions if planned.stage == Stage.HIRED]
    if status == Requisition.Status.FILLED:
        if hires:
            requisition.filled_on = max(hires).astimezone(calendar.zone).date()
        else:  # the hire has not happened yet
            requisition.status = Requisition.Status.OPEN
    return requisition
