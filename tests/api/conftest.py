"""A pipeline on top of the ``world`` personas, and the table of who sees what through the API.

``pipeline`` adds to each requisition of ``world`` a submitted candidate (at the interview stage,
with an interview), a candidate on each engagement's bench (never submitted), and an absence of
the recruiter, and the feedback side of each submission: a résumé review asked of the
requisition's hiring manager, an open availability request, and on ``acme1`` a second
availability request already answered with two slots (to book from); the hiring manager of
``acme1`` is also asked to assess ``acme2``'s interview, on whose panel they sit
(``acme2_panel``); an issue about each requisition and one about each engagement as a whole, a
win, and a closed pulse survey per engagement. ``VISIBLE_REQUISITIONS`` says, per persona, which
requisitions they see; every other expectation is derived from it by the product's rules (see
``expected``).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from engagements.models import Assignment, Submission
from feedback.models import RequestStatus
from partnership.models import PulseSurvey

from .. import factories
from ..partnership.issue_kit import make_issue, make_win

PERSONAS = [
    "provider_admin",
    "account_manager",
    "recruiter",
    "sourcer",
    "idle_recruiter",
    "globex_recruiter",
    "hiring_manager",
    "other_hiring_manager",
    "client_admin",
    "globex_hiring_manager",
    "globex_admin",
]

# Requisition keys: "acme1" (hiring_manager's), "acme2" (other_hiring_manager's), "glx1".
# Provider staff see whole engagements they work in; hiring managers only their own requisitions.
VISIBLE_REQUISITIONS = {
    "provider_admin": {"acme1", "acme2", "glx1"},
    "account_manager": {"acme1", "acme2"},
    "recruiter": {"acme1", "acme2"},
    "sourcer": {"acme1", "acme2"},
    "idle_recruiter": set(),
    "globex_recruiter": {"glx1"},
    "hiring_manager": {"acme1"},
    "other_hiring_manager": {"acme2"},
    "client_admin": {"acme1", "acme2"},
    "globex_hiring_manager": {"glx1"},
    "globex_admin": {"glx1"},
}


@dataclass
class Pipeline:
    world: object
    requisitions: dict = field(default_factory=dict)
    engagements: dict = field(default_factory=dict)
    candidates: dict = field(default_factory=dict)
    submissions: dict = field(default_factory=dict)
    interviews: dict = field(default_factory=dict)
    assignments: dict = field(default_factory=dict)
    absences: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    feedback_requests: dict = field(default_factory=dict)
    availability_requests: dict = field(default_factory=dict)
    slots: dict = field(default_factory=dict)
    partnership_items: dict = field(default_factory=dict)
    pulse_surveys: dict = field(default_factory=dict)

    def persona(self, name: str) -> User:
        return getattr(self.world, name)


@pytest.fixture
def pipeline(world) -> Pipeline:
    pipeline = Pipeline(world=world)
    pipeline.engagements = {"acme": world.acme_engagement, "globex": world.globex_engagement}
    pipeline.requisitions = {
        "acme1": world.requisition,
        "acme2": world.other_requisition,
        "glx1": world.globex_requisition,
    }
    for key, requisition in pipeline.requisitions.items():
        candidate = factories.CandidateFactory(engagement=requisition.engagement, full_name=f"Candidate {key}")
        submission = factories.SubmissionFactory(
            requisition=requisition, candidate=candidate, stage=Submission.Stage.INTERVIEW
        )
        pipeline.candidates[key] = candidate
        pipeline.submissions[key] = submission
    pipeline.candidates["acme_bench"] = factories.CandidateFactory(engagement=world.acme_engagement)
    pipeline.candidates["globex_bench"] = factories.CandidateFactory(engagement=world.globex_engagement)

    pipeline.interviews["acme1"] = factories.InterviewFactory(submission=pipeline.submissions["acme1"])
    # The hiring manager of acme1 sits on the panel of acme2's interview: they see that one too.
    pipeline.interviews["acme2"] = factories.InterviewFactory(
        submission=pipeline.submissions["acme2"], interviewers=[world.other_hiring_manager, world.hiring_manager]
    )
    pipeline.interviews["glx1"] = factories.InterviewFactory(submission=pipeline.submissions["glx1"])

    for assignment in Assignment.objects.select_related("requisition", "recruiter"):
        requisition_key = next(k for k, r in pipeline.requisitions.items() if r.pk == assignment.requisition_id)
        pipeline.assignments[f"{requisition_key}_{assignment.recruiter.full_name.lower()}"] = assignment

    pipeline.absences["recruiter"] = factories.OutOfOfficeFactory(
        user=world.recruiter,
        backup=world.sourcer,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=3),
    )
    pipeline.users = {name: pipeline.persona(name) for name in PERSONAS}

    for key, submission in pipeline.submissions.items():
        pipeline.feedback_requests[key] = factories.FeedbackRequestFactory(submission=submission)
        pipeline.availability_requests[key] = factories.AvailabilityRequestFactory(submission=submission)
    pipeline.feedback_requests["acme2_panel"] = factories.InterviewFeedbackRequestFactory(
        interview=pipeline.interviews["acme2"], requested_of=world.hiring_manager
    )
    offered = factories.AvailabilityRequestFactory(
        submission=pipeline.submissions["acme1"], status=RequestStatus.ANSWERED
    )
    pipeline.availability_requests["acme1_offered"] = offered
    pipeline.slots["acme1_offered"] = factories.AvailabilitySlotFactory.create_batch(2, request=offered)

    # Issues about each requisition and about each engagement as a whole, and a win.
    for key, requisition in pipeline.requisitions.items():
        owner = world.account_manager if requisition.engagement_id == world.acme_engagement.pk else world.globex_admin
        pipeline.partnership_items[key] = make_issue(
            requisition.engagement, owner=owner, raised_by=owner, requisition=requisition, title=f"About {key}"
        )
    pipeline.partnership_items["acme"] = make_issue(
        world.acme_engagement, owner=world.client_admin, raised_by=world.account_manager, title="About Acme"
    )
    pipeline.partnership_items["globex"] = make_issue(
        world.globex_engagement, owner=world.globex_admin, raised_by=world.globex_admin, title="About Globex"
    )
    pipeline.partnership_items["acme_win"] = make_win(world.acme_engagement, raised_by=world.client_admin)
    for key, engagement in pipeline.engagements.items():
        pipeline.pulse_surveys[key] = PulseSurvey.objects.create(
            engagement=engagement,
            period_start=date(2026, 10, 1),
            period_label="October 2026",
            closes_at=timezone.now() - timedelta(days=1),
        )
    return pipeline


def _engagement_key(requisition_key: str) -> str:
    return "globex" if requisition_key.startswith("glx") else "acme"


def expected(route: str, persona: str, pipeline: Pipeline) -> set[str]:
    """The keys of the objects ``persona`` sees on ``route``, by the product's access rules."""
    user = pipeline.persona(persona)
    requisitions = VISIBLE_REQUISITIONS[persona]
    engagements = {_engagement_key(key) for key in requisitions}
    if route == "engagements":
        return engagements
    if route == "requisitions":
        return set(requisitions)
    if route in ("submissions", "assignments"):
        objects = getattr(pipeline, route)
        return {key for key, obj in objects.items() if _requisition_key(pipeline, obj) in requisitions}
    if route == "candidates":
        if user.is_client_user:  # only candidates submitted to requisitions they see, never the bench
            return {key for key in pipeline.candidates if key in requisitions}
        return {key for key in pipeline.candidates if _candidate_engagement(key) in engagements}
    if route == "interviews":
        seen = {key for key in pipeline.interviews if key in requisitions}
        if user.is_client_user:  # client colleagues asked to interview see that interview
            seen |= {key for key, interview in pipeline.interviews.items() if user in interview.interviewers.all()}
        return seen
    if route in ("feedback-requests", "availability-requests"):
        # Whoever sees the submission sees the requests about it; the person asked always does.
        objects = getattr(pipeline, route.replace("-", "_"))
        return {
            key
            for key, request in objects.items()
            if _requisition_key(pipeline, request.submission) in requisitions or request.requested_of_id == user.pk
        }
    if route == "partnership-items":
        # Issues and wins of the engagements one sees; a hiring manager: those about their own
        # requisitions and those about the engagement as a whole (no requisition).
        in_view = {key for key in pipeline.partnership_items if _candidate_engagement(key) in engagements}
        if user.role != User.Role.HIRING_MANAGER:
            return in_view
        return {key for key in in_view if key in requisitions or pipeline.partnership_items[key].requisition_id is None}
    if route == "pulse-surveys":
        # Results are read by those who read the scorecard: provider staff and client admins.
        return set() if user.role == User.Role.HIRING_MANAGER else engagements
    if route == "out-of-office":
        return set(pipeline.absences) if user.is_provider_staff else set()
    if route == "users":
        if user.is_client_user:
            return {name for name, other in pipeline.users.items() if other.organization_id == user.organization_id}
        client_ids = {pipeline.engagements[key].client_id for key in engagements}
        return {
            name
            for name, other in pipeline.users.items()
            if other.organization_id == user.organization_id or other.organization_id in client_ids
        }
    raise AssertionError(f"no access rule for {route}")


def _requisition_key(pipeline: Pipeline, obj) -> str:
    return next(key for key, requisition in pipeline.requisitions.items() if requisition.pk == obj.requisition_id)


def _candidate_engagement(key: str) -> str:
    return "globex" if key.startswith(("glx", "globex")) else "acme"
