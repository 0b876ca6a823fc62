"""Django admin for the engagement domain: a back office for provider admins.

Stages and interview statuses are not edited here as fields: they move only through the
services (``submission_change_stage``, ``interview_set_status``), which the admin actions call,
so that the stage history and the signals other apps listen to stay complete.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from rpo_portal.pages import add_service_errors

from . import services
from .models import (
    Assignment,
    Candidate,
    Engagement,
    ImplementationTask,
    Interview,
    OrientationNote,
    Requisition,
    Submission,
    SubmissionStageChange,
)


class EngagementForm(forms.ModelForm):
    class Meta:
        model = Engagement
        fields = (
            "name",
            "provider",
            "client",
            "status",
            "started_on",
            "account_managers",
            "escalation_contact",
            *services.ENGAGEMENT_FIELDS,
        )

    def clean(self):
        cleaned = super().clean()
        provider, client = cleaned.get("provider"), cleaned.get("client")
        try:
            if provider is not None:
                services.engagement_check_account_managers(provider.pk, cleaned.get("account_managers") or [])
            if client is not None:
                services.engagement_check_escalation_contact(client.pk, cleaned.get("escalation_contact"))
        except ValidationError as error:
            add_service_errors(self, error)
        return cleaned


class ImplementationTaskInline(admin.TabularInline):
    model = ImplementationTask
    fields = ("position", "title", "owner", "due_on", "completed_at")
    autocomplete_fields = ("owner",)
    extra = 0


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    form = EngagementForm
    list_display = (
        "name",
        "client",
        "provider",
        "status",
        "escalation_contact",
        "resume_feedback_due_hours",
        "interview_feedback_due_hours",
        "time_zone",
        "started_on",
    )
    list_select_related = ("client", "provider", "escalation_contact")
    list_filter = ("status", "provider", "time_zone")
    search_fields = ("name", "client__name", "provider__name")
    autocomplete_fields = ("provider", "client", "escalation_contact")
    filter_horizontal = ("account_managers",)
    readonly_fields = ("created_at",)
    inlines = (ImplementationTaskInline,)
    fieldsets = (
        (None, {"fields": ("name", "provider", "client", "status", "started_on", "created_at")}),
        ("People", {"fields": ("account_managers", "escalation_contact")}),
        (
            "Service levels (business hours)",
            {
                "fields": (
                    "resume_feedback_due_hours",
                    "interview_feedback_due_hours",
                    "availability_due_hours",
                    "reminder_lead_hours",
                    "escalation_delay_hours",
                )
            },
        ),
        ("Business hours", {"fields": ("time_zone", "business_day_start", "business_day_end", "business_weekdays")}),
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "account_managers":
            kwargs["queryset"] = User.objects.filter(
                role__in=[User.Role.ACCOUNT_MANAGER, User.Role.PROVIDER_ADMIN], is_active=True
            ).select_related("organization")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RequisitionForm(forms.ModelForm):
    class Meta:
        model = Requisition
        fields = ("engagement", *services.REQUISITION_FIELDS)

    def clean(self):
        cleaned = super().clean()
        engagement, hiring_manager = cleaned.get("engagement"), cleaned.get("hiring_manager")
        if engagement is not None and hiring_manager is not None:
            try:
                services.requisition_check_hiring_manager(engagement, hiring_manager)
            except ValidationError as error:
                add_service_errors(self, error)
        return cleaned


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ("recruiter", "role", "starts_on", "ends_on")
    autocomplete_fields = ("recruiter",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recruiter")


@admin.register(Requisition)
class RequisitionAdmin(admin.ModelAdmin):
    form = RequisitionForm
    list_display = (
        "code",
        "title",
        "engagement",
        "hiring_manager",
        "status",
        "priority",
        "openings",
        "opened_on",
        "target_on",
        "filled_on",
    )
    list_select_related = ("engagement", "hiring_manager")
    list_filter = ("status", "priority", "engagement")
    search_fields = ("code", "title", "hiring_manager__email", "hiring_manager__full_name")
    autocomplete_fields = ("engagement", "hiring_manager")
    date_hierarchy = "opened_on"
    readonly_fields = ("created_at",)
    inlines = (AssignmentInline,)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("requisition", "recruiter", "role", "starts_on", "ends_on")
    list_select_related = ("requisition", "recruiter")
    list_filter = ("role", "requisition__engagement")
    search_fields = ("requisition__code", "requisition__title", "recruiter__email", "recruiter__full_name")
    autocomplete_fields = ("requisition", "recruiter")
    date_hierarchy = "starts_on"
    readonly_fields = ("created_at",)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("full_name", "email", "engagement", "current_title", "location", "source", "created_at")
    list_select_related = ("engagement",)
    list_filter = ("engagement", "source")
    search_fields = ("full_name", "email", "current_title")
    autocomplete_fields = ("engagement", "created_by")
    date_hierarchy = "created_at"


class SubmissionStageChangeInline(admin.TabularInline):
    """The submission's history, read-only: it is appended to by the services alone."""

    model = SubmissionStageChange
    fields = ("changed_at", "from_stage", "to_stage", "changed_by", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SubmissionAddForm(forms.ModelForm):
    """Submitting through the admin goes through ``submission_create``; the checks come first so
    that a refusal shows on the form."""

    class Meta:
        model = Submission
        fields = ("requisition", "candidate", "submitted_by", "submitted_at", "summary")

    def clean(self):
        cleaned = super().clean()
        requisition, candidate = cleaned.get("requisition"), cleaned.get("candidate")
        if requisition is not None and candidate is not None:
            if candidate.engagement_id != requisition.engagement_id:
                self.add_error("candidate", "The candidate belongs to another engagement.")
            if requisition.status != Requisition.Status.OPEN:
                self.add_error("requisition", f"The requisition is {requisition.get_status_display().lower()}.")
        return cleaned


def _move_stage(modeladmin, request, queryset, to_stage_for) -> None:
    moved = 0
    for submission in queryset.select_related("candidate", "requisition"):
        to_stage = to_stage_for(submission)
        if to_stage is None:
            modeladmin.message_user(request, f"{submission}: no next stage.", messages.WARNING)
            continue
        try:
            with transaction.atomic():
                services.submission_change_stage(actor=request.user, submission=submission, to_stage=to_stage)
        except ValidationError as error:
            modeladmin.message_user(request, f"{submission}: {' '.join(error.messages)}", messages.WARNING)
        else:
            moved += 1
    if moved:
        modeladmin.message_user(request, f"Moved {moved} submission(s).", messages.SUCCESS)


_NEXT_STAGE = {
    Submission.Stage.SUBMITTED: Submission.Stage.HM_REVIEW,
    Submission.Stage.HM_REVIEW: Submission.Stage.INTERVIEW,
    Submission.Stage.INTERVIEW: Submission.Stage.OFFER,
    Submission.Stage.OFFER: Submission.Stage.HIRED,
}


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("candidate", "requisition", "stage", "submitted_at", "stage_changed_at", "submitted_by")
    list_select_related = ("candidate", "requisition", "submitted_by")
    list_filter = ("stage", "requisition__engagement")
    search_fields = (
        "candidate__full_name",
        "candidate__email",
        "requisition__code",
        "requisition__title",
    )
    autocomplete_fields = ("requisition", "candidate", "submitted_by")
    date_hierarchy = "submitted_at"
    inlines = (SubmissionStageChangeInline,)
    actions = ("advance_stage", "reject", "withdraw")
    # Large pipelines: skip the unfiltered COUNT(*) on every page.
    show_full_result_count = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = SubmissionAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("requisition", "candidate", "submitted_by", "submitted_at", "summary")
        return ("requisition", "candidate", "stage", "stage_changed_at", "submitted_by", "submitted_at", "summary")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("requisition", "candidate", "stage", "stage_changed_at", "submitted_by", "submitted_at")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["summary"])
            return
        created = services.submission_create(
            actor=request.user,
            requisition=obj.requisition,
            candidate=obj.candidate,
            summary=obj.summary,
            submitted_at=obj.submitted_at,
        )
        # The admin goes on with the object it built (log entry, redirect): make it the saved one.
        obj.pk = created.pk
        obj.stage, obj.stage_changed_at = created.stage, created.stage_changed_at
        obj._state.adding, obj._state.db = False, created._state.db

    @admin.action(description="Advance selected submissions to their next stage")
    def advance_stage(self, request, queryset):
        _move_stage(self, request, queryset, lambda submission: _NEXT_STAGE.get(submission.stage))

    @admin.action(description="Reject selected submissions")
    def reject(self, request, queryset):
        _move_stage(self, request, queryset, lambda submission: Submission.Stage.REJECTED)

    @admin.action(description="Mark selected submissions withdrawn")
    def withdraw(self, request, queryset):
        _move_stage(self, request, queryset, lambda submission: Submission.Stage.WITHDRAWN)


@admin.register(SubmissionStageChange)
class SubmissionStageChangeAdmin(admin.ModelAdmin):
    """Append-only history: viewable, never added, changed or deleted here."""

    list_display = ("submission", "from_stage", "to_stage", "changed_at", "changed_by")
    list_select_related = ("submission__candidate", "submission__requisition", "changed_by")
    list_filter = ("to_stage", "from_stage", "submission__requisition__engagement")
    search_fields = ("submission__candidate__full_name", "submission__requisition__code", "note")
    date_hierarchy = "changed_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _set_interview_status(modeladmin, request, queryset, status: str) -> None:
    changed = 0
    for interview in queryset:
        try:
            with transaction.atomic():
                services.interview_set_status(actor=request.user, interview=interview, status=status)
        except ValidationError as error:
            modeladmin.message_user(request, f"{interview}: {' '.join(error.messages)}", messages.WARNING)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, f"Updated {changed} interview(s).", messages.SUCCESS)


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ("submission", "starts_at", "ends_at", "location", "interviewers", "created_by")

    def clean(self):
        cleaned = super().clean()
        submission = cleaned.get("submission")
        if self.instance._state.adding and submission is not None and submission.stage != Submission.Stage.INTERVIEW:
            self.add_error("submission", "Interviews are booked for submissions at the interview stage.")
        return cleaned


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    form = InterviewForm
    list_display = ("submission", "starts_at", "ends_at", "status", "location", "completed_at")
    list_select_related = ("submission__candidate", "submission__requisition")
    list_filter = ("status", "submission__requisition__engagement")
    search_fields = ("submission__candidate__full_name", "submission__requisition__code", "location")
    autocomplete_fields = ("submission", "interviewers", "created_by")
    date_hierarchy = "starts_at"
    readonly_fields = ("status", "completed_at", "created_at")
    actions = ("mark_completed", "mark_cancelled", "mark_no_show")

    @admin.action(description="Mark selected interviews completed")
    def mark_completed(self, request, queryset):
        _set_interview_status(self, request, queryset, Interview.Status.COMPLETED)

    @admin.action(description="Mark selected interviews cancelled")
    def mark_cancelled(self, request, queryset):
        _set_interview_status(self, request, queryset, Interview.Status.CANCELLED)

    @admin.action(description="Mark selected interviews: candidate did not show")
    def mark_no_show(self, request, queryset):
        _set_interview_status(self, request, queryset, Interview.Status.NO_SHOW)


@admin.register(ImplementationTask)
class ImplementationTaskAdmin(admin.ModelAdmin):
    list_display = ("title", "engagement", "position", "owner", "due_on", "is_done")
    list_select_related = ("engagement", "owner")
    list_filter = ("engagement", ("completed_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "description")
    autocomplete_fields = ("engagement", "owner")
    ordering = ("engagement", "position", "id")

    @admin.display(boolean=True, description="done", ordering="completed_at")
    def is_done(self, task: ImplementationTask) -> bool:
        return task.completed_at is not None


@admin.register(OrientationNote)
class OrientationNoteAdmin(admin.ModelAdmin):
    list_display = ("title", "engagement", "author", "updated_at")
    list_select_related = ("engagement", "author")
    list_filter = ("engagement",)
    search_fields = ("title", "body")
    autocomplete_fields = ("engagement", "author")
    date_hierarchy = "updated_at"
