"""The pipeline: candidates (erased, never deleted once submitted), submissions that move through
stages, interviews through statuses, by the services only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse

from rpo_portal.service_admin import (
    ServiceModelAdmin,
    adopt,
    refusal_shown_on,
    stored,
)

from .. import services
from ..models import (
    Candidate,
    Interview,
    Requisition,
    Submission,
    SubmissionStageChange,
)
from ..services import pipeline as services_pipeline
from .common import ServiceForm

# --- candidates ----------------------------------------------------------------------------------

ERASE_INSTEAD = (
    "{candidate} has submissions, which the pipeline and the scorecard count, so they cannot be "
    "deleted. To remove their personal data, use the action “Erase personal data” on the candidates "
    "list: it anonymises them and keeps the submissions."
)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """Erased with the action “Erase personal data” (``candidate_erase``: anonymised in place,
    recorded, the submissions kept). A candidate with submissions is never deleted; an erased one is
    read-only."""

    list_display = (
        "full_name",
        "email",
        "engagement",
        "current_title",
        "location",
        "source",
        "created_at",
        "erased_at",
    )
    list_select_related = ("engagement",)
    list_filter = ("engagement", "source", ("erased_at", admin.EmptyFieldListFilter))
    search_fields = ("full_name", "email", "current_title")
    autocomplete_fields = ("engagement", "created_by")
    readonly_fields = ("erased_at", "erased_by")
    date_hierarchy = "created_at"
    actions = ("erase_personal_data",)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.erased_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        submitted = Candidate.objects.filter(pk__in=[candidate.pk for candidate in objs], submissions__isnull=False)
        erase_instead = [ERASE_INSTEAD.format(candidate=candidate) for candidate in submitted.distinct()]
        if erase_instead:
            # Shown instead of "no permission to delete submission stage changes": the reason that
            # matters, and the way to do what the admin came for. Nothing is deleted either way.
            return deleted, counts, set(), [*protected, *erase_instead]
        return deleted, counts, perms_needed, protected

    @admin.action(description="Erase personal data")
    def erase_personal_data(self, request, queryset):
        def erase(candidate):
            services.candidate_erase(actor=request.user, candidate=candidate)

        rows = queryset.select_related("engagement").prefetch_related("engagement__account_managers")
        _each_through_the_service(self, request, rows, erase, "Erased the personal data of {count} candidate(s).")


# --- submissions ---------------------------------------------------------------------------------


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


class SubmissionAddForm(ServiceForm):
    """Submitting through the admin goes through ``submission_create``, which records the
    signed-in user as ``submitted_by``; the checks come first so that a refusal shows on the form."""

    class Meta:
        model = Submission
        fields = ("requisition", "candidate", "submitted_at", "summary")

    def clean(self):
        cleaned = super().clean()
        requisition, candidate = cleaned.get("requisition"), cleaned.get("candidate")
        if requisition is not None and candidate is not None:
            if candidate.engagement_id != requisition.engagement_id:
                self.add_error("candidate", "The candidate belongs to another engagement.")
            if requisition.status != Requisition.Status.OPEN:
                self.add_error("requisition", f"The requisition is {requisition.get_status_display().lower()}.")
        return cleaned


def _refusal_message(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or "You may not do this."
    return " ".join(error.messages)


def _each_through_the_service(modeladmin, request, rows, act, done: str) -> None:
    """An admin action: ``act(row)`` calls the service for each selected row, each in its own
    transaction; a refusal is a warning naming the row, the others go on."""
    count = 0
    for row in rows:
        try:
            with transaction.atomic():
                act(row)
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"{row}: {_refusal_message(error)}", messages.WARNING)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done.format(count=count), messages.SUCCESS)


def _move_stage(modeladmin, request, queryset, to_stage_for, withdrawal_reason: str = "") -> None:
    def move(submission):
        to_stage = to_stage_for(submission)
        if to_stage is None:
            raise ValidationError("no next stage.")
        services.submission_change_stage(
            actor=request.user, submission=submission, to_stage=to_stage, withdrawal_reason=withdrawal_reason
        )

    rows = queryset.select_related("candidate", "requisition__engagement")
    _each_through_the_service(modeladmin, request, rows, move, "Moved {count} submission(s).")


class WithdrawalReasonForm(forms.Form):
    withdrawal_reason = forms.ChoiceField(
        label="Reason",
        choices=[
            ("", "Pick a reason"),
            *(
                (value, label)
                for value, label in Submission.WithdrawalReason.choices
                if value != Submission.WithdrawalReason.NOT_RECORDED
            ),
        ],
        error_messages={"required": services_pipeline.WITHDRAWAL_REASON_NEEDED},
    )


_NEXT_STAGE = {
    Submission.Stage.SUBMITTED: Submission.Stage.HM_REVIEW,
    Submission.Stage.HM_REVIEW: Submission.Stage.INTERVIEW,
    Submission.Stage.INTERVIEW: Submission.Stage.OFFER,
    Submission.Stage.OFFER: Submission.Stage.HIRED,
}


@admin.register(Submission)
class SubmissionAdmin(ServiceModelAdmin):
    list_display = ("candidate", "requisition", "stage", "submitted_at", "stage_changed_at", "submitted_by")
    list_select_related = ("candidate", "requisition", "submitted_by")
    list_filter = ("stage", "withdrawal_reason", "requisition__engagement")
    search_fields = (
        "candidate__full_name",
        "candidate__email",
        "requisition__code",
        "requisition__title",
    )
    autocomplete_fields = ("requisition", "candidate")
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
            return ("requisition", "candidate", "submitted_at", "summary")
        return (
            "requisition",
            "candidate",
            "stage",
            "withdrawal_reason",
            "stage_changed_at",
            "submitted_by",
            "submitted_at",
            "summary",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "requisition",
            "candidate",
            "stage",
            "withdrawal_reason",
            "stage_changed_at",
            "submitted_by",
            "submitted_at",
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["summary"])
            return
        with refusal_shown_on():
            created = services.submission_create(
                actor=request.user,
                requisition=obj.requisition,
                candidate=obj.candidate,
                summary=obj.summary,
                submitted_at=obj.submitted_at,
            )
        adopt(obj, created)

    @admin.action(description="Advance selected submissions to their next stage")
    def advance_stage(self, request, queryset):
        _move_stage(self, request, queryset, lambda submission: _NEXT_STAGE.get(submission.stage))

    @admin.action(description="Reject selected submissions")
    def reject(self, request, queryset):
        _move_stage(self, request, queryset, lambda submission: Submission.Stage.REJECTED)

    @admin.action(description="Mark selected submissions withdrawn")
    def withdraw(self, request, queryset):
        """Asks why first, on a page of its own (one reason for all selected), as the pipeline page does."""
        form = WithdrawalReasonForm(request.POST if "apply_reason" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Why did they withdraw?",
                "opts": self.model._meta,
                "form": form,
                "submissions": queryset.select_related("candidate", "requisition"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/engagements/submission/withdraw.html", context)
        _move_stage(
            self,
            request,
            queryset,
            lambda submission: Submission.Stage.WITHDRAWN,
            withdrawal_reason=form.cleaned_data["withdrawal_reason"],
        )
        return None


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


# --- interviews ----------------------------------------------------------------------------------


def _set_interview_status(modeladmin, request, queryset, status: str) -> None:
    def set_status(interview):
        services.interview_set_status(actor=request.user, interview=interview, status=status)

    rows = queryset.select_related("submission__candidate", "submission__requisition__engagement")
    _each_through_the_service(modeladmin, request, rows, set_status, "Updated {count} interview(s).")


class InterviewForm(ServiceForm):
    class Meta:
        model = Interview
        fields = ("submission", "starts_at", "ends_at", "location", "interviewers")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "interviewers" in self.fields:
            self.fields["interviewers"].help_text = "Leave empty for the requisition's hiring manager."

    def clean(self):
        cleaned = super().clean()
        submission = cleaned.get("submission")
        if self.instance.pk is None and submission is not None and submission.stage != Submission.Stage.INTERVIEW:
            self.add_error("submission", "Interviews are booked for submissions at the interview stage.")
        return cleaned


@admin.register(Interview)
class InterviewAdmin(ServiceModelAdmin):
    """Booked with ``interview_create`` (which records who booked it), changed with
    ``interview_update`` (which counts a reschedule when the time moves); statuses move through
    the actions (``interview_set_status``): completed, cancelled, and either kind of no-show."""

    form = InterviewForm
    list_display = ("submission", "starts_at", "ends_at", "status", "location", "completed_at")
    list_select_related = ("submission__candidate", "submission__requisition")
    list_filter = ("status", "submission__requisition__engagement")
    search_fields = ("submission__candidate__full_name", "submission__requisition__code", "location")
    autocomplete_fields = ("submission", "interviewers")
    date_hierarchy = "starts_at"
    fields = (
        "submission",
        "starts_at",
        "ends_at",
        "location",
        "interviewers",
        "status",
        "completed_at",
        "rescheduled_count",
        "created_by",
        "created_at",
    )
    actions = ("mark_completed", "mark_cancelled", "mark_no_show", "mark_hm_no_show")

    def get_readonly_fields(self, request, obj=None):
        fixed = ("status", "completed_at", "rescheduled_count", "created_by", "created_at")
        return fixed if obj is None else ("submission", *fixed)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            with refusal_shown_on():
                saved = services.interview_create(
                    actor=request.user,
                    submission=data["submission"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    interviewers=list(data["interviewers"]) or None,
                    location=data["location"],
                )
            adopt(obj, saved)
            return
        if form.has_changed():
            with refusal_shown_on():
                saved = services.interview_update(
                    actor=request.user,
                    interview=stored(obj),
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    location=data["location"],
                    interviewers=data["interviewers"] if "interviewers" in form.changed_data else None,
                )
            adopt(obj, saved)

    @admin.action(description="Mark selected interviews completed")
    def mark_completed(self, request, queryset):
        _set_interview_status(self, request, queryset, Interview.Status.COMPLETED)

    @admin.action(description="Mark selected interviews cancelled")
    def mark_cancelled(self, request, queryset):
        _set_interview_status(self, request, queryset, Interview.Status.CANCELLED)

    @admin.action(description="Mark selected interviews: candidate did not show")
    def mark_no_show(self, request, queryset):
        _set_interview_status(self, request, queryset, Interview.Status.NO_SHOW)

    @admin.action(description="Mark selected interviews: hiring manager did not show")
    def mark_hm_no_show(self, request, queryset):
        _set_interview_status(self, request, queryset, Interview.Status.HM_NO_SHOW)
