"""The outbox in the admin: what was sent, what waits, what failed and why (read-only: rows are
written by ``rpo_portal.outbox`` only; resending an invitation is an action on the user)."""

from django.contrib import admin

from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("kind", "address", "status", "attempts", "created_at", "sent_at", "last_error")
    list_filter = ("status", "kind")
    search_fields = ("key", "address")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
