"""Every service a person triggers asks the policies itself, whichever door the call came through
(API, page, admin, a script): someone whose role may not act is refused and nothing is written."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import User
from engagements import services
from engagements.models import Assignment, Candidate, Engagement, Interview, Requisition, Submission
from feedback.models import AvailabilityRequest, RequestStatus
from feedback.services import availability_book
from tests import factories


def _counts() -> dict[str, int]:
    models = (Engagement, Requisition, Assignment, Candidate, Submission, Interview)
    return {model.__name__: model.objects.count() for model in models}


CALLS = {
    "open an engagement": lambda world, actor: services.engagement_create(
        actor=actor, provider=world.provider, client=factories.OrganizationFactory(), name="New"
    ),
    "change an engagement": lambda world, actor: services.engagement_update(
        actor=actor, engagement=world.acme_engagement, resume_feedback_due_hours=1
    ),
    "open a requisition": lambda world, actor: services.requisition_create(
        actor=actor, engagement=world.acme_engagement, code="NEW-1", title="New", hiring_manager=world.hiring_manager
    ),
    "change a requisition": lambda world, actor: services.requisition_update(
        actor=actor, requisition=world.requisition, title="Changed"
    ),
    "assign a recruiter": lambda world, actor: services.assignment_create(
        actor=actor, requisition=world.requisition, recruiter=world.idle_recruiter, role=Assignment.Role.BACKUP
    ),
    "end an assignment": lambda world, actor: services.assignment_end(
        actor=actor, assignment=Assignment.objects.filter(requisition=world.requisition).first()
    ),
    "add a candidate": lambda world, actor: services.candidate_create(
        actor=actor, engagement=world.acme_engagement, full_name="Ada Lovelace"
    ),
    "submit a candidate": lambda world, actor: services.submission_create(
        actor=actor,
        requisition=world.requisition,
        candidate=factories.CandidateFactory(engagement=world.acme_engagement),
    ),
    "move a submission": lambda world, actor: services.submission_change_stage(
        actor=actor,
        submission=factories.SubmissionFactory(requisition=world.requisition),
        to_stage=Submission.Stage.HM_REVIEW,
    ),
}


# The client's admin opens and edits the client's own requisitions; a sourcer works the pipeline.
MAY = {
    ("open a requisition", "client_admin"),
    ("change a requisition", "client_admin"),
    ("add a candidate", "sourcer"),
    ("submit a candidate", "sourcer"),
    ("move a submission", "sourcer"),
}
REFUSED = [
    (call, who)
    for call in CALLS
    for who in ("hiring_manager", "client_admin", "sourcer", "another_providers_recruiter")
    if (call, who) not in MAY
]


@pytest.mark.parametrize(("call", "who"), REFUSED)
def test_a_role_that_may_not_act_is_refused_by_the_service_itself(world, call, who):
    if who == "another_providers_recruiter":
        actor = factories.UserFactory(organization=factories.ProviderFactory(), role=User.Role.RECRUITER)
    else:
        actor = getattr(world, who)
    before = _counts()
    title = world.requisition.title
    with pytest.raises(PermissionDenied):
        CALLS[call](world, actor)
    after = _counts()
    # Objects the call's arguments needed (a candidate to submit) are made before the refusal.
    assert {name: after[name] - before[name] for name in after if name not in ("Candidate", "Submission")} == {
        name: 0 for name in after if name not in ("Candidate", "Submission")
    }
    world.requisition.refresh_from_db()
    assert world.requisition.title == title


def test_a_hiring_manager_cannot_book_an_interview_even_by_calling_the_service(world):
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW)
    request = factories.AvailabilityRequestFactory(
        submission=submission, requested_of=world.hiring_manager, status=RequestStatus.ANSWERED
    )
    start = timezone.now() + timedelta(days=2)
    slot = factories.AvailabilitySlotFactory(request=request, starts_at=start, ends_at=start + timedelta(hours=1))

    with pytest.raises(PermissionDenied):
        availability_book(actor=world.hiring_manager, slot=slot)

    assert AvailabilityRequest.objects.get(pk=request.pk).booked_interview is None
    assert not Interview.objects.filter(submission=submission).exists()


def test_the_recruiter_books_the_same_slot(world):
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW)
    request = factories.AvailabilityRequestFactory(
        submission=submission, requested_of=world.hiring_manager, status=RequestStatus.ANSWERED
    )
    start = timezone.now() + timedelta(days=2)
    slot = factories.AvailabilitySlotFactory(request=request, starts_at=start, ends_at=start + timedelta(hours=1))

    interview = availability_book(actor=world.recruiter, slot=slot)

    assert AvailabilityRequest.objects.get(pk=request.pk).booked_interview == interview


def test_a_provider_admin_opens_engagements_for_their_own_provider_only(world):
    other_provider = factories.ProviderFactory()
    with pytest.raises(PermissionDenied):
        services.engagement_create(
            actor=world.provider_admin, provider=other_provider, client=factories.OrganizationFactory(), name="Theirs"
        )
    assert not Engagement.objects.filter(name="Theirs").exists()
