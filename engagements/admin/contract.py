"""The contract: engagements with their service levels, requisitions, their assignments."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError

from accounts.models import User
from rpo_portal.service_admin import (
    ServiceInlineMixin,
    ServiceModelAdmin,
    adopt,
    checked,
    refusal_shown_on,
    stored,
)

from .. import services
from ..models import (
    Assignment,
    Engagement,
    ImplementationTask,
    Requisition,
)
from .common import ServiceForm, empty_means_engagement_today

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
            checked(self, services.engagement_check_account_managers, provider_id, cleaned["account_managers"])
        if client_id is not None and "escalation_contact" in cleaned:
            checked(self, services.engagement_check_escalation_contact, client_id, cleaned["escalation_contact"])
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
            adopt(obj, saved)
            return
        fields = {name: data[name] for name in services.ENGAGEMENT_FIELDS if name in form.changed_data}
        account_managers = data["account_managers"] if "account_managers" in form.changed_data else None
        if fields or account_managers is not None:
            with refusal_shown_on():
                saved = services.engagement_update(
                    actor=request.user,
                    engagement=stored(obj),
                    account_managers=account_managers,
                    **fields,
                )
            adopt(obj, saved)


# --- requisitions and assignments ----------------------------------------------------------------


class RequisitionForm(ServiceForm):
    class Meta:
        model = Requisition
        fields = ("engagement", *services.REQUISITION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        empty_means_engagement_today(self, "opened_on")

    def clean(self):
        cleaned = super().clean()
        # The engagement is read-only once the requisition exists: then it comes from the instance.
        engagement = cleaned.get("engagement") if "engagement" in self.fields else self.instance.engagement
        if engagement is not None and cleaned.get("hiring_manager") is not None:
            checked(self, services.requisition_check_hiring_manager, engagement, cleaned["hiring_manager"])
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
        empty_means_engagement_today(self, "starts_on")
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
    return services.assignment_end(actor=request.user, assignment=stored(form.instance), ends_on=data["ends_on"])


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
            adopt(obj, saved)
            return
        fields = {name: data[name] for name in services.REQUISITION_FIELDS if name in form.changed_data}
        if fields:
            with refusal_shown_on():
                saved = services.requisition_update(actor=request.user, requisition=stored(obj), **fields)
            adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        # What formset.save() would record, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed():
                continue
            adding = row.instance.pk is None
            with refusal_shown_on(row.prefix):
                saved = _assignment_save(request, row, requisition=form.instance)
            adopt(row.instance, saved)
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
        adopt(obj, saved)
