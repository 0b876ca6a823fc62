"""The orientation pages of an engagement: its notes grouped by topic (culture, the interview
process, selling points, no-go's), "Mark as read" for its recruiters and sourcers, the "Read by"
panel for those who run the engagement, the forms to write, edit and delete a note, and a note's
history (who changed what, and when, with what changed from the version before).

Thin, like the other pages: the engagement (or the note's engagement) comes through
``engagement_list`` (not visible: 404); every rule is ``engagements.services.orientation``'s; the
reading state is ``engagements.selectors``'. Each successful POST answers ``see_other``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engagements.models import Engagement, OrientationNote, OrientationNoteVersion, OrientationRead
from engagements.policies import (
    MAY_NOT_WRITE_ORIENTATION,
    can_mark_orientation_read,
    can_write_orientation,
    runs_engagement,
)
from engagements.selectors import engagement_list, orientation_readers
from engagements.services import (
    orientation_mark_read,
    orientation_note_create,
    orientation_note_delete,
    orientation_note_update,
)
from rpo_portal.pages import add_service_errors, forbidden, form_status, not_found, render_page, see_other

from ..implementation_forms import OrientationNoteForm

Topic = OrientationNote.Topic


def orientation_url(engagement_id: int) -> str:
    return reverse("partnership:orientation", kwargs={"pk": engagement_id})


def _visible_engagement(request: HttpRequest, pk: int) -> Engagement | None:
    return engagement_list(user=request.user).filter(pk=pk).first()


def _visible_note(request: HttpRequest, pk: int) -> OrientationNote | None:
    engagement_id = OrientationNote.objects.filter(pk=pk).values_list("engagement_id", flat=True).first()
    if engagement_id is None:
        return None
    engagement = _visible_engagement(request, engagement_id)
    if engagement is None:
        return None
    note = OrientationNote.objects.select_related("updated_by").get(pk=pk)
    note.engagement = engagement
    return note


@dataclass(frozen=True)
class TopicGroup:
    topic: str
    label: str
    notes: list


@never_cache
@login_required
@require_GET
def orientation_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = _visible_engagement(request, pk)
    if engagement is None:
        return not_found(request)
    notes = list(
        OrientationNote.objects.filter(engagement_id=engagement.pk).select_related("updated_by").order_by("title", "pk")
    )
    groups = [
        TopicGroup(topic=topic, label=label, notes=[note for note in notes if note.topic == topic])
        for topic, label in Topic.choices
    ]
    may_read = can_mark_orientation_read(user, engagement)
    my_read = OrientationRead.objects.filter(engagement_id=engagement.pk, user_id=user.pk).first() if may_read else None
    sees_readers = runs_engagement(user, engagement)
    readers = orientation_readers(engagement=engagement) if sees_readers else []
    context = {
        "engagement": engagement,
        "groups": [group for group in groups if group.notes],
        "note_count": len(notes),
        "may_write": can_write_orientation(user, engagement),
        "may_read": may_read,
        "has_read": bool(
            my_read is not None and engagement.orientation_version and my_read.version >= engagement.orientation_version
        ),
        "my_read": my_read,
        "sees_readers": sees_readers,
        "readers": readers,
        "unread_count": sum(not reader.has_read for reader in readers),
    }
    return render_page(request, "partnership/orientation/page.html", context)


@login_required
@require_POST
def orientation_read(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _visible_engagement(request, pk)
    if engagement is None:
        return not_found(request)
    try:
        orientation_mark_read(user=request.user, engagement=engagement)
    except PermissionDenied as refused:
        return forbidden(request, str(refused))
    messages.success(request, "Thank you: you have read the latest orientation.")
    return see_other(orientation_url(engagement.pk))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def orientation_note_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = _visible_engagement(request, pk)
    if engagement is None:
        return not_found(request)
    if not can_write_orientation(user, engagement):
        return forbidden(request, MAY_NOT_WRITE_ORIENTATION)
    if request.method == "POST":
        form = OrientationNoteForm(request.POST)
        if form.is_valid():
            try:
                note = orientation_note_create(actor=user, engagement=engagement, **form.cleaned_data)
            except PermissionDenied as refused:
                return forbidden(request, str(refused))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Note saved: {note.title}. Recruiters are asked to read the orientation.")
                return see_other(orientation_url(engagement.pk) + f"#note-{note.pk}")
    else:
        form = OrientationNoteForm(initial={"topic": request.GET.get("topic") or Topic.CULTURE})
    context = {"engagement": engagement, "form": form, "note": None}
    return render_page(request, "partnership/orientation/note_form.html", context, status=form_status(form))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def orientation_note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    note = _visible_note(request, pk)
    if note is None:
        return not_found(request)
    engagement = note.engagement
    if not can_write_orientation(user, engagement):
        return forbidden(request, MAY_NOT_WRITE_ORIENTATION)
    if request.method == "POST":
        form = OrientationNoteForm(request.POST)
        if form.is_valid():
            try:
                saved = orientation_note_update(actor=user, note=note, **form.cleaned_data)
            except PermissionDenied as refused:
                return forbidden(request, str(refused))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if saved.version == note.version:
                    messages.info(request, "Nothing changed in the note.")
                else:
                    messages.success(
                        request, f"Note saved as version {saved.version}. Recruiters are asked to read it again."
                    )
                return see_other(orientation_url(engagement.pk) + f"#note-{note.pk}")
    else:
        form = OrientationNoteForm(initial={"topic": note.topic, "title": note.title, "body": note.body})
    context = {"engagement": engagement, "form": form, "note": note}
    return render_page(request, "partnership/orientation/note_form.html", context, status=form_status(form))


@login_required
@require_POST
def orientation_note_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    note = _visible_note(request, pk)
    if note is None:
        return not_found(request)
    try:
        orientation_note_delete(actor=request.user, note=note)
    except PermissionDenied as refused:
        return forbidden(request, str(refused))
    messages.success(request, f"Note deleted: {note.title}.")
    return see_other(orientation_url(note.engagement_id))


@dataclass(frozen=True)
class VersionRow:
    version: OrientationNoteVersion
    changes: list[tuple[str, str]]  # ("added" | "removed", line) since the version before
    before: OrientationNoteVersion | None


def _line_changes(before: str, after: str) -> list[tuple[str, str]]:
    """The lines of the body added and removed since the version before (unchanged ones left out)."""
    kinds = {"+ ": "added", "- ": "removed"}
    return [
        (kinds[line[:2]], line[2:])
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line[:2] in kinds and line[2:].strip()
    ]


@never_cache
@login_required
@require_GET
def orientation_note_history(request: HttpRequest, pk: int) -> HttpResponse:
    note = _visible_note(request, pk)
    if note is None:
        return not_found(request)
    versions = list(
        OrientationNoteVersion.objects.filter(note_id=note.pk).select_related("changed_by").order_by("number")
    )
    rows = []
    for index, version in enumerate(versions):
        before = versions[index - 1] if index else None
        rows.append(
            VersionRow(
                version=version,
                changes=_line_changes(before.body, version.body) if before else [],
                before=before,
            )
        )
    context = {"engagement": note.engagement, "note": note, "rows": rows[::-1]}
    return render_page(request, "partnership/orientation/history.html", context)
