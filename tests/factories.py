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
