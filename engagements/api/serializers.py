"""Serializers of the engagement API: they validate input and shape output, nothing more.

Related objects are written as ids and resolved only among what the acting user may see (the
model's selector), so an id from another tenant is "does not exist", never a leak.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organization, User, validate_time_zone
from accounts.selectors import organization_list
from rpo_portal.api import AwareDateTimeField, ScopedRelatedField

from .. import policies, selectors
from ..models import Assignment, Candidate, Engagement, Interview, Requisition, Submission, SubmissionStageChange
from ..services import ENGAGEMENT_FIELDS, INTERVIEW_STATUS_CHOICES

INTERVIEW_OUTCOME_CHOICES = list(INTERVIEW_STATUS_CHOICES)
SUMMARY_MAX_LENGTH = 5000


def _users(**kwargs) -> ScopedRelatedField:
    return ScopedRelatedField(selector=selectors.user_list, queryset=User.objects.none(), **kwargs)


class EngagementSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    client_name = serializers.CharField(source="client.name", read_only=True)
    account_managers = _users(many=True, required=False)
    escalation_contact = _users(required=False, allow_null=True)
    time_zone = serializers.CharField(max_length=64, validators=[validate_time_zone], required=False)

    class Meta:
        model = Engagement
        # The editable fields are the ones engagement_create / engagement_update accept.
        fields = [
            *("id", "provider", "provider_name", "client", "client_name", "account_managers"),
            *ENGAGEMENT_FIELDS,
            "created_at",
        ]
        read_only_fields = ["id", "provider", "client", "created_at"]
        validators = []  # the services check every invariant, with a message per field


class EngagementCreateSerializer(EngagementSerializer):
    client = ScopedRelatedField(
        selector=organization_list, queryset=Organization.objects.none(), help_text="A client organisation."
    )


class UserPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class CoverageSerializer(serializers.Serializer):
    recruiter = UserPersonSerializer(allow_null=True, help_text="Who receives the requisition's work now.")
    primary = UserPersonSerializer(allow_null=True)
    primary_is_away = serializers.BooleanField()


def _person(user: User | None) -> dict | None:
    return None if user is None else {"id": user.pk, "full_name": user.full_name}


class RequisitionSerializer(serializers.ModelSerializer):
    engagement_name = serializers.CharField(source="engagement.name", read_only=True)
    hiring_manager = _users()
    hiring_manager_name = serializers.CharField(source="hiring_manager.full_name", read_only=True)
    coverage = serializers.SerializerMethodField()

    class Meta:
        model = Requisition
        fields = [
            "id",
            "engagement",
            "engagement_name",
            "code",
            "title",
            "hiring_manager",
            "hiring_manager_name",
            "location",
            "openings",
            "status",
            "priority",
            "opened_on",
            "target_on",
            "filled_on",
            "coverage",
            "created_at",
        ]
        read_only_fields = ["id", "engagement", "created_at"]
        validators = []

    @extend_schema_field(CoverageSerializer(allow_null=True))
    def get_coverage(self, requisition: Requisition) -> dict | None:
        # Computed for the whole page at once by the view (selectors.requisition_covering_recruiters).
        coverage = self.context.get("coverage", {}).get(requisition.pk)
        if coverage is None:
            return None
        return {
            "recruiter": _person(coverage.recruiter),
            "primary": _person(coverage.primary),
            "primary_is_away": coverage.primary_is_away,
        }


class RequisitionCreateSerializer(RequisitionSerializer):
    engagement = ScopedRelatedField(selector=selectors.engagement_list, queryset=Engagement.objects.none())


class AssignmentSerializer(serializers.ModelSerializer):
    requisition = ScopedRelatedField(selector=selectors.requisition_list, queryset=Requisition.objects.none())
    requisition_code = serializers.CharField(source="requisition.code", read_only=True)
    recruiter = _users()
    recruiter_name = serializers.CharField(source="recruiter.full_name", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "requisition",
            "requisition_code",
            "recruiter",
            "recruiter_name",
            "role",
            "starts_on",
            "ends_on",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators = []


class AssignmentEndSerializer(serializers.Serializer):
    ends_on = serializers.DateField(required=False, allow_null=True, help_text="Last day; today if left out.")


# A candidate's contact details: the provider's to use (policies.can_see_candidate_contact).
CANDIDATE_CONTACT_FIELDS = ("email", "phone", "source")
_PROVIDER_ONLY = " Provider staff only: absent from the answer for client users."


class CandidateSerializer(serializers.ModelSerializer):
    """The one shape of a candidate in the API, per role: provider staff read everything; client
    users (hiring managers, client admins) read the name, title and location, never the contact
    details (``CANDIDATE_CONTACT_FIELDS`` are left out of their answers)."""

    email = serializers.EmailField(
        max_length=254, allow_blank=True, required=False, help_text="Candidate's email." + _PROVIDER_ONLY
    )
    phone = serializers.CharField(
        max_length=40, allow_blank=True, required=False, help_text="Candidate's phone." + _PROVIDER_ONLY
    )
    source = serializers.CharField(
        max_length=100, allow_blank=True, required=False, help_text=Candidate.source.field.help_text + _PROVIDER_ONLY
    )
    erased_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the personal data was erased (DELETE); null otherwise."
    )

    class Meta:
        model = Candidate
        fields = [
            "id",
            "engagement",
            "full_name",
            "email",
            "phone",
            "current_title",
            "location",
            "source",
            "created_by",
            "created_at",
            "erased_at",
        ]
        read_only_fields = ["id", "engagement", "created_by", "created_at", "erased_at"]
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not policies.can_see_candidate_contact(request.user):
            for name in CANDIDATE_CONTACT_FIELDS:
                data.pop(name, None)
        return data


class CandidateCreateSerializer(CandidateSerializer):
    engagement = ScopedRelatedField(selector=selectors.engagement_list, queryset=Engagement.objects.none())


class StageChangeSerializer(serializers.ModelSerializer):
    # Blank on a submission's first entry (it came from no stage): documented as such, not as a stage.
    from_stage = serializers.ChoiceField(choices=Submission.Stage.choices, allow_blank=True, read_only=True)

    class Meta:
        model = SubmissionStageChange
        fields = ["from_stage", "to_stage", "changed_by", "changed_at", "note"]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    requisition = ScopedRelatedField(selector=selectors.requisition_list, queryset=Requisition.objects.none())
    requisition_code = serializers.CharField(source="requisition.code", read_only=True)
    requisition_title = serializers.CharField(source="requisition.title", read_only=True)
    hiring_manager = serializers.IntegerField(source="requisition.hiring_manager_id", read_only=True)
    candidate = ScopedRelatedField(selector=selectors.candidate_list, queryset=Candidate.objects.none())
    candidate_name = serializers.CharField(source="candidate.full_name", read_only=True)
    summary = serializers.CharField(
        max_length=SUMMARY_MAX_LENGTH, allow_blank=True, required=False, help_text=Submission.summary.field.help_text
    )
    withdrawal_reason = serializers.ChoiceField(
        choices=Submission.WithdrawalReason.choices,
        allow_blank=True,
        read_only=True,
        help_text=(
            "Why the candidate withdrew; empty unless withdrawn (``not_recorded``: withdrawn before it was asked)."
        ),
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "requisition",
            "requisition_code",
            "requisition_title",
            "hiring_manager",
            "candidate",
            "candidate_name",
            "stage",
            "withdrawal_reason",
            "stage_changed_at",
            "submitted_by",
            "submitted_at",
            "summary",
        ]
        read_only_fields = ["id", "stage", "withdrawal_reason", "stage_changed_at", "submitted_by", "submitted_at"]
        validators = []


class SubmissionCreateSerializer(SubmissionSerializer):
    send_to_review = serializers.BooleanField(
        default=True,
        write_only=True,
        help_text=(
            "Send the submission to the hiring manager's review at once (as the page's \"Add and submit\" "
            "does): the stage becomes hm_review and the résumé review is asked of the requisition's hiring "
            "manager. False leaves it at submitted, to move later with the stage action."
        ),
    )

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "send_to_review"]


class SubmissionDetailSerializer(SubmissionSerializer):
    history = StageChangeSerializer(source="stage_changes", many=True, read_only=True)

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "history"]


# The reasons a recruiter may give ("not recorded" marks only withdrawals from before it was asked).
WITHDRAWAL_REASON_CHOICES = [
    (value, label)
    for value, label in Submission.WithdrawalReason.choices
    if value != Submission.WithdrawalReason.NOT_RECORDED
]


class SubmissionStageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Submission.Stage.choices)
    withdrawal_reason = serializers.ChoiceField(
        choices=WITHDRAWAL_REASON_CHOICES,
        allow_blank=True,
        required=False,
        help_text="Why the candidate withdrew: required with ``withdrawn``, refused with any other stage.",
    )
    note = serializers.CharField(
        max_length=SubmissionStageChange._meta.get_field("note").max_length, allow_blank=True, required=False
    )


class InterviewSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="submission.candidate.full_name", read_only=True)
    requisition = serializers.IntegerField(source="submission.requisition_id", read_only=True)
    requisition_code = serializers.CharField(source="submission.requisition.code", read_only=True)
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    interviewers = _users(
        many=True, required=False, help_text="People on the panel; the hiring manager if left out when booking."
    )

    class Meta:
        model = Interview
        fields = [
            "id",
            "submission",
            "candidate_name",
            "requisition",
            "requisition_code",
            "starts_at",
            "ends_at",
            "location",
            "interviewers",
            "status",
            "created_by",
            "created_at",
            "completed_at",
        ]
        read_only_fields = ["id", "submission", "status", "created_by", "created_at", "completed_at"]
        validators = []


class InterviewCreateSerializer(InterviewSerializer):
    submission = ScopedRelatedField(selector=selectors.submission_list, queryset=Submission.objects.none())


class InterviewStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=INTERVIEW_OUTCOME_CHOICES)
    starts_at = AwareDateTimeField(
        required=False, help_text="With ``rescheduled`` only, and then required: the new start, in the future."
    )
    ends_at = AwareDateTimeField(
        required=False, help_text="With ``rescheduled`` only: the new end; by default the interview keeps its length."
    )


class UserSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "organization", "organization_name"]
        read_only_fields = fields
