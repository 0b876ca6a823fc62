"""Writing a planned requisition: through the services (as a recruiter would), or in bulk."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time

from django.db import transaction

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

from .plan import PlannedInterview, PlannedRequisition, Staffing, Stage

BULK_BATCH_SIZE = 2000


def _book_interview(submission: Submission, planned: PlannedInterview, staffing: Staffing) -> None:
    interview = services.interview_create(
        submission=submission,
        starts_at=planned.starts_at,
        ends_at=planned.ends_at,
        created_by=staffing.primary,
        interviewers=[staffing.hiring_manager],
        location=planned.location,
    )
    if planned.status != Interview.Status.SCHEDULED:
        services.interview_set_status(interview=interview, status=planned.status, changed_by=staffing.primary)
    if planned.status == Interview.Status.COMPLETED:
        Interview.objects.filter(pk=interview.pk).update(completed_at=planned.ends_at)


@transaction.atomic
def write_with_services(engagement: Engagement, plan: PlannedRequisition, created: Counter) -> None:
    staffing = plan.staffing
    requisition = services.requisition_create(
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
        services.assignment_create(requisition=requisition, recruiter=person, role=role, starts_on=plan.opened_on)
    for planned in plan.submissions:
        candidate = services.candidate_create(
            engagement=engagement, created_by=planned.submitted_by, **planned.candidate
        )
        Candidate.objects.filter(pk=candidate.pk).update(created_at=planned.candidate_created_at)
        _, submitted_at, submitted_by = planned.events[0]
        submission = services.submission_create(
            requisition=requisition,
            candidate=candidate,
            submitted_by=submitted_by,
            summary=planned.summary,
            submitted_at=submitted_at,
        )
        for to_stage, at, changed_by in planned.events[1:]:
            if submission.stage == Stage.INTERVIEW and planned.interview:
                _book_interview(submission, planned.interview, staffing)
            services.submission_change_stage(submission=submission, to_stage=to_stage, changed_by=changed_by, at=at)
        if submission.stage == Stage.INTERVIEW and planned.interview:
            _book_interview(submission, planned.interview, staffing)
        created["submissions"] += 1
        created["interviews"] += planned.interview is not None
    if plan.status != Requisition.Status.OPEN:
        services.requisition_update(requisition=requisition, status=plan.status, filled_on=plan.filled_on)
    created["requisitions"] += 1


# --- in bulk ------------------------------------------------------------------------------


@transaction.atomic
def write_in_bulk(plans: list[tuple[Engagement, PlannedRequisition]], created: Counter) -> None:
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
                engagement=engagement,
                created_by=planned.submitted_by,
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
                requisition=requisition,
                candidate=candidate,
                stage=planned.stage,
                submitted_by=planned.submitted_by,
                submitted_at=planned.events[0][1],
                stage_changed_at=planned.events[-1][1],
                summary=planned.summary,
            )
            for (_, requisition, _, planned), candidate in zip(rows, candidates, strict=True)
        ],
        batch_size=BULK_BATCH_SIZE,
    )
    changes = []
    interviews = []
    interviewers = []
    for (_, _, plan, planned), submission in zip(rows, submissions, strict=True):
        from_stage = ""
        for to_stage, at, changed_by in planned.events:
            changes.append(
                SubmissionStageChange(
                    submission=submission,
                    from_stage=from_stage,
                    to_stage=to_stage,
                    changed_by=changed_by,
                    changed_at=at,
                )
            )
            from_stage = to_stage
        if planned.interview is not None:
            interview = planned.interview
            interviews.append(
                Interview(
                    submission=submission,
                    starts_at=interview.starts_at,
                    ends_at=interview.ends_at,
                    location=interview.location,
                    status=interview.status,
                    created_by=plan.staffing.primary,
                    created_at=planned.events[0][1],
                    completed_at=interview.ends_at if interview.status == Interview.Status.COMPLETED else None,
                )
            )
            interviewers.append(plan.staffing.hiring_manager)
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
