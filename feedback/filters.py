"""Query-string filters of the feedback API. Scoping is never done here: every filter narrows a
queryset that already came from a selector. ``?overdue=`` is the models' ``overdue_q`` and
``?mine=1`` the selectors' own "mine" rule (asked of me, or about a requisition I work on)."""

from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters

from engagements.filters import MineFilterSet
from rpo_portal.api import IdFilter

from . import selectors
from .models import AvailabilityRequest, FeedbackRequest, RequestStatus

_COMMON_FIELDS = ["status", "overdue", "engagement", "requisition", "submission", "requested_of", "mine"]


class _ChasedRequestFilter(MineFilterSet):
    status = filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    overdue = filters.BooleanFilter(method="filter_overdue", label="Open and past the due time (1) or not (0)")
    engagement = IdFilter(field_name="engagement_id")  # the request's own (OfSubmission)
    requisition = IdFilter(field_name="submission__requisition_id")
    submission = IdFilter(field_name="submission_id")
    requested_of = IdFilter(field_name="requested_of_id")

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.model.objects.overdue_q(timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class FeedbackRequestFilter(_ChasedRequestFilter):
    kind = filters.MultipleChoiceFilter(choices=FeedbackRequest.Kind.choices)

    class Meta:
        model = FeedbackRequest
        fields = [*_COMMON_FIELDS, "kind"]

    def mine_q(self, user):
        return Q(id__in=selectors.feedback_request_list(user=user, mine=True).values("id"))


class AvailabilityRequestFilter(_ChasedRequestFilter):
    class Meta:
        model = AvailabilityRequest
        fields = _COMMON_FIELDS

    def mine_q(self, user):
        return Q(id__in=selectors.availability_request_list(user=user, mine=True).values("id"))
