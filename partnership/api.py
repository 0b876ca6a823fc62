"""API of the partnership: the mutual scorecard of one engagement
(``GET /api/v1/engagements/{id}/scorecard/``), with its serializers."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from engagements.api.serializers import UserPersonSerializer
from engagements.selectors import engagement_list
from feedback.cost_of_waiting import MIN_CANDIDATES

from . import policies
from .scorecard import engagement_scorecard, engagement_scorecard_rendered

# --- The scorecard (GET /api/v1/engagements/{id}/scorecard/) -------------------------------------


class ScorecardQuerySerializer(serializers.Serializer):
    days = serializers.ChoiceField(
        choices=[30, 90],
        required=False,
        default=30,
        help_text="The window: the last 30 or 90 days.",
        error_messages={"invalid_choice": "The window is 30 or 90 days, not “{input}”."},
    )


class ScorecardFigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="e.g. feedback_on_time_share")
    side = serializers.ChoiceField(choices=["client", "provider"])
    label = serializers.CharField()
    definition = serializers.CharField(help_text="What the figure measures, in one line.")
    value = serializers.FloatField(allow_null=True, help_text="Null when there is nothing to measure.")
    unit = serializers.ChoiceField(choices=["percent", "hours", "days", "business_days", "count", "ratio"])
    display = serializers.CharField(help_text="Formatted for people: 82%, 6.5 h, 3 days, 2.5 business days, 4, —.")
    better = serializers.ChoiceField(choices=["higher", "lower"])
    target = serializers.FloatField(
        allow_null=True, help_text="The target's value, in the figure's unit; null when the figure has no target."
    )
    target_display = serializers.CharField(
        allow_blank=True, help_text='How the target reads: "at most 5 business days", "at least 3.0"; empty: none.'
    )
    met = serializers.BooleanField(
        allow_null=True, help_text="Whether the figure met its target; null: no target, or nothing measured."
    )


class ScorecardHealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["on_track", "at_risk", "off_track"])
    label = serializers.CharField()
    reason = serializers.CharField()


class ScorecardWeekSerializer(serializers.Serializer):
    week_start = serializers.DateField(help_text="Monday, in the engagement's time zone.")
    values = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="Figure key -> value that week (the charted keys)."
    )
    partial = serializers.BooleanField(
        help_text="The week under way (it holds the window's end): its figures count it so far only."
    )


class ScorecardHiringManagerSerializer(serializers.Serializer):
    user = UserPersonSerializer()
    requests = serializers.IntegerField(help_text="Feedback requests asked of them in the window.")
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    on_time_share = serializers.FloatField(allow_null=True)
    median_turnaround_hours = serializers.FloatField(allow_null=True)
    open_now = serializers.IntegerField()
    overdue_now = serializers.IntegerField()


class ScorecardOverdueSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=["client", "provider"])
    kind = serializers.ChoiceField(
        choices=["feedback", "availability", "booking", "implementation_task", "requisition"]
    )
    title = serializers.CharField()
    who = UserPersonSerializer(allow_null=True, help_text="Who it waits on.")
    due_at = serializers.DateTimeField()


class ScorecardOverdueTotalSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    provider = serializers.IntegerField()


class ScorecardWaitBucketSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["under_1", "1_to_3", "over_3"])
    label = serializers.CharField(help_text="e.g. Under 1 business day.")
    candidates = serializers.IntegerField(help_text="Candidates whose longest wait for feedback fell in the bucket.")
    withdrawn = serializers.IntegerField(help_text="... of whom withdrew.")
    enough = serializers.BooleanField(help_text="At least `min_candidates` candidates: the share is given.")
    share = serializers.FloatField(allow_null=True, help_text="Percent who withdrew; null below the threshold.")
    display = serializers.CharField(help_text='"30% withdrew (3 of 10)" or "Too few candidates (9; 10 needed)".')


class ScorecardCostOfWaitingSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text="The history it reads: the days before the scorecard's end.")
    min_candidates = serializers.SerializerMethodField(help_text="Candidates a bucket needs for a share.")
    buckets = ScorecardWaitBucketSerializer(many=True)
    nudge_line = serializers.CharField(
        allow_blank=True, help_text="The line reminder emails carry; empty when the history does not support one."
    )

    def get_min_candidates(self, cost) -> int:
        return MIN_CANDIDATES


class ScorecardSerializer(serializers.Serializer):
    engagement = serializers.IntegerField(source="engagement.pk")
    days = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    health = ScorecardHealthSerializer()
    client = ScorecardFigureSerializer(many=True)
    provider = ScorecardFigureSerializer(many=True)
    charted = serializers.ListField(child=serializers.CharField())
    weeks = ScorecardWeekSerializer(many=True, help_text="Oldest first, covering the window.")
    hiring_managers = ScorecardHiringManagerSerializer(many=True, help_text="Slowest first.")
    overdue = ScorecardOverdueSerializer(many=True, help_text="Both sides, longest overdue first (capped).")
    overdue_total = ScorecardOverdueTotalSerializer()
    escalations = serializers.IntegerField()
    cost_of_waiting = ScorecardCostOfWaitingSerializer(
        allow_null=True,
        help_text="Candidates who withdrew, by how long they waited for feedback (business days), with sample sizes.",
    )


class EngagementScorecardView(APIView):
    """The mutual scorecard of one engagement (GET /api/v1/engagements/{id}/scorecard/)."""

    @extend_schema(
        operation_id="engagements_scorecard",
        tags=["engagements"],
        parameters=[ScorecardQuerySerializer],
        responses={
            200: ScorecardSerializer,
            400: OpenApiResponse(description="``days`` is not 30 or 90."),
            403: OpenApiResponse(description="Hiring managers do not read the scorecard."),
            404: OpenApiResponse(description="No such engagement among those you can see."),
        },
    )
    def get(self, request, pk: int):
        """The client's side beside the provider's side over the last 30 or 90 days: every figure
        with its one-line definition, the engagement's health and why, weekly trends, the hiring
        managers slowest first, and what is overdue on either side. For client admins and the
        provider's staff on the engagement."""
        # Scoped as everywhere; the account managers and organisations the pages show are not read
        # here (the scorecard uses the engagement's own fields): its row alone, joined to nothing.
        engagement = get_object_or_404(
            engagement_list(user=request.user).select_related(None).prefetch_related(None), pk=pk
        )
        if not policies.can_read_scorecard(request.user):
            raise PermissionDenied("The scorecard is for client admins and the provider's staff.")
        query = ScorecardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = query.validated_data["days"]
        if request.accepted_renderer.format != "json":  # the browsable API: its own page around the data
            return Response(ScorecardSerializer(engagement_scorecard(engagement=engagement, days=days)).data)
        # The JSON as it was rendered when the scorecard was computed, kept beside it in the cache:
        # the same bytes as rendering it now, without rebuilding and serializing it on every read.
        text = engagement_scorecard_rendered(engagement=engagement, days=days, form="api-json", render=render_json)
        return HttpResponse(text.encode(), content_type="application/json")


def render_json(scorecard) -> str:
    """The scorecard as this API's JSON, exactly as DRF's ``Response`` would send it."""
    return JSONRenderer().render(ScorecardSerializer(scorecard).data).decode()
