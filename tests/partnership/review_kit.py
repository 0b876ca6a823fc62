"""A quarter of history for the review pack tests: Acme's engagement (New York) started in June
2025, the clock on Monday 16 November 2026 (Q4 under way), so the default pack is Q3 2026 and its
trends reach back to Q4 2025.

``fill(world, requisitions=n)`` adds ``n`` requisitions, each with a submission in Q2 and two in Q3
(moved to interview and offer), their feedback requests (one answered on time, one late), an
interview, plus issues (opened, resolved), wins, a closed pulse survey for August with enough
answers on both sides, the implementation checklist and orientation read marks. Calling it again
adds as much again: the query-count tests compare a small and a larger history.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

from engagements.models import Assignment, ImplementationTask, Interview, OrientationRead, Submission
from feedback.models import RequestStatus
from partnership.models import PartnershipItem, PulseInvitation, PulseResponse, PulseSurvey

from .. import factories
from .scorecard_history import submission

NOW = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
Q3_START = datetime(2026, 7, 1, 4, 0, tzinfo=UTC)  # midnight in New York
Q2_START = datetime(2026, 4, 1, 4, 0, tzinfo=UTC)
Stage = Submission.Stage
_serial = count(1)


def start_engagement(world) -> None:
    engagement = world.acme_engagement
    engagement.started_on = date(2025, 6, 1)
    engagement.orientation_version = 2
    engagement.save(update_fields=["started_on", "orientation_version"])


def _feedback(sub, created: datetime, *, hours_to_answer: float) -> None:
    factories.FeedbackRequestFactory(
        submission=sub,
        created_at=created,
        status=RequestStatus.ANSWERED,
        answered_at=created + timedelta(hours=hours_to_answer),
    )


def fill(world, *, requisitions: int) -> None:
    engagement = world.acme_engagement
    managers = [world.hiring_manager, world.other_hiring_manager]
    for index in range(requisitions):
        serial = next(_serial)
        requisition = factories.RequisitionFactory(
            engagement=engagement,
            hiring_manager=managers[index % 2],
            code=f"ACME-R{serial}",
            opened_on=date(2026, 3, 20),
        )
        factories.AssignmentFactory(
            requisition=requisition,
            recruiter=world.recruiter,
            role=Assignment.Role.PRIMARY,
            starts_on=date(2026, 3, 20),
        )
        day = timedelta(days=serial % 25)  # every date stays inside its quarter
        earlier = submission(requisition, Q2_START + timedelta(days=10) + day)
        _feedback(earlier, earlier.submitted_at, hours_to_answer=4)
        for offset, late in ((timedelta(days=5), False), (timedelta(days=30), True)):
            submitted = Q3_START + offset + day
            sub = submission(
                requisition,
                submitted,
                (Stage.HM_REVIEW, submitted + timedelta(hours=1)),
                (Stage.INTERVIEW, submitted + timedelta(days=3)),
                (Stage.OFFER, submitted + timedelta(days=12)),
            )
            _feedback(sub, submitted + timedelta(hours=1), hours_to_answer=40 if late else 3)
            factories.InterviewFactory(
                submission=sub,
                starts_at=submitted + timedelta(days=5),
                status=Interview.Status.COMPLETED,
            )
        PartnershipItem.objects.create(
            kind=PartnershipItem.Kind.ISSUE,
            engagement=engagement,
            title=f"Slow slots for {requisition.code}",
            what_happened="Interview slots came a week late.",
            owner=world.hiring_manager,
            due_on=date(2026, 8, 20),
            status=PartnershipItem.Status.RESOLVED,
            resolution=f"Two fixed interview windows a week for {requisition.code}.",
            closed_at=Q3_START + timedelta(days=40) + day,
            created_at=Q3_START + timedelta(days=20) + day,
        )
        PartnershipItem.objects.create(
            kind=PartnershipItem.Kind.ISSUE,
            engagement=engagement,
            title=f"Unclear brief for {requisition.code}",
            what_happened="The brief changed twice.",
            owner=world.account_manager,
            due_on=date(2026, 12, 1),
            status=PartnershipItem.Status.OPEN,
            created_at=Q3_START + timedelta(days=50) + day,
        )
        win = PartnershipItem.objects.create(
            kind=PartnershipItem.Kind.WIN,
            engagement=engagement,
            title=f"Filled {requisition.code} in record time",
            what_happened="Offer accepted in three weeks.",
            raised_by=world.client_admin,
            created_at=Q3_START + timedelta(days=60) + day,
        )
        win.thanked.set([world.recruiter])
    _pulse(world)
    _checklist(world)
    _orientation(world)


def _pulse(world) -> None:
    """A closed August survey: three answers on each side (the threshold), with comments."""
    engagement = world.acme_engagement
    survey, created = PulseSurvey.objects.get_or_create(
        engagement=engagement,
        period_start=date(2026, 8, 1),
        defaults={
            "period_label": "August 2026",
            "sent_at": datetime(2026, 8, 3, 13, tzinfo=UTC),
            "closes_at": datetime(2026, 8, 17, 13, tzinfo=UTC),
        },
    )
    if not created:
        return
    client_people = [world.client_admin, world.hiring_manager, world.other_hiring_manager]
    provider_people = [world.account_manager, world.recruiter, world.sourcer]
    for side, people in (("client", client_people), ("provider", provider_people)):
        for score, person in enumerate(people, start=3):
            invitation = PulseInvitation.objects.create(
                survey=survey, person=person, side=side, answered_at=datetime(2026, 8, 5, tzinfo=UTC)
            )
            scores = (
                {"candidate_quality": score, "communication": 4, "responsiveness": 4}
                if side == "client"
                else {"feedback_speed": score - 1, "interview_availability": 3, "requirements_clarity": 4}
            )
            PulseResponse.objects.create(
                invitation=invitation,
                survey=survey,
                side=side,
                overall=score,
                comment=f"Comment from the {side} side",
                **scores,
            )


def _checklist(world) -> None:
    engagement = world.acme_engagement
    if ImplementationTask.objects.filter(engagement=engagement).exists():
        return
    done = datetime(2025, 6, 10, 14, tzinfo=UTC)
    for position, (title, due_on, completed_at, side) in enumerate(
        (
            ("Kick-off", date(2025, 6, 5), done, "provider"),
            ("SLA sign-off", date(2025, 6, 12), done, "client"),
            ("Hiring-manager training", date(2026, 9, 1), None, "client"),
            ("Change-management plan", date(2026, 12, 20), None, "provider"),
        )
    ):
        ImplementationTask.objects.create(
            engagement=engagement,
            title=title,
            owner_side=side,
            owner=world.client_admin if side == "client" else world.account_manager,
            position=position,
            due_on=due_on,
            completed_at=completed_at,
        )


def _orientation(world) -> None:
    engagement = world.acme_engagement
    OrientationRead.objects.update_or_create(engagement=engagement, user=world.recruiter, defaults={"version": 2})
    OrientationRead.objects.update_or_create(engagement=engagement, user=world.sourcer, defaults={"version": 1})
