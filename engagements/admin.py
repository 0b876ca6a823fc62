"""Django admin for the engagement domain: a back office for provider admins.

Every write a person makes here goes through the same service as in the API and the pages, with
the signed-in user as ``actor``: the services check the policies (``PermissionDenied``) and the
data rules (``ValidationError``), lock what they must, and fill in what the rules imply (the first
stage, ``filled_on``). Stages and interview statuses are not edited here as fields: they move only
through the services (``submission_change_stage``, ``interview_set_status``), which the admin
actions call, so that the stage history and the signals other apps listen to stay complete.
Assignments are never deleted here: ending one is how it stops, and its history stays.

How a refusal reaches the form (``ServiceModelAdmin``)
-----------------------------------------------------
The admin validates the form and the inlines first, then calls ``save_model`` and
``save_related`` inside one transaction (``changeform_view``). The forms' ``clean()`` does the
cheap checks the services expose, so most mistakes show before anything is written. The
services themselves run in ``save_model`` / ``save_formset``, once every form is valid, never in
a form's validation (a write there would land even when another form of the page turns out
invalid). If a service still says no (a rule only it knows, a permission, a concurrent writer),
the refusal is raised out of the admin's transaction, which rolls back everything this request
wrote (the main object and any inline row saved before the refused one: nothing is half-saved),
and the page is validated again from the same POST with the refusal added to the form or inline
row it is about (beside the field it names, else at the top). That second pass saves nothing,
because that form is now invalid. (A dry run of each service during validation, in a savepoint
rolled back, would run every save twice, and would miss conflicts between rows of the same page,
such as two new primaries for one period; here each service runs once, for real.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction

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

# --- saving through the services ---------------------------------------------------------------

_REFUSAL = "_engagements_admin_service_refusal"  # where a refusal waits, on the request, for pass two


class ServiceRefused(Exception):
    """A service said no while the admin was saving. ``prefix`` names the form it is about: None
    for the main form, an inline row's prefix (``assignments-2``) for that row."""

    def __init__(self, error: ValidationError, prefix: str | None = None):
        super().__init__(error)
        self.error, self.prefix = error, prefix


@contextmanager
def refusal_shown_on(prefix: str | None = None) -> Iterator[None]:
    """Run a service; if it refuses, carry the refusal back to the form named by ``prefix``."""
    try:
        yield
    except PermissionDenied as error:
        raise ServiceRefused(ValidationError(str(error) or "You may not do this."), prefix) from error
    except ValidationError as error:
        raise ServiceRefused(error, prefix) from error


def _showing_refusal(form_class: type[forms.BaseForm], request) -> type[forms.BaseForm]:
    """``form_class``, or on the second pass a subclass that adds the refusal to the form it is
    about, which makes that form invalid, so the page shows it and saves nothing."""
    refused: ServiceRefused | None = getattr(request, _REFUSAL, None)
    if refused is None:
        return form_class

    class ShowingRefusal(form_class):
        def full_clean(self):
            super().full_clean()
            if self.is_bound and self.prefix == refused.prefix:
                add_service_errors(self, refused.error)

    ShowingRefusal.__name__ = ShowingRefusal.__qualname__ = form_class.__name__
    return ShowingRefusal


def _adopt(obj: models.Model, saved: models.Model) -> None:
    """The admin goes on with the object its form built (inlines, log entry, redirect): make it
    the one the service saved."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding, obj._state.db = False, saved._state.db


def _stored(obj: models.Model) -> models.Model:
    """The row as stored. The form has already written its values onto ``obj``; an update service
    compares the new values with the stored ones (a reschedule is counted when the time moves)."""
    return type(obj)._default_manager.get(pk=obj.pk)


class ServiceModelAdmin(admin.ModelAdmin):
    """A model admin whose ``save_model`` / ``save_formset`` call services inside
    ``refusal_shown_on``; a refusal is shown on the page as the module docstring explains."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The admin's transaction has rolled back. Validate again, this time with the refusal.
            setattr(request, _REFUSAL, refused)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _showing_refusal(super().get_form(request, obj, change=change, **kwargs), request)

    def save_related(self, request, form, formsets, change):
        # No ``form.save_m2m()``: the services set the relations they own (account managers,
        # interviewers) with the rest.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ServiceInlineMixin:
    """An inline whose rows are saved by a service (in the parent admin's ``save_formset``)."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = _showing_refusal(kwargs.get("form", self.form), request)
        return super().get_formset(request, obj, **kwargs)


class ServiceForm(forms.ModelForm):
    """A form the admin saves through a service. A constraint the form finds violated is said the
    way the service says it (``services.CONSTRAINT_ERRORS``: beside the field, in words), not as
    Django's “Constraint … is violated.”"""

    def _post_clean(self):
        super()._post_clean()
        general = self._errors.pop(NON_FIELD_ERRORS, None)
        if not general:
            return
        worded = {
            constraint.get_violation_error_message(): services.CONSTRAINT_ERRORS[constraint.name]
            for constraint in self._meta.model._meta.constraints
            if constraint.name in services.CONSTRAINT_ERRORS
        }
        for error in general.as_data():
            field, message = worded.get(next(iter(error)), (None, error))
            self.add_error(field if field in self.fields else None, message)


def _checked(form: forms.BaseForm, check, *args) -> None:
    """Run one of the services' cheap checks in ``clean()``; a refusal goes beside its field."""
    try:
        check(*args)
    except ValidationError as error:
        add_service_errors(form, error)


def _empty_means_engagement_today(form: forms.BaseForm, name: str) -> None:
    """On a new row, ``name`` may be left empty for the service's default, the engagement's today
    (``local_dates.engagement_today``), instead of being pre-filled with the server's date."""
    if form.instance.pk is None and name in form.fields:
        form.fields[name].required = False
        form.fields[name].help_text = "Leave empty for the engagement's today."
        form.initial[name] = None


# --- engagements ---------------------------------------------------------------------------------


class EngagementForm(ServiceForm):
    class Meta:
        model = Engagement
        fields = ("provider", "client", "account_managers", *services.ENGAGEMENT_FIELDS)

    def clean(self):
        cleaned = super().clean()
        # The parties are read-only once the engagement exists: then they come from the instance.
        provider_id = cleaned["provider"].pk if cleaned.get("provider") else self.instance.provider_id
        client_id = cleaned["client"].pk if cleaned.get("client") else self.instance.client_id
        if provider_id is not None and "account_managers" in cleaned:
            _checked(self, services.engagement_check_account_managers, provider_id, cleaned["account_managers"])
        if client_id is not None and "escalation_contact" in cleaned:
            _checked(self, services.engagement_check_escalation_contact, client_id, cleaned["escalation_contact"])
        return cleaned


class ImplementationTaskInline(admin.TabularInline):
    model = ImplementationTask
    fields = ("position", "title", "owner", "due_on", "completed_at")
    autocomplete_fields = ("owner",)
    extra = 0


@admin.register(Engagement)
class EngagementAdmin(ServiceModelAdmin):
    """Opened with ``engagement_create``, changed with ``engagement_update`` (the fields it takes,
    and the account managers); the provider and the client are fixed once it is opened. The
    implementation tasks have no service yet and are saved as Django saves them."""

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

    def get_readonly_fields(self, request, obj=None):
        return ("created_at",) if obj is None else ("provider", "client", "created_at")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "account_managers":
            kwargs["queryset"] = User.objects.filter(
                role__in=[User.Role.ACCOUNT_MANAGER, User.Role.PROVIDER_ADMIN], is_active=True
            ).select_related("organization")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            fields = {name: data[name] for name in services.ENGAGEMENT_FIELDS if name in data}
            with refusal_shown_on():
                saved = services.engagement_create(
                    actor=request.user,
                    provider=data["provider"],
                    client=data["client"],
                    account_managers=data.get("account_managers", ()),
                    **fields,
                )
            _adopt(obj, saved)
            return
        fields = {name: data[name] for name in services.ENGAGEMENT_FIELDS if name in form.changed_data}
        account_managers = data["account_managers"] if "account_managers" in form.changed_data else None
        if fields or account_managers is not None:
            with refusal_shown_on():
                saved = services.engagement_update(
                    actor=request.user, engagement=_stored(obj), account_managers=account_managers, **fields
                )
            _adopt(obj, saved)


# --- requisitions and assignments ----------------------------------------------------------------


class RequisitionForm(ServiceForm):
    class Meta:
        model = Requisition
        fields = ("engagement", *services.REQUISITION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _empty_means_engagement_today(self, "opened_on")

    def clean(self):
        cleaned = super().clean()
        # The engagement is read-only once the requisition exists: then it comes from the instance.
        engagement = cleaned.get("engagement") if "engagement" in self.fields else self.instance.engagement
        if engagement is not None and cleaned.get("hiring_manager") is not None:
            _checked(self, services.requisition_check_hiring_manager, engagement, cleaned["hiring_manager"])
        return cleaned


class AssignmentForm(ServiceForm):
    """A new assignment: every field. An existing one: only its end, set or brought forward
    (``assignment_end``); who, which role and from when are history and stay as they are."""

    FIXED_ONCE_SAVED = ("requisition", "recruiter", "role", "starts_on")

    class Meta:
        model = Assignment
        fields = ("requisition", "recruiter", "role", "starts_on", "ends_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _empty_means_engagement_today(self, "starts_on")
        if self.instance.pk is not None:
            for name in self.FIXED_ONCE_SAVED:
                if name in self.fields:
                    self.fields[name].disabled = True
                    widget = self.fields[name].widget
                    if isinstance(widget, RelatedFieldWidgetWrapper):  # no add/change/delete beside it
                        widget.can_add_related = widget.can_change_related = widget.can_delete_related = False

    def clean_ends_on(self):
        ends_on = self.cleaned_data.get("ends_on")
        ended_on = self.instance.ends_on if self.instance.pk is not None else None
        # Reopening or extending could overlap the next primary, which only assignment_create checks.
        if ended_on is not None and (ends_on is None or ends_on > ended_on):
            raise ValidationError(
                f"This assignment ends on {ended_on:%Y-%m-%d}; an end can only be brought forward here. "
                "To extend or reopen it, add a new assignment."
            )
        return ends_on


def _assignment_save(request, form: forms.ModelForm, requisition: Requisition) -> Assignment:
    """A new row through ``assignment_create``; an existing one's new end through ``assignment_end``."""
    data = form.cleaned_data
    if form.instance.pk is None:
        return services.assignment_create(
            actor=request.user,
            requisition=requisition,
            recruiter=data["recruiter"],
            role=data["role"],
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
    return services.assignment_end(actor=request.user, assignment=_stored(form.instance), ends_on=data["ends_on"])


class AssignmentInline(ServiceInlineMixin, admin.TabularInline):
    """New rows are assigned through ``assignment_create``; on existing rows only the end changes.
    Rows are never deleted: ending is how an assignment stops, and its history stays."""

    model = Assignment
    form = AssignmentForm
    fields = ("recruiter", "role", "starts_on", "ends_on")
    autocomplete_fields = ("recruiter",)
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recruiter")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Requisition)
class RequisitionAdmin(ServiceModelAdmin):
    """Opened with ``requisition_create``, changed with ``requisition_update`` (which records
    ``filled_on`` when it becomes filled); its assignments as ``AssignmentInline`` says."""

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
    fields = ("engagement", *services.REQUISITION_FIELDS, "created_at")
    inlines = (AssignmentInline,)

    def get_readonly_fields(self, request, obj=None):
        return ("created_at",) if obj is None else ("engagement", "created_at")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            fields = {name: data[name] for name in services.REQUISITION_FIELDS if name in data}
            if fields.get("opened_on") is None:
                fields.pop("opened_on", None)  # the service's default: the engagement's today
            with refusal_shown_on():
                saved = services.requisition_create(actor=request.user, engagement=data["engagement"], **fields)
            _adopt(obj, saved)
            return
        fields = {name: data[name] for name in services.REQUISITION_FIELDS if name in form.changed_data}
        if fields:
            with refusal_shown_on():
                saved = services.requisition_update(actor=request.user, requisition=_stored(obj), **fields)
            _adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        # What formset.save() would record, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed():
                continue
            adding = row.instance.pk is None
            with refusal_shown_on(row.prefix):
                saved = _assignment_save(request, row, requisition=form.instance)
            _adopt(row.instance, saved)
            if adding:
                formset.new_objects.append(row.instance)
            else:
                formset.changed_objects.append((row.instance, row.changed_data))


@admin.register(Assignment)
class AssignmentAdmin(ServiceModelAdmin):
    """The same rules as ``AssignmentInline``: added through ``assignment_create``, ended through
    ``assignment_end``, never deleted."""

    form = AssignmentForm
    list_display = ("requisition", "recruiter", "role", "starts_on", "ends_on")
    list_select_related = ("requisition", "recruiter")
    list_filter = ("role", "requisition__engagement")
    search_fields = ("requisition__code", "requisition__title", "recruiter__email", "recruiter__full_name")
    autocomplete_fields = ("requisition", "recruiter")
    date_hierarchy = "starts_on"
    fields = ("requisition", "recruiter", "role", "starts_on", "ends_on", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return ("created_at",) if obj is None else ("requisition", "recruiter", "role", "starts_on", "created_at")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        requisition = form.cleaned_data["requisition"] if not change else obj.requisition
        with refusal_shown_on():
            saved = _assignment_save(request, form, requisition=requisition)
        _adopt(obj, saved)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("full_name", "email", "engagement", "current_title", "location", "source", "created_at")
    list_select_related = ("engagement",)
    list_filter = ("engagement", "source")
    search_fields = ("full_name", "email", "current_title")
    autocomplete_fields = ("engagement", "created_by")
    date_hierarchy = "created_at"


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
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"{submission}: {_refusal_message(error)}", messages.WARNING)
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
class SubmissionAdmin(ServiceModelAdmin):
    list_display = ("candidate", "requisition", "stage", "submitted_at", "stage_changed_at", "submitted_by")
    list_select_related = ("candidate", "requisition", "submitted_by")
    list_filter = ("stage", "requisition__engagement")
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
        with refusal_shown_on():
            created = services.submission_create(
                actor=request.user,
                requisition=obj.requisition,
                candidate=obj.candidate,
                summary=obj.summary,
                submitted_at=obj.submitted_at,
            )
        _adopt(obj, created)

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


# --- interviews ----------------------------------------------------------------------------------


def _set_interview_status(modeladmin, request, queryset, status: str) -> None:
    changed = 0
    for interview in queryset:
        try:
            with transaction.atomic():
                services.interview_set_status(actor=request.user, interview=interview, status=status)
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"{interview}: {_refusal_message(error)}", messages.WARNING)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, f"Updated {changed} interview(s).", messages.SUCCESS)


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
    the actions (``interview_set_status``)."""

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
    actions = ("mark_completed", "mark_cancelled", "mark_no_show")

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
            _adopt(obj, saved)
            return
        if form.has_changed():
            with refusal_shown_on():
                saved = services.interview_update(
                    actor=request.user,
                    interview=_stored(obj),
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    location=data["location"],
                    interviewers=data["interviewers"] if "interviewers" in form.changed_data else None,
                )
            _adopt(obj, saved)

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
