"""Query-string filters of the engagement API. Scoping is never done here: every filter narrows a
queryset that already came from a selector. ``?mine=1`` asks the selectors' own "mine" rule."""

from django.db.models import Q
from django_filters import rest_framework as filters

from accounts.models import User
from rpo_portal.api import IdFilter

from . import selectors
from .models import Assignment, Candidate, Engagement, Interview, Requisition, Submission


class MineFilterSet(filters.FilterSet):
    mine = filters.BooleanFilter(method="filter_mine", label="Only what is assigned to me or that I manage")

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(self.mine_q(self.request.user))

    def mine_q(self, user: User) -> Q:
        raise NotImplementedError


class EngagementFilter(MineFilterSet):
    status = filters.MultipleChoiceFilter(choices=Engagement.Status.choices)
    client = IdFilter(field_name="client_id")

    class Meta:
        model = Engagement
        fields = ["status", "client", "mine"]

    def mine_q(self, user):
        return Q(id__in=selectors.engagement_ids_assigned_to(user=user)) | Q(
            id__in=selectors.requisition_list(user=user, mine=True).values("engagement_id")
        )


class RequisitionFilter(MineFilterSet):
    status = filters.MultipleChoiceFilter(choices=Requisition.Status.choices)
    priority = filters.MultipleChoiceFilter(choices=Requisition.Priority.choices)
    engagement = IdFilter(field_name="engagement_id")
    hiring_manager = IdFilter(field_name="hiring_manager_id")

    class Meta:
        model = Requisition
        fields = ["status", "priority", "engagement", "hiring_manager", "mine"]

    def mine_q(self, user):
        return Q(id__in=selectors.requisition_list(user=user, mine=True).values("id"))


class AssignmentFilter(MineFilterSet):
    requisition = IdFilter(field_name="requisition_id")
    engagement = IdFilter(field_name="requisition__engagement_id")
    recruiter = IdFilter(field_name="recruiter_id")
    role = filters.MultipleChoiceFilter(choices=Assignment.Role.choices)

    class Meta:
        model = Assignment
        fields = ["requisition", "engagement", "recruiter", "role", "mine"]

    def mine_q(self, user):
        return Q(recruiter_id=user.pk)


class CandidateFilter(filters.FilterSet):
    engagement = IdFilter(field_name="engagement_id")
    email = filters.CharFilter(field_name="email", lookup_expr="iexact", max_length=254)

    class Meta:
        model = Candidate
        fields = ["engagement", "email"]


class SubmissionFilter(MineFilterSet):
    stage = filters.MultipleChoiceFilter(choices=Submission.Stage.choices)
    requisition = IdFilter(field_name="requisition_id")
    engagement = IdFilter(field_name="requisition__engagement_id")
    candidate = IdFilter(field_name="candidate_id")

    class Meta:
        model = Submission
        fields = ["stage", "requisition", "engagement", "candidate", "mine"]

    def mine_q(self, user):
        return Q(id__in=selectors.submission_list(user=user, mine=True).values("id"))


class InterviewFilter(MineFilterSet):
    status = filters.MultipleChoiceFilter(choices=Interview.Status.choices)
    submission = IdFilter(field_name="submission_id")
    requisition = IdFilter(field_name="submission__requisition_id")
    engagement = IdFilter(field_name="engagement_id")  # the interview's own (OfSubmission)
    starts_after = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Interview
        fields = ["status", "submission", "requisition", "engagement", "starts_after", "starts_before", "mine"]

    def mine_q(self, user):
        return Q(id__in=selectors.interview_list(user=user, mine=True).values("id"))


class UserFilter(filters.FilterSet):
    role = filters.MultipleChoiceFilter(choices=User.Role.choices)
    organization = IdFilter(field_name="organization_id")

    class Meta:
        model = User
        fields = ["role", "organization"]
