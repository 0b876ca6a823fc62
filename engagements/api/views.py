"""Views of the engagement API: thin views over ``selectors`` (what a user sees), ``policies``
(what they may do: 403 otherwise) and ``services`` (the writes, which raise field errors: 400).
Another tenant's object is a 404 because querysets only ever come from the selectors.
"""

from collections.abc import Callable, Mapping

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import filters, policies, selectors, services
from .serializers import (
    AssignmentEndSerializer,
    AssignmentSerializer,
    CandidateCreateSerializer,
    CandidateSerializer,
    EngagementCreateSerializer,
    EngagementSerializer,
    InterviewCreateSerializer,
    InterviewSerializer,
    InterviewStatusSerializer,
    RequisitionCreateSerializer,
    RequisitionSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
    SubmissionStageSerializer,
    UserSerializer,
)


class ScopedViewSet(viewsets.GenericViewSet):
    """Querysets come from one selector; writes are authorised by ``policies``, then done by one
    service. PUT is not offered: changes are PATCHes of the fields given."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    selector: Callable = None  # set as staticmethod(selectors.<model>_list)
    create_serializer_class = None
    detail_serializer_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.selector(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class is not None:
            return self.create_serializer_class
        if self.action != "list" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def require(self, allowed: bool, message: str) -> None:
        if not allowed:
            raise exceptions.PermissionDenied(message)

    def validated_create(self, parent_field: str, may_create: Callable[[object], bool], message: str) -> dict:
        """Validate a new object's body, authorising against its parent (``parent_field``) as soon
        as that id resolves: a role that may not create here gets 403 whatever else is wrong."""
        serializer = self.get_serializer(data=self.request.data)
        parent = None
        if isinstance(serializer.initial_data, Mapping) and parent_field in serializer.initial_data:
            try:
                parent = serializer.fields[parent_field].run_validation(serializer.initial_data[parent_field])
            except serializers.ValidationError:
                parent = None
            if parent is not None:
                self.require(may_create(parent), message)
        serializer.is_valid(raise_exception=True)
        if parent is None:
            self.require(may_create(serializer.validated_data[parent_field]), message)
        return dict(serializer.validated_data)

    def validated_update(self, instance) -> dict:
        serializer = self.get_serializer(instance, data=self.request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def output(self, instance, status: int = 200) -> Response:
        serializer_class = self.detail_serializer_class or self.serializer_class
        return Response(serializer_class(instance, context=self.get_serializer_context()).data, status=status)

    def fresh(self, instance):
        """The instance re-read through the selector, so the answer shows what the write did."""
        return self.get_queryset().filter(pk=instance.pk).first() or instance


class EngagementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Partnerships between the provider and a client, with their service levels."""

    selector = staticmethod(selectors.engagement_list)
    serializer_class = EngagementSerializer
    create_serializer_class = EngagementCreateSerializer
    filterset_class = filters.EngagementFilter
    ordering_fields = ["name", "status", "started_on", "created_at", "id"]
    ordering = ["name", "id"]

    @extend_schema(responses={201: EngagementSerializer})
    def create(self, request):
        self.require(policies.can_create_engagement(request.user), "Only a provider admin can open an engagement.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if request.user.organization is None:
            raise exceptions.ValidationError({"provider": "Only a member of a provider can open an engagement."})
        engagement = services.engagement_create(
            provider=request.user.organization,
            client=fields.pop("client"),
            account_managers=fields.pop("account_managers", ()),
            **fields,
        )
        return self.output(self.fresh(engagement), status=201)

    def partial_update(self, request, pk=None):
        engagement = self.get_object()
        self.require(
            policies.can_manage_engagement(request.user, engagement),
            "Only a provider admin or this engagement's account manager can change it.",
        )
        fields = self.validated_update(engagement)
        engagement = services.engagement_update(
            engagement=engagement, account_managers=fields.pop("account_managers", None), **fields
        )
        return self.output(self.fresh(engagement))


class RequisitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Open roles of an engagement, with who covers each one now."""

    selector = staticmethod(selectors.requisition_list)
    serializer_class = RequisitionSerializer
    create_serializer_class = RequisitionCreateSerializer
    filterset_class = filters.RequisitionFilter
    ordering_fields = ["code", "title", "status", "priority", "opened_on", "target_on", "created_at", "id"]
    ordering = ["-opened_on", "code", "id"]
    coverage: dict = {}

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "coverage": self.coverage}

    def with_coverage(self, requisitions) -> None:
        self.coverage = selectors.requisition_covering_recruiters(requisition_ids=[r.pk for r in requisitions])

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.with_coverage(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        requisition = self.get_object()
        self.with_coverage([requisition])
        return self.output(requisition)

    @extend_schema(responses={201: RequisitionSerializer})
    def create(self, request):
        fields = self.validated_create(
            "engagement",
            lambda engagement: policies.can_manage_requisitions(request.user, engagement),
            "Your role cannot open requisitions in this engagement.",
        )
        requisition = services.requisition_create(**fields)
        self.with_coverage([requisition])
        return self.output(self.fresh(requisition), status=201)

    def partial_update(self, request, pk=None):
        requisition = self.get_object()
        self.require(
            policies.can_manage_requisitions(request.user, requisition.engagement),
            "Your role cannot change requisitions in this engagement.",
        )
        requisition = services.requisition_update(requisition=requisition, **self.validated_update(requisition))
        self.with_coverage([requisition])
        return self.output(self.fresh(requisition))


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Who works on which requisition: primary, backup, sourcer, over a period."""

    selector = staticmethod(selectors.assignment_list)
    serializer_class = AssignmentSerializer
    filterset_class = filters.AssignmentFilter
    ordering_fields = ["starts_on", "ends_on", "role", "created_at", "id"]
    ordering = ["requisition_id", "role", "starts_on", "id"]

    def get_serializer_class(self):
        return AssignmentEndSerializer if self.action == "end" else super().get_serializer_class()

    @extend_schema(responses={201: AssignmentSerializer})
    def create(self, request):
        fields = self.validated_create(
            "requisition",
            lambda requisition: policies.can_manage_assignments(request.user, requisition),
            "Only a provider admin or the engagement's account manager can assign recruiters.",
        )
        assignment = services.assignment_create(**fields)
        return self.output(self.fresh(assignment), status=201)

    @extend_schema(request=AssignmentEndSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the assignment on ``ends_on`` (today if left out)."""
        assignment = self.get_object()
        self.require(
            policies.can_manage_assignments(request.user, assignment.requisition),
            "Only a provider admin or the engagement's account manager can end assignments.",
        )
        serializer = AssignmentEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.assignment_end(assignment=assignment, ends_on=serializer.validated_data.get("ends_on"))
        return self.output(self.fresh(assignment))


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """People in an engagement's pipeline."""

    selector = staticmethod(selectors.candidate_list)
    serializer_class = CandidateSerializer
    create_serializer_class = CandidateCreateSerializer
    filterset_class = filters.CandidateFilter
    ordering_fields = ["full_name", "created_at", "id"]
    ordering = ["full_name", "id"]

    @extend_schema(responses={201: CandidateSerializer})
    def create(self, request):
        fields = self.validated_create(
            "engagement",
            lambda engagement: policies.can_work_pipeline(request.user, engagement),
            "Only the provider's recruiting staff can add candidates.",
        )
        candidate = services.candidate_create(created_by=request.user, **fields)
        return self.output(self.fresh(candidate), status=201)

    def partial_update(self, request, pk=None):
        candidate = self.get_object()
        self.require(
            policies.can_work_pipeline(request.user, candidate.engagement),
            "Only the provider's recruiting staff can change candidates.",
        )
        candidate = services.candidate_update(candidate=candidate, **self.validated_update(candidate))
        return self.output(self.fresh(candidate))


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Candidates put forward on requisitions; they move through stages with the ``stage`` action.
    The detail includes the history of stage changes."""

    http_method_names = ["get", "post", "head", "options"]
    selector = staticmethod(selectors.submission_list)
    serializer_class = SubmissionSerializer
    detail_serializer_class = SubmissionDetailSerializer
    filterset_class = filters.SubmissionFilter
    ordering_fields = ["submitted_at", "stage_changed_at", "stage", "id"]
    ordering = ["-submitted_at", "-id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related("stage_changes")
        return queryset

    def get_serializer_class(self):
        if self.action == "stage":
            return SubmissionStageSerializer
        if self.action == "create":
            return SubmissionSerializer
        return super().get_serializer_class()

    @extend_schema(request=SubmissionSerializer, responses={201: SubmissionDetailSerializer})
    def create(self, request):
        fields = self.validated_create(
            "requisition",
            lambda requisition: policies.can_work_pipeline(request.user, requisition.engagement),
            "Only the provider's recruiting staff can submit candidates.",
        )
        submission = services.submission_create(submitted_by=request.user, **fields)
        return self.output(self.fresh(submission), status=201)

    @extend_schema(request=SubmissionStageSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Move the submission to another stage (only legal moves; the change is kept in ``history``)."""
        submission = self.get_object()
        self.require(
            policies.can_change_submission_stage(request.user, submission),
            "Only the provider's recruiting staff can move submissions.",
        )
        serializer = SubmissionStageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = services.submission_change_stage(
            submission=submission,
            to_stage=serializer.validated_data["stage"],
            note=serializer.validated_data.get("note", ""),
            changed_by=request.user,
        )
        return self.output(self.fresh(submission))


class InterviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Interviews of submissions at the interview stage; times, place and panel can change while
    scheduled, and the ``status`` action records how it went."""

    selector = staticmethod(selectors.interview_list)
    serializer_class = InterviewSerializer
    create_serializer_class = InterviewCreateSerializer
    filterset_class = filters.InterviewFilter
    ordering_fields = ["starts_at", "status", "created_at", "id"]
    ordering = ["starts_at", "id"]

    def get_serializer_class(self):
        return InterviewStatusSerializer if self.action == "status" else super().get_serializer_class()

    @extend_schema(responses={201: InterviewSerializer})
    def create(self, request):
        fields = self.validated_create(
            "submission",
            lambda submission: policies.can_work_pipeline(request.user, submission.requisition.engagement),
            "Only the provider's recruiting staff can book interviews.",
        )
        interview = services.interview_create(created_by=request.user, **fields)
        return self.output(self.fresh(interview), status=201)

    def partial_update(self, request, pk=None):
        interview = self.get_object()
        self.require(
            policies.can_work_pipeline(request.user, interview.submission.requisition.engagement),
            "Only the provider's recruiting staff can change interviews.",
        )
        interview = services.interview_update(interview=interview, **self.validated_update(interview))
        return self.output(self.fresh(interview))

    @extend_schema(request=InterviewStatusSerializer, responses=InterviewSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Record that a scheduled interview was completed, cancelled or missed by the candidate."""
        interview = self.get_object()
        self.require(
            policies.can_work_pipeline(request.user, interview.submission.requisition.engagement),
            "Only the provider's recruiting staff can record interview outcomes.",
        )
        serializer = InterviewStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interview = services.interview_set_status(
            interview=interview, status=serializer.validated_data["status"], changed_by=request.user
        )
        return self.output(self.fresh(interview))


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """People one may see or pick (hiring managers, interviewers, recruiters, backups)."""

    http_method_names = ["get", "head", "options"]
    selector = staticmethod(selectors.user_list)
    serializer_class = UserSerializer
    filterset_class = filters.UserFilter
    ordering_fields = ["full_name", "email", "role", "id"]
    ordering = ["full_name", "email", "id"]
