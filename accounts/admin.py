"""Django admin for people and organisations: a back office for provider admins."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils import timezone
from knox.models import AuthToken

from .models import Organization, OutOfOffice, User
from .services import api_token_revoke_all, out_of_office_validate, user_resend_invitation


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "time_zone", "member_count", "created_at")
    list_filter = ("kind", "time_zone")
    search_fields = ("name",)
    ordering = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("users"))

    @admin.display(description="members", ordering="member_count")
    def member_count(self, organization: Organization) -> int:
        return organization.member_count


class UserCreationForm(AdminUserCreationForm):
    """The add form: email is the login, with organisation and role from the start."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name", "organization", "role", "time_zone", "notification_preference")
        field_classes = {}


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "organization", "role")}),
        (
            "Preferences",
            {
                "fields": (
                    "time_zone",
                    "notification_preference",
                    "digest_hour",
                    ("quiet_hours_start", "quiet_hours_end"),
                )
            },
        ),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
        ("Organisation", {"fields": ("organization", "role")}),
        ("Preferences", {"fields": ("time_zone", "notification_preference")}),
    )
    list_display = ("email", "full_name", "organization", "role", "notification_preference", "is_active", "is_staff")
    list_select_related = ("organization",)
    list_filter = ("role", "organization__kind", "organization", "notification_preference", "is_active", "is_staff")
    search_fields = ("email", "full_name", "organization__name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    autocomplete_fields = ("organization",)
    actions = ["resend_invitation"]

    @admin.action(description="Resend the invitation (to those who have not chosen a password)")
    def resend_invitation(self, request, queryset):
        """Through the same service as the team page's button; the email goes through the outbox."""
        sent, refused = 0, []
        for user in queryset:
            try:
                user_resend_invitation(actor=request.user, user=user)
            except (PermissionDenied, ValidationError) as refusal:
                refused.append(" ".join(getattr(refusal, "messages", [str(refusal)])))
            else:
                sent += 1
        if sent:
            self.message_user(request, f"A new invitation is on its way to {sent} user(s).", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            api_token_revoke_all(user=obj)  # as user_set_active does: reactivating brings none back


class OutOfOfficeForm(forms.ModelForm):
    class Meta:
        model = OutOfOffice
        fields = ("user", "backup", "starts_at", "ends_at", "note")

    def clean(self):
        cleaned = super().clean()
        user, backup = cleaned.get("user"), cleaned.get("backup")
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if user and backup and starts_at and ends_at:
            # The same rule the service applies: one home for it.
            try:
                out_of_office_validate(user=user, starts_at=starts_at, ends_at=ends_at, backup=backup)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return cleaned


class CurrentlyAwayFilter(admin.SimpleListFilter):
    title = "period"
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [("now", "Away now"), ("upcoming", "Upcoming"), ("past", "Past")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "now":
            return queryset.filter(starts_at__lte=now, ends_at__gt=now)
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "past":
            return queryset.filter(ends_at__lte=now)
        return queryset


@admin.register(OutOfOffice)
class OutOfOfficeAdmin(admin.ModelAdmin):
    form = OutOfOfficeForm
    list_display = ("user", "starts_at", "ends_at", "backup", "note")
    list_select_related = ("user", "backup")
    list_filter = (CurrentlyAwayFilter, "user__organization")
    search_fields = ("user__email", "user__full_name", "backup__email", "backup__full_name", "note")
    autocomplete_fields = ("user", "backup")
    date_hierarchy = "starts_at"
    readonly_fields = ("created_at",)


# knox's own admin shows each token's digest and, when an admin adds one, the usable key: an admin
# could act as anyone through the API. Here tokens can be looked at (prefix, owner, dates) and
# revoked (deleted), never created or read back.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("key_prefix", "user", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__full_name")
    ordering = ("-created",)
    fields = ("key_prefix", "user", "created", "expiry")
    readonly_fields = fields

    @admin.display(description="key starts with")
    def key_prefix(self, token: AuthToken) -> str:
        return f"{token.token_key[:8]}…"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
