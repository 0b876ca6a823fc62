"""Entries for changes auditlog's signals do not see: a ``QuerySet.update()`` (a hand-over moves many
rows at once) sends no ``pre_save``. The service that updates calls ``audit_record_update`` for each
row it changed, with the old and new values, inside its transaction; the actor comes from the same
context as any other entry (the request's signed-in person, or nobody for tasks)."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db import models


def _json_value(value: Any) -> Any:
    """A value as auditlog stores it (``AUDITLOG_STORE_JSON_CHANGES``): a row's id for an object,
    text for what JSON has no type for."""
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_record_update(instance: models.Model, changes: dict[str, tuple[Any, Any]]) -> LogEntry | None:
    """Record that ``instance``'s fields changed (``{"owner": (old_owner, new_owner)}``), as auditlog
    records a ``save()``. Nothing is recorded when no value differs."""
    stored = {
        field: [_json_value(old), _json_value(new)]
        for field, (old, new) in changes.items()
        if _json_value(old) != _json_value(new)
    }
    if not stored:
        return None
    return LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=stored)
