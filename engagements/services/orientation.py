"""Writes on an engagement's orientation: the notes that teach recruiters what it is like to work
at the client (culture, the interview process, selling points, no-go's), and who has read them.

Every change of a note (written or edited) is a new ``OrientationNoteVersion`` of it (who, when,
its topic, title and body as saved) and bumps the note's ``version``; every change (a deletion too)
bumps the engagement's ``orientation_version`` (an ``F()`` update: two writers at once each move it on). A
recruiter or sourcer has read the orientation when their ``OrientationRead`` holds the engagement's
current version; any change asks them to read it again.

Who may write: those who run the engagement (``policies.can_write_orientation``). Who marks it
read: the recruiters and sourcers of its provider (``policies.can_mark_orientation_read``). Saving
the same words again changes nothing (a double click, Back and send again).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User

from .. import policies
from ..activity import engagement_changed
from ..models import Engagement, OrientationNote, OrientationNoteVersion, OrientationRead

Topic = OrientationNote.Topic
NOTE_FIELDS = ("topic", "title", "body")
# The same note sent twice within this time (a double click) is written once.
REPEAT_WINDOW = timedelta(minutes=10)


def _clean(values: dict) -> dict:
    errors = {}
    cleaned = {
        "topic": values.get("topic") or Topic.OTHER,
        "title": (values.get("title") or "").strip(),
        "body": (values.get("body") or "").strip(),
    }
    if cleaned["topic"] not in Topic.values:
        errors["topic"] = f"Choose one of: {', '.join(label for _, label in Topic.choices)}."
    if not cleaned["title"]:
        errors["title"] = "Give the note a title."
    elif len(cleaned["title"]) > 200:
        errors["title"] = "Keep the title under 200 characters."
    if not cleaned["body"]:
        errors["body"] = "Write what recruiters should know."
    elif len(cleaned["body"]) > 20000:
        errors["body"] = "Keep the note under 20,000 characters."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _engagement_moves_on(engagement: Engagement) -> None:
    Engagement.objects.filter(pk=engagement.pk).update(orientation_version=F("orientation_version") + 1)
    engagement.refresh_from_db(fields=["orientation_version"])
    engagement_changed(engagement.pk)


def _record_version(note: OrientationNote, *, actor: User, at) -> OrientationNoteVersion:
    return OrientationNoteVersion.objects.create(
        note=note,
        number=note.version,
        topic=note.topic,
        title=note.title,
        body=note.body,
        changed_by=actor,
        changed_at=at,
    )


def orientation_note_create(
    *, actor: User, engagement: Engagement, title: str, body: str, topic: str = Topic.OTHER
) -> OrientationNote:
    """Write a note (its version 1). The same title and body sent again by the same person within
    minutes is the same note: the first is returned."""
    policies.require(policies.can_write_orientation(actor, engagement), policies.MAY_NOT_WRITE_ORIENTATION)
    values = _clean({"topic": topic, "title": title, "body": body})
    now = timezone.now()
    with transaction.atomic():
        Engagement.objects.select_for_update().filter(pk=engagement.pk).first()  # one write at a time
        repeat = OrientationNote.objects.filter(
            engagement_id=engagement.pk,
            author_id=actor.pk,
            title=values["title"],
            body=values["body"],
            created_at__gte=now - REPEAT_WINDOW,
        ).first()
        if repeat is not None:
            return repeat
        note = OrientationNote.objects.create(
            engagement=engagement, author=actor, updated_by=actor, version=1, created_at=now, updated_at=now, **values
        )
        _record_version(note, actor=actor, at=now)
        _engagement_moves_on(engagement)
    return note


def orientation_note_update(*, actor: User, note: OrientationNote, **changes) -> OrientationNote:
    """Change a note's topic, title or body: a new version of it when anything changed (the same
    words again change nothing)."""
    unknown = set(changes) - set(NOTE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    engagement = note.engagement
    policies.require(policies.can_write_orientation(actor, engagement), policies.MAY_NOT_WRITE_ORIENTATION)
    with transaction.atomic():
        current = OrientationNote.objects.select_for_update().get(pk=note.pk)
        values = _clean({field: changes.get(field, getattr(current, field)) for field in NOTE_FIELDS})
        changed = [field for field in NOTE_FIELDS if values[field] != getattr(current, field)]
        if not changed:
            return current
        now = timezone.now()
        for field in changed:
            setattr(current, field, values[field])
        current.version = F("version") + 1
        current.updated_by = actor
        current.updated_at = now
        current.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
        current.refresh_from_db(fields=["version"])
        _record_version(current, actor=actor, at=now)
        _engagement_moves_on(engagement)
    return current


def orientation_note_delete(*, actor: User, note: OrientationNote) -> bool:
    """Delete a note (and its history): the orientation has changed, so everyone reads it again.
    False when it was gone already."""
    engagement = note.engagement
    policies.require(policies.can_write_orientation(actor, engagement), policies.MAY_NOT_WRITE_ORIENTATION)
    with transaction.atomic():
        deleted, _ = OrientationNote.objects.filter(pk=note.pk).delete()
        if deleted:
            _engagement_moves_on(engagement)
    return bool(deleted)


def orientation_mark_read(*, user: User, engagement: Engagement) -> OrientationRead:
    """``user`` has read the engagement's orientation as it stands now (its current version);
    marking it again changes nothing until a note changes."""
    policies.require(policies.can_mark_orientation_read(user, engagement), policies.MAY_NOT_MARK_ORIENTATION_READ)
    version = Engagement.objects.filter(pk=engagement.pk).values_list("orientation_version", flat=True).get()
    now = timezone.now()
    with transaction.atomic():
        read, created = OrientationRead.objects.select_for_update().get_or_create(
            engagement=engagement, user=user, defaults={"version": version, "read_at": now}
        )
        if not created and read.version != version:
            read.version = version
            read.read_at = now
            read.save(update_fields=["version", "read_at"])
        if created or read.read_at == now:
            # "Orientation to read" leaves the reader's requisition list, kept under the version.
            engagement_changed(engagement.pk)
    return read
