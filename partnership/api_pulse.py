"""API of the pulse surveys:

- ``GET /api/v1/pulse-surveys/`` (and ``{id}/``): each survey of the engagements the user sees,
  with each side's response rate and its aggregates, under the same threshold as the pages and the
  CSV ("Not enough answers yet": no averages, no comments). For the roles that read the scorecard
  (client admins and the provider's staff); another tenant's surveys are not there (404).
- ``POST /api/v1/pulse-answers/``: answering through the emailed link: the link's signed token and
  the scores. The token is the credential (no sign-in), as on the link's page.
"""

from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from engagements.selectors import engagement_list
from feedback.links import LinkError, read_token
from rpo_portal.api import IdFilter

from .models import PULSE_SCORE_FIELDS, PulseSurvey
from .policies import can_read_scorecard
from .pulse import PULSE_MIN_ANSWERS, pulse_answer, pulse_invitation_for_link, pulse_survey_results
from .pulse.links import PULSE_LINK
from .pulse.questions import HELD_UNTIL_CLOSED, NOT_ENOUGH

# --- Reading (GET /api/v1/pulse-surveys/) ---------------------------------------------------------


class PulseQuestionSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="e.g. candidate_quality")
    label = serializers.CharField()
    average = serializers.FloatField(allow_null=True, help_text="1 to 5; null under the threshold.")


class PulseSideSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=["client", "provider"], help_text="The side that answered.")
    title = serializers.CharField(help_text="e.g. The client rates the provider")
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True, help_text="answered / invited, 0 to 1.")
    enough = serializers.BooleanField(help_text=f"At least {PULSE_MIN_ANSWERS} answers.")
    shown = serializers.BooleanField(
        help_text="Averages and comments are given: enough answers, and the survey has closed."
    )
    message = serializers.CharField(
        help_text=f"“{NOT_ENOUGH}” under the threshold, “{HELD_UNTIL_CLOSED}” while the survey is open, else empty."
    )
    questions = PulseQuestionSerializer(many=True)
    comments = serializers.ListField(
        child=serializers.CharField(), help_text="Without names, sorted by text; empty under the threshold."
    )


class PulseSurveySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="survey.pk")
    engagement = serializers.IntegerField(source="survey.engagement_id")
    period_start = serializers.DateField(source="survey.period_start")
    period_label = serializers.CharField(source="survey.period_label")
    sent_at = serializers.DateTimeField(source="survey.sent_at")
    closes_at = serializers.DateTimeField(source="survey.closes_at")
    client = PulseSideSerializer(help_text="The client's people rating the provider.")
    provider = PulseSideSerializer(help_text="The provider's people rating the client.")


class PulseSurveyFilter(filters.FilterSet):
    engagement = IdFilter(field_name="engagement_id")

    class Meta:
        model = PulseSurvey
        fields = ["engagement"]


@extend_schema(tags=["pulse"])
class PulseSurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Pulse surveys of the engagements you see, newest first, only as aggregates. For client admins
    and the provider's staff (hiring managers see none: the provider's side rates them)."""

    serializer_class = PulseSurveySerializer
    filterset_class = PulseSurveyFilter
    ordering_fields = ["period_start", "id"]
    ordering = ["-period_start", "-id"]

    def get_queryset(self):
        user = self.request.user
        if not can_read_scorecard(user):
            return PulseSurvey.objects.none()
        visible = engagement_list(user=user).prefetch_related(None).values("id")
        return PulseSurvey.objects.filter(engagement_id__in=visible)

    def _results(self, surveys) -> list:
        results = pulse_survey_results(surveys=list(surveys))
        return [results[survey.pk] for survey in surveys]

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(self._results(page), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self._results([self.get_object()])[0]).data)


# --- Answering through the link (POST /api/v1/pulse-answers/) -------------------------------------


def _score(field: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, help_text=f"1 to 5: {field} (your side's questions)."
    )


class PulseAnswerSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500, help_text="The token of the emailed link (/r/<token>/).")
    candidate_quality = _score("candidate_quality")
    communication = _score("communication")
    responsiveness = _score("responsiveness")
    feedback_speed = _score("feedback_speed")
    interview_availability = _score("interview_availability")
    requirements_clarity = _score("requirements_clarity")
    overall = _score("overall")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class PulseAnsweredSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    period_label = serializers.CharField()
    side = serializers.ChoiceField(choices=["client", "provider"])


class PulseAnswerView(APIView):
    """Answer a pulse survey with the token of its emailed link (no sign-in: the link is the
    credential, as on its page). The client's people answer ``candidate_quality``,
    ``communication``, ``responsiveness`` and ``overall``; the provider's ``feedback_speed``,
    ``interview_availability``, ``requirements_clarity`` and ``overall``. Once per person."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="pulse_answers_create",
        tags=["pulse"],
        request=PulseAnswerSerializer,
        responses={
            201: PulseAnsweredSerializer,
            400: OpenApiResponse(description="A score missing or out of range, or a token that does not work."),
            404: OpenApiResponse(description="The link names no invitation (another survey or person)."),
            409: OpenApiResponse(description="Already answered, or the survey has closed."),
        },
    )
    def post(self, request):
        data = PulseAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        try:
            target = read_token(fields.pop("token"))
        except LinkError as error:
            message = "This link has expired." if error.reason == "expired" else "This link does not work."
            raise ValidationError({"token": [message]}) from error
        if target.kind != PULSE_LINK:
            raise ValidationError({"token": ["This is not a pulse survey link."]})
        invitation = pulse_invitation_for_link(survey_id=target.request_id, user_id=target.user_id)
        if invitation is None:
            raise NotFound("This link does not open a survey.")
        comment = fields.pop("comment", "")
        scores = {field: fields.get(field) for field in PULSE_SCORE_FIELDS}
        pulse_answer(invitation=invitation, scores=scores, comment=comment, now=timezone.now())
        body = {"survey": invitation.survey_id, "period_label": invitation.survey.period_label, "side": invitation.side}
        return Response(PulseAnsweredSerializer(body).data, status=201)
