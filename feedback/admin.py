"""Django admin for the feedback domain: a window on requests, answers and the reminder history.

Everything here is read-only. Requests are opened by the services when a submission or an
interview changes (``feedback.receivers``), answered through ``feedback_respond`` and
``availability_offer_slots`` (web form, one-click link, API), and chased by the reminder engine,
which records every reminder before sending it. Editing those rows by hand would bypass the
stage moves, the ladder and the exactly-once guarantee, so the admin shows them and no more.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.utils import timezone

from .models import AvailabilityRequest, AvailabilitySlot, Digest, Feedback, FeedbackRequest, Reminder


class ReadOnlyAdminMixin:
    """View only: no add, change or delete (the superuser keeps the view permission)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True


class OverdueFilter(admin.SimpleListFilter):
    """Open and past the due time: the same rule as the API's ``?overdue=`` (the models' ``overdue_q``)."""

    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("1", "Yes"), ("0", "No"))

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "1":
            return queryset.filter(queryset.model.objects.overdue_q(timezone.now()))
        if self.value() == "0":
            return queryset.exclude(queryset.model.objects.overdue_q(timezone.now()))
        return queryset


class ChasedRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What feedback and availability requests have in common: who was asked, by when, how far
    the reminder ladder has gone."""

    list_filter = ("status", OverdueFilter, "ladder__ladder_step", "submission__requisition__engagement")
    search_fields = (
        "submission__candidate__full_name",
        "submission__requisition__code",
        "submission__requisition__title",
        "requested_of__email",
        "requested_of__full_name",
    )
    date_hierarchy = "due_at"
    show_full_result_count = False

    @admin.display(description="candidate", ordering="submission__candidate__full_name")
    def candidate(self, request) -> str:
        return request.submission.candidate.full_name

    @admin.display(description="requisition", ordering="submission__requisition__code")
    def requisition(self, request) -> str:
        return request.submission.requisition.code

    @admin.display(description="ladder step", ordering="ladder__ladder_step")
    def ladder_step(self, request) -> str:
        return request.ladder.get_ladder_step_display()

    @admin.display(boolean=True, description="overdue", ordering="due_at")
    def overdue(self, request) -> bool:
        return request.is_overdue


class FeedbackInline(ReadOnlyInline):
    model = Feedback
    fields = ("decision", "rating", "reasons", "comments", "channel", "given_by", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("given_by")


class ReminderInline(ReadOnlyInline):
    model = Reminder
    fields = ("level", "recipient", "status", "send_after", "sent_at", "attempts", "last_error", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient")


class FeedbackReminderInline(ReminderInline):
    fk_name = "feedback_request"


class AvailabilityReminderInline(ReminderInline):
    fk_name = "availability_request"


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(ChasedRequestAdmin):
    list_display = (
        "id",
        "kind",
        "candidate",
        "requisition",
        "requested_of",
        "status",
        "due_at",
        "ladder_step",
        "overdue",
        "answered_at",
    )
    list_select_related = ("submission__candidate", "submission__requisition", "requested_of", "ladder")
    list_filter = ("kind", *ChasedRequestAdmin.list_filter)
    inlines = (FeedbackInline, FeedbackReminderInline)


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("request", "decision", "rating", "channel", "given_by", "created_at")
    list_select_related = (
        "request__submission__candidate",
        "request__submission__requisition",
        "request__requested_of",
        "given_by",
    )
    list_filter = ("decision", "rating", "channel", "request__kind", "request__submission__requisition__engagement")
    search_fields = (
        "request__submission__candidate__full_name",
        "request__submission__requisition__code",
        "given_by__email",
        "given_by__full_name",
        "comments",
    )
    date_hierarchy = "created_at"
    show_full_result_count = False


class AvailabilitySlotInline(ReadOnlyInline):
    model = AvailabilitySlot
    fields = ("starts_at", "ends_at", "created_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(AvailabilityRequest)
class AvailabilityRequestAdmin(ChasedRequestAdmin):
    list_display = (
        "id",
        "candidate",
        "requisition",
        "requested_of",
        "status",
        "due_at",
        "ladder_step",
        "overdue",
        "answered_at",
        "booked_interview_id",
    )
    list_select_related = ("submission__candidate", "submission__requisition", "requested_of", "ladder")
    inlines = (AvailabilitySlotInline, AvailabilityReminderInline)


@admin.register(AvailabilitySlot)
class AvailabilitySlotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "candidate", "requested_of", "request_status", "created_at")
    list_select_related = ("request__submission__candidate", "request__requested_of")
    list_filter = ("request__status", "request__submission__requisition__engagement")
    search_fields = ("request__submission__candidate__full_name", "request__requested_of__email")
    date_hierarchy = "starts_at"
    show_full_result_count = False

    @admin.display(description="candidate", ordering="request__submission__candidate__full_name")
    def candidate(self, slot) -> str:
        return slot.request.submission.candidate.full_name

    @admin.display(description="offered by", ordering="request__requested_of__full_name")
    def requested_of(self, slot):
        return slot.request.requested_of

    @admin.display(description="request status", ordering="request__status")
    def request_status(self, slot) -> str:
        return slot.request.get_status_display()


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of every reminder and escalation: history, never written by hand."""

    list_display = ("level", "about", "recipient", "status", "send_after", "sent_at", "attempts")
    list_select_related = (
        "recipient",
        "feedback_request__submission__candidate",
        "availability_request__submission__candidate",
    )
    list_filter = ("level", "status")
    search_fields = (
        "recipient__email",
        "recipient__full_name",
        "feedback_request__submission__candidate__full_name",
        "availability_request__submission__candidate__full_name",
    )
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description="about")
    def about(self, reminder) -> str:
        if reminder.feedback_request is not None:
            request = reminder.feedback_request
            return f"{request.get_kind_display()}: {request.submission.candidate.full_name}"
        return f"Availability: {reminder.availability_request.submission.candidate.full_name}"


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "local_date", "item_count", "created_at", "sent_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__full_name")
    date_hierarchy = "local_date"
