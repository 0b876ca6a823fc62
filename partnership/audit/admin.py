"""auditlog's own admin of the audit trail, kept for the Django admin's users (staff with the
permission, superusers) like every other model there: read-only, and searchable by this project's
user fields (auditlog's default searches ``first_name``/``last_name``, which ``accounts.User`` does
not have, so a search would be a 500)."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin


class AuditEntryAdmin(LogEntryAdmin):
    search_fields = ["object_repr", "actor__full_name", "actor__email"]


if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
admin.site.register(LogEntry, AuditEntryAdmin)
