"""The relationship's own records: the implementation checklist and orientation notes."""

from __future__ import annotations

from django.contrib import admin

from ..models import (
    ImplementationTask,
    OrientationNote,
)


@admin.register(ImplementationTask)
class ImplementationTaskAdmin(admin.ModelAdmin):
    list_display = ("title", "engagement", "position", "owner", "due_on", "is_done")
    list_select_related = ("engagement", "owner")
    list_filter = ("engagement", ("completed_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "notes")
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
