"""Views of the engagement API: thin views over ``selectors`` (what a user sees), ``policies``
(what they may do: 403 otherwise) and ``services`` (the writes, which raise field errors: 400).
Another tenant's object is a 404 because querysets only ever come from the selectors.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from rpo_portal.viewsets import ScopedViewSet

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
    SubmissionCreateSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
    SubmissionStageSerializer,
    UserSerializer,
)


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
        self.require(policies.can_create_engagement(request.user), policies.MAY_NOT_OPEN_ENGAGEMENT)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if request.user.organization is None:
            raise exceptions.ValidationError({"provider": "Only a member of a provider can open an engagement."})
        engagement = services.engagement_create(
            actor=request.user,
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
            policies.MAY_NOT_CHANGE_ENGAGEMENT,
        )
        fields = self.validated_update(engagement)
        engagement = services.engagement_update(
            actor=request.user, engagement=engagement, account_managers=fields.pop("account_managers", None), **fields
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
            policies.MAY_NOT_OPEN_REQUISITION,
        )
        requisition = services.requisition_create(actor=request.user, **fields)
        self.with_coverage([requisition])
        return self.output(self.fresh(requisition), status=201)

    def partial_update(self, request, pk=None):
        requisition = self.get_object()
        self.require(
            policies.can_manage_requisitions(request.user, requisition.engagement),
            policies.MAY_NOT_CHANGE_REQUISITION,
        )
        requisition = services.requisition_update(
            actor=request.user, requisition=requisition, **self.validated_update(requisition)
        )
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
            policies.MAY_NOT_ASSIGN,
        )
        assignment = services.assignment_create(actor=request.user, **fields)
        return self.output(self.fresh(assignment), status=201)

    @extend_schema(request=AssignmentEndSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the assignment on ``ends_on`` (today if left out)."""
        assignment = self.get_object()
        self.require(
            policies.can_manage_assignments(request.user, assignment.requisition),
            policies.MAY_NOT_END_ASSIGNMENT,
        )
        serializer = AssignmentEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.assignment_end(
            actor=request.user, assignment=assignment, ends_on=serializer.validated_data.get("ends_on")
        )
        return self.output(self.fresh(assignment))


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """People in an engagement's pipeline. Client users see the candidates submitted to the
    requisitions they see, without contact details; ``DELETE`` erases a candidate's personal data."""

    http_method_names = [*ScopedViewSet.http_method_names, "delete"]
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
            policies.MAY_NOT_ADD_CANDIDATE,
        )
        candidate = services.candidate_create(actor=request.user, **fields)
        return self.output(self.fresh(candidate), status=201)

    def partial_update(self, request, pk=None):
        candidate = self.get_object()
        self.require(
            policies.can_work_pipeline(request.user, candidate.engagement),
            policies.MAY_NOT_CHANGE_CANDIDATE,
        )
        candidate = services.candidate_update(
            actor=request.user, candidate=candidate, **self.validated_update(candidate)
        )
        return self.output(self.fresh(candidate))

    @extend_schema(
        summary="Erase the candidate's personal data",
        description=(
            "Not a deletion: the candidate is anonymised in place. The name becomes "
            "“Erased candidate #<id>”; email, phone, current title, location and source are blanked, "
            "and so is every free text about them (the submissions' pitch, stage notes, interview "
            "locations, the hiring managers' feedback comments). Submissions, stages, moments, "
            "decisions and ratings stay, so the scorecard does not change. Recorded in `erased_at`; "
            "an erased candidate cannot be changed. Idempotent: erasing again answers 204 and changes "
            "nothing. Provider admins and the engagement's account managers only (403 for others)."
        ),
        responses={204: None},
    )
    def destroy(self, request, pk=None):
        candidate = self.get_object()
        self.require(
            policies.can_erase_candidate(request.user, candidate.engagement),
            policies.MAY_NOT_ERASE_CANDIDATE,
        )
        services.candidate_erase(actor=request.user, candidate=candidate)
        return Response(status=204)


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
            return SubmissionCreateSerializer
        return super().get_serializer_class()

    @extend_schema(request=SubmissionCreateSerializer, responses={201: SubmissionDetailSerializer})
    def create(self, request):
        """Submit a candidate to a requisition. By default (``send_to_review``) it goes straight to
        the hiring manager's review, which asks them for feedback; the answer shows the stage it is
        at and its history."""
        fields = self.validated_create(
            "requisition",
            lambda requisition: policies.can_work_pipeline(request.user, requisition.engagement),
            policies.MAY_NOT_SUBMIT,
        )
        submission = services.submission_create(actor=request.user, **fields)
        return self.output(self.fresh(submission), status=201)

    @extend_schema(request=SubmissionStageSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Move the submission to another stage (only legal moves; the change is kept in ``history``).
        A move to ``withdrawn`` needs its ``withdrawal_reason``."""
        submission = self.get_object()
        self.require(
            policies.can_change_submission_stage(request.user, submission),
            policies.MAY_NOT_MOVE_SUBMISSION,
        )
        serializer = SubmissionStageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = services.submission_change_stage(
            submission=submission,
            to_stage=serializer.validated_data["stage"],
            note=serializer.validated_data.get("note", ""),
            withdrawal_reason=serializer.validated_data.get("withdrawal_reason", ""),
            actor=request.user,
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
            policies.MAY_NOT_BOOK_INTERVIEW,
        )
        interview = services.interview_create(actor=request.user, **fields)
        return self.output(self.fresh(interview), status=201)

    def partial_update(self, request, pk=None):
        interview = self.get_object()
        self.require(
            policies.can_work_pipeline(request.user, interview.submission.requisition.engagement),
            policies.MAY_NOT_CHANGE_INTERVIEW,
        )
        interview = services.interview_update(
            actor=request.user, interview=interview, **self.validated_update(interview)
        )
        return self.output(self.fresh(interview))

    @extend_schema(request=InterviewStatusSerializer, responses=InterviewSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Record what became of a scheduled interview: ``completed`` (opens the post-interview feedback
        requests), ``no_show`` (the candidate did not show), ``hm_no_show`` (the hiring manager did
        not), ``cancelled``, or ``rescheduled`` with the new ``starts_at`` (and optionally ``ends_at``),
        which stays scheduled at the new time and counts as a reschedule."""
        interview = self.get_object()
        self.require(
            policies.can_work_pipeline(request.user, interview.submission.requisition.engagement),
            policies.MAY_NOT_RECORD_INTERVIEW_OUTCOME,
        )
        serializer = InterviewStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interview = services.interview_set_status(actor=request.user, interview=interview, **serializer.validated_data)
        return self.output(self.fresh(interview))


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """People one may see or pick (hiring managers, interviewers, recruiters, backups)."""

    http_method_names = ["get", "head", "options"]
    selector = staticmethod(selectors.user_list)
    serializer_class = UserSerializer
    filterset_class = filters.UserFilter
    ordering_fields = ["full_name", "email", "role", "id"]
    ordering = ["full_name", "email", "id"]
