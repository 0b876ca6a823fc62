"""Serializers of the feedback API: requests asked of the client side (with their answer and the
reminders that chased them, read-only) and the bodies of the three actions (respond, slots, book).

They validate and shape, nothing more: the rules live in ``feedback.services``. Errors on list
items are flattened to one message per item ("Slot 2, starts_at: ..."), so that every field of
a 400 carries a list of plain messages, as everywhere else in the API.
"""

from rest_framework import serializers

from engagements.api.serializers import UserPersonSerializer
from engagements.models import Candidate, Interview, Requisition
from rpo_portal.api import AwareDateTimeField, ScopedRelatedField

from ..models import AvailabilityRequest, AvailabilitySlot, Feedback, FeedbackRequest, LadderStep, Reminder
from ..services import MAX_COMMENT_LENGTH, MAX_SLOTS

# --- Output ---------------------------------------------------------------------------------------


class CandidateSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = ["id", "full_name", "current_title"]
        read_only_fields = fields


class RequisitionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Requisition
        fields = ["id", "code", "title", "hiring_manager"]
        read_only_fields = fields


class ReminderSerializer(serializers.ModelSerializer):
    """One reminder or escalation as recorded (before it was sent) and what became of it."""

    recipient = UserPersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Reminder
        fields = ["level", "recipient", "status", "send_after", "sent_at", "created_at"]
        read_only_fields = fields


class FeedbackSerializer(serializers.ModelSerializer):
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=Feedback.Reason.choices), read_only=True)
    given_by = UserPersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Feedback
        fields = ["id", "request", "decision", "rating", "reasons", "comments", "channel", "given_by", "created_at"]
        read_only_fields = fields


class _ChasedRequestSerializer(serializers.ModelSerializer):
    # Fields shared by feedback and availability requests. Everything comes from the selector's
    # select_related and the view's prefetches: no query per row.

    engagement = serializers.IntegerField(source="engagement_id", read_only=True)
    requisition = RequisitionSummarySerializer(source="submission.requisition", read_only=True)
    candidate = CandidateSummarySerializer(source="submission.candidate", read_only=True)
    requested_of = UserPersonSerializer(read_only=True)
    overdue = serializers.BooleanField(
        source="is_overdue", read_only=True, help_text="Open and past its due time (the ``?overdue=`` filter)."
    )
    reminders = ReminderSerializer(many=True, read_only=True, help_text="Reminders and escalations, oldest first.")
    ladder_step = serializers.ChoiceField(
        source="ladder.ladder_step",
        choices=LadderStep.choices,
        read_only=True,
        help_text="How far the reminder ladder has gone (the last level recorded).",
    )

    COMMON_FIELDS = [
        "id",
        "submission",
        "engagement",
        "requisition",
        "candidate",
        "requested_of",
        "status",
        "created_at",
        "remind_at",
        "due_at",
        "escalate_at",
        "answered_at",
        "cancelled_at",
        "ladder_step",
        "overdue",
    ]


class FeedbackRequestSerializer(_ChasedRequestSerializer):
    """A résumé review or post-interview assessment asked of someone by a due time."""

    feedback = FeedbackSerializer(read_only=True, allow_null=True, help_text="The answer, once given.")

    class Meta:
        model = FeedbackRequest
        fields = [*_ChasedRequestSerializer.COMMON_FIELDS, "kind", "interview", "feedback", "reminders"]
        read_only_fields = fields


class AvailabilitySlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = AvailabilitySlot
        fields = ["id", "starts_at", "ends_at", "created_at"]
        read_only_fields = fields


class AvailabilityRequestSerializer(_ChasedRequestSerializer):
    """Interview slots asked of someone by a due time, the slots offered and the interview booked."""

    slots = AvailabilitySlotSerializer(many=True, read_only=True, help_text="The slots offered, earliest first.")

    class Meta:
        model = AvailabilityRequest
        fields = [*_ChasedRequestSerializer.COMMON_FIELDS, "slots", "booked_interview", "reminders"]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------------------


class ItemListField(serializers.ListField):
    """A list whose item errors become one plain message per item: "<Label> 2: ..." or, for an
    item that is an object, "<Label> 2, <field>: ..."."""

    def __init__(self, *, item_label: str, **kwargs):
        self.item_label = item_label
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not isinstance(error.detail, dict):  # about the list itself: not a list, too long...
                raise
            raise serializers.ValidationError(self._flatten(error.detail)) from error

    def _flatten(self, detail: dict) -> list[str]:
        messages = []
        for index, item_errors in sorted(detail.items()):
            label = f"{self.item_label} {index + 1}"
            if isinstance(item_errors, dict):
                for field, field_errors in item_errors.items():
                    where = label if field == "non_field_errors" else f"{label}, {field}"
                    messages += [f"{where}: {message}" for message in field_errors]
            else:
                messages += [f"{label}: {message}" for message in item_errors]
        return messages


class FeedbackAnswerSerializer(serializers.Serializer):
    """The body of ``respond``: the same answer as on the web form and the one-click link."""

    decision = serializers.ChoiceField(choices=Feedback.Decision.choices)
    rating = serializers.IntegerField(min_value=1, max_value=5)
    reasons = ItemListField(
        item_label="Reason",
        child=serializers.ChoiceField(choices=Feedback.Reason.choices),
        max_length=len(Feedback.Reason.choices),
        required=False,
        default=list,
        help_text="Reason codes.",
    )
    comments = serializers.CharField(max_length=MAX_COMMENT_LENGTH, allow_blank=True, required=False, default="")


class OfferedSlotSerializer(serializers.Serializer):
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()


class SlotOfferSerializer(serializers.Serializer):
    """The body of ``slots``: times with an offset (the client picks them in its own time zone)."""

    slots = ItemListField(item_label="Slot", child=OfferedSlotSerializer(), min_length=1, max_length=MAX_SLOTS)


class _SlotOfThisRequestField(ScopedRelatedField):
    """A slot id, looked up only among the slots offered on the request being booked
    (``context["availability_request"]``): any other id "does not exist"."""

    default_error_messages = {
        **ScopedRelatedField.default_error_messages,
        "does_not_exist": "Slot {pk_value} does not exist among the slots offered on this request.",
    }

    def __init__(self, **kwargs):
        super().__init__(selector=None, queryset=AvailabilitySlot.objects.none(), **kwargs)

    def get_queryset(self):
        return self.context["availability_request"].slots.all()


class BookingSerializer(serializers.Serializer):
    """The body of ``book``: one of the slots offered on this request, and where the interview is."""

    slot = _SlotOfThisRequestField(help_text="The id of a slot offered on this request.")
    location = serializers.CharField(
        max_length=Interview._meta.get_field("location").max_length,
        allow_blank=True,
        required=False,
        default="",
        help_text="Room, address or video link.",
    )
