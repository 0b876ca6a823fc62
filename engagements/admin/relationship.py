"""The relationship's own records: the implementation checklist and orientation notes, saved through
their services (``engagements.implementation``, ``services.orientation``) as the signed-in user, so
the admin keeps the same rules as the pages: a step's chase follows its due date and owner, and
every change of a note is a new version that asks the recruiters to read it again."""

from __future__ import annotations

from django.contrib import admin

from rpo_portal.service_admin import ServiceModelAdmin, adopt, refusal_shown_on, stored

from .. import implementation, services
from ..models import (
    ImplementationTask,
    OrientationNote,
)

TASK_FIELDS = implementation.EDITABLE_FIELDS
NOTE_FIELDS = services.orientation.NOTE_FIELDS


@admin.register(ImplementationTask)
class ImplementationTaskAdmin(ServiceModelAdmin):
    list_display = ("title", "engagement", "position", "owner_side", "owner", "due_on", "is_done")
    list_select_related = ("engagement", "owner")
    list_filter = ("engagement", "owner_side", ("completed_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "notes")
    autocomplete_fields = ("engagement", "owner")
    ordering = ("engagement", "position", "id")
    fields = ("engagement", *TASK_FIELDS, "key", "position", "completed_at", "completed_by", "due_at", "ladder_step")

    def get_readonly_fields(self, request, obj=None):
        done = ("key", "position", "completed_at", "completed_by", "due_at", "ladder_step")
        return done if obj is None else ("engagement", *done)

    @admin.display(boolean=True, description="done", ordering="completed_at")
    def is_done(self, task: ImplementationTask) -> bool:
        return task.completed_at is not None

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            with refusal_shown_on():
                saved = implementation.implementation_task_create(
                    actor=request.user,
                    engagement=data["engagement"],
                    **{name: data[name] for name in TASK_FIELDS if name in data},
                )
            adopt(obj, saved)
            return
        fields = {name: data[name] for name in TASK_FIELDS if name in form.changed_data}
        if fields:
            with refusal_shown_on():
                saved = implementation.implementation_task_update(actor=request.user, task=stored(obj), **fields)
            adopt(obj, saved)

    def delete_model(self, request, obj):
        implementation.implementation_task_delete(actor=request.user, task=obj)

    def delete_queryset(self, request, queryset):
        for task in queryset.select_related("engagement"):
            implementation.implementation_task_delete(actor=request.user, task=task)


@admin.register(OrientationNote)
class OrientationNoteAdmin(ServiceModelAdmin):
    list_display = ("title", "topic", "engagement", "version", "updated_by", "updated_at")
    list_select_related = ("engagement", "updated_by")
    list_filter = ("engagement", "topic")
    search_fields = ("title", "body")
    autocomplete_fields = ("engagement",)
    date_hierarchy = "updated_at"
    fields = ("engagement", *NOTE_FIELDS, "author", "version", "updated_by", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        written = ("author", "version", "updated_by", "updated_at")
        return written if obj is None else ("engagement", *written)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            with refusal_shown_on():
                saved = services.orientation_note_create(
                    actor=request.user,
                    engagement=data["engagement"],
                    **{name: data[name] for name in NOTE_FIELDS if name in data},
                )
            adopt(obj, saved)
            return
        fields = {name: data[name] for name in NOTE_FIELDS if name in form.changed_data}
        if fields:
            with refusal_shown_on():
                saved = services.orientation_note_update(actor=request.user, note=stored(obj), **fields)
            adopt(obj, saved)

    def delete_model(self, request, obj):
        services.orientation_note_delete(actor=request.user, note=obj)

    def delete_queryset(self, request, queryset):
        for note in queryset.select_related("engagement"):
            services.orientation_note_delete(actor=request.user, note=note)
