"""Planning the demo pipeline: what each requisition and submission looks like, decided with a
seeded ``random.Random`` and the engagement's business calendar, before anything is written.

A submission's path follows the legal stage moves; each step waits a plausible number of business
hours (hiring managers at their own pace), and a step that would land after ``now`` has not happened
yet, so the submission waits at its current stage, as recent ones do.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from engagements.business_hours import BusinessCalendar, add_business_hours
from engagements.models import Engagement, Interview, Requisition, Submission

from . import data

WINDOW = timedelta(days=90)
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
CLOSED_OUTCOMES = {Stage.REJECTED: 3, Stage.WITHDRAWN: 1}
# The last open stage before a rejection or a withdrawal.
LEFT_AFTER = {
    Stage.REJECTED: {Stage.SUBMITTED: 1, Stage.HM_REVIEW: 6, Stage.INTERVIEW: 3, Stage.OFFER: 0.5},
    Stage.WITHDRAWN: {Stage.SUBMITTED: 1, Stage.HM_REVIEW: 2, Stage.INTERVIEW: 2, Stage.OFFER: 1.5},
}


@dataclass
class PlannedInterview:
    starts_at: datetime
    ends_at: datetime
    status: str
    location: str


@dataclass
class PlannedSubmission:
    candidate: dict[str, str]
    candidate_created_at: datetime
    submitted_by: User
    summary: str
    # (to_stage, at, changed_by), the first one being the submission itself.
    events: list[tuple[str, datetime, User]]
    interview: PlannedInterview | None

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
    # The hiring manager's feedback decides review and interview outcomes; recruiters do the rest.
    if from_stage in (Stage.HM_REVIEW, Stage.INTERVIEW) and to_stage != Stage.WITHDRAWN:
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
    else:
        status = Interview.Status.COMPLETED if ends_at <= now else Interview.Status.SCHEDULED
    return PlannedInterview(starts_at=starts_at, ends_at=ends_at, status=status, location=rng.choice(client.rooms))


def _plan_submission(
    *, rng, client, outcome: str, staffing: Staffing, window_start: datetime, calendar, now, tag: str
) -> PlannedSubmission:
    path = _stage_path(rng, outcome)
    gaps = [_gap_hours(rng, before, after, staffing.pace) for before, after in itertools.pairwise(path)]
    # Calendar time the path takes, roughly: eight business hours a day, five days a week.
    latest_start = now - timedelta(days=sum(gaps) / 8 * 7 / 5 + 2)
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
    return PlannedSubmission(
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
    opened_on = timezone.localdate(now, calendar.zone) - timedelta(days=age)
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
