"""Django admin for the partnership's own records: a read-only window on issues, wins, suggested
wins and pulse surveys.

They are written by the services (``partnership.items``, ``partnership.wins``,
``partnership.pulse``), which keep the rules: a resolution to resolve, followers told once, each
suggestion offered once, one answer per person. Pulse answers are listed without the person who
gave them: the admin is held to the same anonymity as the pages, the API and the CSV.
"""

from django.contrib import admin

from feedback.admin import ReadOnlyAdminMixin, ReadOnlyInline, ReminderInline

from .audit import admin as audit_admin  # noqa: F401  (the audit trail's entries, auditlog's admin)
from .models import (
    PULSE_SCORE_FIELDS,
    ItemComment,
    ItemFollower,
    ItemStatusChange,
    PartnershipItem,
    PulseInvitation,
    PulseResponse,
    PulseSurvey,
    SuggestedWin,
)


class ItemCommentInline(ReadOnlyInline):
    model = ItemComment
    fields = ("created_at", "author", "body")
    readonly_fields = fields
    show_change_link = False


class ItemStatusChangeInline(ReadOnlyInline):
    model = ItemStatusChange
    fields = ("created_at", "actor", "from_status", "to_status", "note")
    readonly_fields = fields
    show_change_link = False


class IssueReminderInline(ReminderInline):
    """The reminders and escalation that chased an overdue issue (``partnership.chase``)."""

    fk_name = "partnership_item"


@admin.register(PartnershipItem)
class PartnershipItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "status", "engagement", "owner", "due_on", "created_at")
    list_select_related = ("engagement", "owner")
    list_filter = ("kind", "status", "engagement")
    search_fields = ("title", "what_happened", "resolution")
    date_hierarchy = "created_at"
    inlines = [ItemCommentInline, ItemStatusChangeInline, IssueReminderInline]


@admin.register(ItemComment)
class ItemCommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("item", "author", "created_at")
    list_select_related = ("item", "author")
    search_fields = ("body", "item__title")


@admin.register(ItemStatusChange)
class ItemStatusChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("item", "from_status", "to_status", "actor", "created_at")
    list_select_related = ("item", "actor")
    list_filter = ("to_status",)
    search_fields = ("item__title", "note")


@admin.register(ItemFollower)
class ItemFollowerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("item", "user", "created_at")
    list_select_related = ("item", "user")
    search_fields = ("item__title", "user__email", "user__full_name")


@admin.register(SuggestedWin)
class SuggestedWinAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "source", "status", "engagement", "created_at")
    list_select_related = ("engagement",)
    list_filter = ("source", "status", "engagement")
    search_fields = ("title", "what_happened", "key")


@admin.register(PulseSurvey)
class PulseSurveyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("period_label", "engagement", "sent_at", "closes_at")
    list_select_related = ("engagement",)
    list_filter = ("engagement",)
    search_fields = ("period_label", "engagement__name")


@admin.register(PulseInvitation)
class PulseInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who was asked and whether they answered (the response rate), never what they answered."""

    list_display = ("survey", "person", "side", "created_at", "reminded_at", "answered_at")
    list_select_related = ("survey__engagement", "person")
    list_filter = ("side", "survey__engagement")
    search_fields = ("person__email", "person__full_name")
    fields = ("survey", "person", "side", "created_at", "reminded_at", "answered_at")


@admin.register(PulseResponse)
class PulseResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The answers, without the invitation (and so the person) they came from."""

    list_display = ("survey", "side", "overall")
    list_select_related = ("survey__engagement",)
    list_filter = ("side", "survey__engagement")
    search_fields = ("survey__period_label",)
    fields = ("survey", "side", *PULSE_SCORE_FIELDS, "comment")
