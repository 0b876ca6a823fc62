"""factory_boy factories shared by every test (and nothing else)."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Organization, OutOfOffice, User
from engagements.models import Assignment, Candidate, Engagement, Interview, Requisition, Submission

DEFAULT_PASSWORD = "correct horse battery staple"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Client {n}")
    kind = Organization.Kind.CLIENT
    time_zone = "America/New_York"


class ProviderFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Provider {n}")
    kind = Organization.Kind.PROVIDER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    organization = factory.SubFactory(OrganizationFactory)
    role = User.Role.HIRING_MANAGER
    time_zone = "America/New_York"
    password = factory.django.Password(DEFAULT_PASSWORD)


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    name = factory.LazyAttribute(lambda o: f"{o.client.name} partnership")
    provider = factory.SubFactory(ProviderFactory)
    client = factory.SubFactory(OrganizationFactory)
    status = Engagement.Status.ACTIVE
    time_zone = "America/New_York"


class RequisitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requisition

    engagement = factory.SubFactory(EngagementFactory)
    code = factory.Sequence(lambda n: f"REQ-{n:04d}")
    title = factory.Faker("job")
    hiring_manager = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..engagement.client"), role=User.Role.HIRING_MANAGER
    )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    requisition = factory.SubFactory(RequisitionFactory)
    recruiter = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..requisition.engagement.provider"), role=User.Role.RECRUITER
    )
    role = Assignment.Role.PRIMARY
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    engagement = factory.SubFactory(EngagementFactory)
    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"candidate{n}@mail.example")


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    requisition = factory.SubFactory(RequisitionFactory)
    candidate = factory.SubFactory(CandidateFactory, engagement=factory.SelfAttribute("..requisition.engagement"))
    stage = Submission.Stage.SUBMITTED
    # A withdrawn submission has its reason (the check constraint): another offer, unless given.
    withdrawal_reason = factory.LazyAttribute(
        lambda o: Submission.WithdrawalReason.OTHER_OFFER if o.stage == Submission.Stage.WITHDRAWN else ""
    )


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview
        skip_postgeneration_save = True

    submission = factory.SubFactory(SubmissionFactory, stage=Submission.Stage.INTERVIEW)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))

    @factory.post_generation
    def interviewers(self, create, extracted, **kwargs):
        if create:
            self.interviewers.set(extracted if extracted is not None else [self.submission.requisition.hiring_manager])


class OutOfOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutOfOffice

    user = factory.SubFactory(UserFactory, organization=factory.SubFactory(ProviderFactory), role=User.Role.RECRUITER)
    backup = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..user.organization"), role=User.Role.RECRUITER
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(days=7))


# --- feedback (requests, answers, availability, reminders) ------------------------------------------

from feedback.models import (  # noqa: E402  (kept with the factories that use them)
    AvailabilityRequest,
    AvailabilitySlot,
    Feedback,
    FeedbackRequest,
    Reminder,
    RequestStatus,
)


class _ChasedRequestFactory(factory.django.DjangoModelFactory):
    """An open request due in a day, with its ladder in order (remind <= due <= escalate)."""

    requested_of = factory.LazyAttribute(lambda o: o.submission.requisition.hiring_manager)
    created_at = factory.LazyFunction(timezone.now)
    remind_at = factory.LazyAttribute(lambda o: o.created_at + timedelta(hours=20))
    due_at = factory.LazyAttribute(lambda o: o.created_at + timedelta(hours=24))
    escalate_at = factory.LazyAttribute(lambda o: o.due_at + timedelta(hours=12))
    status = RequestStatus.OPEN
    answered_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == RequestStatus.ANSWERED else None)

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def ladder_row(obj, create, extracted, **kwargs):
        """Its ladder, as the services open it (``feedback.models.ladder_row``); none for a closed request."""
        if create:
            from feedback.models import ladder_row

            ladder_row(obj).save(force_insert=True)

    @factory.post_generation
    def keep_the_wait(obj, create, extracted, **kwargs):
        """What the services do after opening or closing a request: the requisition's stored wait."""
        if create:
            from feedback.services import waiting_on_client_refresh

            waiting_on_client_refresh(requisition_ids=[obj.submission.requisition_id])


class FeedbackRequestFactory(_ChasedRequestFactory):
    class Meta:
        model = FeedbackRequest

    submission = factory.SubFactory(SubmissionFactory, stage=Submission.Stage.HM_REVIEW)
    kind = FeedbackRequest.Kind.RESUME_REVIEW
    interview = None


class InterviewFeedbackRequestFactory(FeedbackRequestFactory):
    interview = factory.SubFactory(InterviewFactory)
    submission = factory.SelfAttribute("interview.submission")
    kind = FeedbackRequest.Kind.INTERVIEW


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    request = factory.SubFactory(FeedbackRequestFactory, status=RequestStatus.ANSWERED)
    decision = Feedback.Decision.ADVANCE
    rating = 4
    reasons = factory.LazyFunction(lambda: [Feedback.Reason.SKILLS_MATCH])
    comments = "Strong on the essentials."
    channel = Feedback.Channel.WEB
    given_by = factory.LazyAttribute(lambda o: o.request.requested_of)


class AvailabilityRequestFactory(_ChasedRequestFactory):
    class Meta:
        model = AvailabilityRequest

    submission = factory.SubFactory(SubmissionFactory, stage=Submission.Stage.INTERVIEW)


class AvailabilitySlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilitySlot

    request = factory.SubFactory(AvailabilityRequestFactory, status=RequestStatus.ANSWERED)
    starts_at = factory.Sequence(lambda n: timezone.now().replace(microsecond=0) + timedelta(days=3, hours=n))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))


class ReminderFactory(factory.django.DjangoModelFactory):
    """A sent reminder before the due time of a feedback request."""

    class Meta:
        model = Reminder

    feedback_request = factory.SubFactory(FeedbackRequestFactory)
    availability_request = None
    level = Reminder.Level.DUE_SOON
    recipient = factory.LazyAttribute(lambda o: (o.feedback_request or o.availability_request).requested_of)
    status = Reminder.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)
