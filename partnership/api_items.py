"""API of issues and wins: ``/api/v1/partnership-items/``.

Thin, like the rest of the API: the queryset is ``partnership_item_list`` (another client's item is
a 404), the writes are ``partnership.items.services`` (field errors are 400s; a double submit or a
status that moved on is a 409 whose ``detail`` says why), who may write is ``partnership.policies``
(403). Wins are listed here read-only; they are recorded by the wins' own services.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from engagements.models import Engagement, Requisition
from engagements.selectors import engagement_list, requisition_list
from rpo_portal.api import IdFilter, ScopedRelatedField
from rpo_portal.viewsets import ScopedViewSet

from . import policies
from .items import (
    issue_comment,
    issue_raise,
    issue_set_status,
    issue_update,
    item_follow,
    item_owner_choices,
    item_unfollow,
    partnership_item_list,
)
from .models import ItemComment, PartnershipItem

_BAD_INPUT = OpenApiResponse(description="Bad input: a message per field.")
_FORBIDDEN = OpenApiResponse(description="You can see the issue but may not do this.")
_CONFLICT = OpenApiResponse(
    description="The issue's status refuses this (already resolved, moved on since, or a win): ``detail`` says why."
)
_NOT_FOUND = OpenApiResponse(description="No such issue among those you can see.")

Status = PartnershipItem.Status


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    side = serializers.ChoiceField(
        choices=["provider", "client"], source="organization.kind", allow_null=True, required=False
    )


class PartnershipItemSerializer(serializers.ModelSerializer):
    engagement = serializers.IntegerField(source="engagement_id", read_only=True)
    requisition = serializers.IntegerField(source="requisition_id", read_only=True, allow_null=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True, allow_null=True)
    owner_name = serializers.SerializerMethodField()
    raised_by = serializers.IntegerField(source="raised_by_id", read_only=True, allow_null=True)
    thanked = PersonSerializer(many=True, read_only=True, help_text="Wins: the people thanked, on either side.")
    status = serializers.ChoiceField(
        choices=PartnershipItem.Status.choices,
        allow_blank=True,
        read_only=True,
        help_text="An issue's status; empty for a win.",
    )

    class Meta:
        model = PartnershipItem
        fields = [
            "id",
            "kind",
            "engagement",
            "requisition",
            "title",
            "what_happened",
            "impact",
            "proposed_next_step",
            "owner",
            "owner_name",
            "due_on",
            "status",
            "resolution",
            "decline_reason",
            "closed_at",
            "raised_by",
            "created_at",
            "updated_at",
            "due_at",
            "thanked",
        ]
        read_only_fields = fields

    def get_owner_name(self, item) -> str | None:
        return item.owner.display_name if item.owner is not None else None


def _owners(**kwargs) -> ScopedRelatedField:
    return ScopedRelatedField(selector=item_owner_choices, queryset=User.objects.none(), **kwargs)


class IssueCreateSerializer(serializers.Serializer):
    engagement = ScopedRelatedField(selector=engagement_list, queryset=Engagement.objects.none())
    requisition = ScopedRelatedField(
        selector=requisition_list, queryset=Requisition.objects.none(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200)
    what_happened = serializers.CharField(max_length=5000)
    impact = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    proposed_next_step = serializers.CharField(
        max_length=5000, help_text="What would help? Describe the next step, not who is to blame."
    )
    owner = _owners(help_text="The person, on either side, who owns the next step.")
    due_on = serializers.DateField(help_text="In the engagement's calendar; today or later.")


class IssueUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    what_happened = serializers.CharField(max_length=5000, required=False)
    impact = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    proposed_next_step = serializers.CharField(max_length=5000, required=False)
    owner = _owners(required=False)
    due_on = serializers.DateField(required=False)


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.IntegerField(source="author_id", read_only=True, allow_null=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = ItemComment
        fields = ["id", "author", "author_name", "body", "created_at"]
        read_only_fields = ["id", "author", "author_name", "created_at"]

    def get_author_name(self, comment) -> str | None:
        return comment.author.display_name if comment.author is not None else None


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(
        max_length=5000,
        allow_blank=True,
        help_text="What was changed to resolve it (required).",
    )
    expected_status = serializers.ChoiceField(
        choices=Status.choices, required=False, help_text="The status you saw: if it moved since, 409."
    )


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="The resolution (to resolve) or the reason (to decline): required for those.",
    )
    expected_status = serializers.ChoiceField(choices=Status.choices, required=False)
    due_on = serializers.DateField(required=False, help_text="Reopening: the new due date.")


class FollowSerializer(serializers.Serializer):
    following = serializers.BooleanField()


class PartnershipItemFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=PartnershipItem.Kind.choices)
    status = filters.MultipleChoiceFilter(choices=Status.choices)
    owner = IdFilter(field_name="owner_id")
    engagement = IdFilter(field_name="engagement_id")
    requisition = IdFilter(field_name="requisition_id")

    class Meta:
        model = PartnershipItem
        fields = ["kind", "status", "owner", "engagement", "requisition"]


class PartnershipItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Issues and wins of the engagements you see (a hiring manager: their own requisitions' and
    the engagement's). Raise an issue with POST, edit it with PATCH, and use the ``comments``,
    ``resolve``, ``status`` and ``follow`` actions. Wins are read-only here."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    selector = staticmethod(partnership_item_list)
    serializer_class = PartnershipItemSerializer
    filterset_class = PartnershipItemFilter
    ordering_fields = ["created_at", "due_on", "id"]
    ordering = ["created_at", "id"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "engagement__account_managers",
                Prefetch("thanked", queryset=User.objects.select_related("organization").order_by("full_name")),
            )
        )

    def get_serializer_class(self):
        return {
            "create": IssueCreateSerializer,
            "partial_update": IssueUpdateSerializer,
            "comments": CommentSerializer,
            "resolve": ResolveSerializer,
            "status_change": StatusSerializer,
            "follow": FollowSerializer,
        }.get(self.action, PartnershipItemSerializer)

    def _answer(self, item, code=200) -> Response:
        return self.output(self.fresh(item), status=code)

    @extend_schema(
        request=IssueCreateSerializer, responses={201: PartnershipItemSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN}
    )
    def create(self, request):
        """Raise an issue. Hiring managers and recruiters raise issues about their own requisition
        (``requisition`` required); those who run the engagement about any of it."""
        serializer = IssueCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self.require(
            policies.can_raise_issue(request.user, data["engagement"], data.get("requisition")),
            policies.MAY_NOT_RAISE_ISSUE,
        )
        item = issue_raise(actor=request.user, **data)
        return self._answer(item, code=201)

    @extend_schema(
        request=IssueUpdateSerializer,
        responses={200: PartnershipItemSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    )
    def partial_update(self, request, pk=None):
        """Edit an issue's title, texts, owner or due date; a new owner or due date restarts its
        reminders. A win, or a resolved or declined issue, is a 409."""
        item = self.get_object()
        self.require(policies.can_change_issue(request.user, item), policies.MAY_NOT_CHANGE_ISSUE)
        if not item.is_chased:
            from rpo_portal.conflicts import Conflict

            raise Conflict({"non_field_errors": f"This issue is {item.get_status_display().lower()}: reopen it first."})
        serializer = IssueUpdateSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        issue_update(actor=request.user, item=item, **serializer.validated_data)
        return self._answer(item)

    @extend_schema(methods=["GET"], responses={200: CommentSerializer(many=True), 404: _NOT_FOUND}, request=None)
    @extend_schema(
        methods=["POST"],
        request=CommentSerializer,
        responses={201: CommentSerializer, 400: _BAD_INPUT, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        """The comments, oldest first (GET); add one (POST): its followers are told once."""
        item = self.get_object()
        if request.method == "GET":
            comments = ItemComment.objects.filter(item_id=item.pk).select_related("author").order_by("created_at", "id")
            page = self.paginate_queryset(comments)
            return self.get_paginated_response(CommentSerializer(page, many=True).data)
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = issue_comment(actor=request.user, item=item, body=serializer.validated_data["body"])
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ResolveSerializer,
        responses={200: PartnershipItemSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve the issue, saying what was changed (``resolution``, required). Resolving an
        issue that is already resolved is a 409: a repeat records nothing and tells nobody."""
        item = self.get_object()
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issue_set_status(
            actor=request.user,
            item=item,
            status=Status.RESOLVED,
            note=serializer.validated_data["resolution"],
            expected_status=serializer.validated_data.get("expected_status"),
        )
        return self._answer(item)

    @extend_schema(
        request=StatusSerializer,
        responses={200: PartnershipItemSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def status_change(self, request, pk=None):
        """Move the issue: ``in_progress``; ``resolved`` (note = the resolution) or ``declined``
        (note = the reason), both required; ``open`` (back from in progress, or reopening a resolved
        or declined issue: those who run the engagement)."""
        item = self.get_object()
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issue_set_status(actor=request.user, item=item, **serializer.validated_data)
        return self._answer(item)

    @extend_schema(methods=["POST"], request=None, responses={200: FollowSerializer, 404: _NOT_FOUND})
    @extend_schema(methods=["DELETE"], request=None, responses={200: FollowSerializer, 404: _NOT_FOUND})
    @action(detail=True, methods=["post", "delete"])
    def follow(self, request, pk=None):
        """Follow the item (POST) to be told of each comment and status change, or stop (DELETE).
        Either is idempotent."""
        item = self.get_object()
        if request.method == "DELETE":
            item_unfollow(user=request.user, item=item)
            return Response({"following": False})
        item_follow(user=request.user, item=item)
        return Response({"following": True})
