"""An audit entry as a History row, in words: when (in the engagement's zone), who, what object
(linked where it has a page), and each field as "old → new" with choices' labels and people's
names.

``history_rows`` turns a page of entries into rows in a constant number of queries, however many
entries and changes the page holds: the people and requisitions named in the changes, the
engagements (their zone and name), and the submissions and interviews (their live candidate name,
anonymised once erased) are each read once for the page.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse

from accounts.models import OutOfOffice, User
from engagements.models import Assignment, Engagement, Interview, OrientationNote, Requisition, Submission

from ..models import PartnershipItem

TEXT_SHOWN = 140  # characters of a long text (a note's body) shown of each value
EMPTY = "—"
WEEKDAYS = {"1": "Mon", "2": "Tue", "3": "Wed", "4": "Thu", "5": "Fri", "6": "Sat", "7": "Sun"}

# Labels where the field's own name does not say enough.
LABELS = {
    (Engagement, "resume_feedback_due_hours"): "Résumé feedback due (business hours)",
    (Engagement, "interview_feedback_due_hours"): "Interview feedback due (business hours)",
    (Engagement, "availability_due_hours"): "Availability due (business hours)",
    (Engagement, "reminder_lead_hours"): "Reminder before due (business hours)",
    (Engagement, "escalation_delay_hours"): "Escalation after due (business hours)",
    (Engagement, "business_weekdays"): "Business days",
    (Engagement, "target_days_to_first_submission"): "Target: business days to first submission",
    (Engagement, "target_submissions_per_requisition"): "Target: submissions per requisition",
    (Engagement, "target_submission_to_interview_percent"): "Target: submissions reaching interview (%)",
    (Engagement, "target_days_to_fill"): "Target: days to fill",
    (Engagement, "account_managers"): "Account managers",
    (User, "is_active"): "Active",
    (PartnershipItem, "thanked"): "People thanked",
}
KIND_NAMES = {
    Engagement: "Engagement",
    Assignment: "Assignment",
    Submission: "Submission",
    Interview: "Interview",
    OrientationNote: "Orientation note",
    OutOfOffice: "Out of office",
    User: "Person",
}
ACTIONS = {
    LogEntry.Action.CREATE: "created",
    LogEntry.Action.UPDATE: "changed",
    LogEntry.Action.DELETE: "deleted",
    LogEntry.Action.ACCESS: "read",
}


@dataclass
class Change:
    label: str
    old: str = ""
    new: str = ""
    added: str = ""  # a set of people: who joined it
    removed: str = ""  # and who left it


@dataclass
class HistoryRow:
    entry_id: int
    at: datetime  # aware, in the zone named by ``zone_name``
    zone_name: str
    actor: str
    action: str
    kind: str
    name: str
    url: str | None
    engagement_name: str = ""
    engagement_url: str | None = None
    changes: list[Change] = field(default_factory=list)

    @property
    def when(self) -> str:
        return f"{self.at:%-d %b %Y, %H:%M}"


def _model_field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(model: type[models.Model], name: str, model_field) -> str:
    if (model, name) in LABELS:
        return LABELS[(model, name)]
    text = str(getattr(model_field, "verbose_name", name)).replace("_", " ")
    return text[:1].upper() + text[1:]


def _shorten(text: str) -> str:
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1].rstrip() + "…"


@dataclass
class _Names:
    """What a page's rows name, read once per page."""

    users: dict[int, str]
    requisitions: dict[int, str]
    zone: zoneinfo.ZoneInfo


def _value_text(model_field, value, names: _Names, model: type[models.Model]) -> str:
    if value is None or value == "" or value == "None":
        return EMPTY
    if model_field is None:
        return _shorten(str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        target = names.users if model_field.related_model is User else names.requisitions
        try:
            return target.get(int(value), f"#{value} (deleted)")
        except (TypeError, ValueError):
            return str(value)
    if isinstance(model_field, models.BooleanField):
        return "yes" if value in (True, "True", "true") else "no"
    try:
        if isinstance(model_field, models.DateTimeField):
            # auditlog stores a moment as naive UTC text.
            moment = datetime.fromisoformat(str(value)).replace(tzinfo=UTC).astimezone(names.zone)
            return f"{moment:%-d %b %Y, %H:%M}"
        if isinstance(model_field, models.DateField):
            return f"{date.fromisoformat(str(value)):%-d %b %Y}"
        if isinstance(model_field, models.TimeField):
            return f"{time.fromisoformat(str(value)):%H:%M}"
    except ValueError:
        return str(value)
    if isinstance(model_field, models.DecimalField):
        try:
            return f"{Decimal(str(value)).normalize():f}"
        except InvalidOperation:
            return str(value)
    if model is Engagement and model_field.name == "business_weekdays":
        return ", ".join(WEEKDAYS.get(day, day) for day in str(value))
    return _shorten(str(value))


def _changes(entry: LogEntry, model: type[models.Model], names: _Names) -> list[Change]:
    changes = []
    for name, values in (entry.changes_dict or {}).items():
        model_field = _model_field(model, name) if model else None
        label = _label(model, name, model_field)
        if isinstance(values, dict) and values.get("type") == "m2m":
            people = ", ".join(_person_name(text) for text in values.get("objects", []))
            if values.get("operation") == "add":
                changes.append(Change(label=label, added=people))
            else:
                changes.append(Change(label=label, removed=people))
            continue
        if not isinstance(values, list | tuple) or len(values) != 2:
            continue
        old, new = (_value_text(model_field, value, names, model) for value in values)
        if entry.action == LogEntry.Action.CREATE and new == EMPTY:
            continue  # a new object's empty fields say nothing
        changes.append(Change(label=label, old=old, new=new))
    return changes


def _person_name(text: str) -> str:
    """A person as auditlog names them in a set ("Name <email>"): their name."""
    name, _, _email = str(text).partition(" <")
    return name or str(text)


def _ids(entries: Iterable[LogEntry], related_model: type[models.Model]) -> set[int]:
    ids = set()
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes_dict or {}).items():
            model_field = _model_field(model, name) if model else None
            if not isinstance(model_field, models.ForeignKey) or model_field.related_model is not related_model:
                continue
            for value in values if isinstance(values, list | tuple) else ():
                if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                    ids.add(int(value))
    return ids


def _object_ids(entries: Iterable[LogEntry], model: type[models.Model]) -> list[int]:
    return [entry.object_id for entry in entries if entry.content_type.model_class() is model and entry.object_id]


def history_rows(entries: Iterable[LogEntry], *, viewer_zone: zoneinfo.ZoneInfo) -> list[HistoryRow]:
    """The rows of one page of entries (each in its engagement's zone; entries about people in the
    viewer's)."""
    entries = list(entries)
    users = {
        user.pk: user.display_name
        for user in User.objects.filter(pk__in=_ids(entries, User)).only("pk", "full_name", "email")
    }
    requisitions = {
        requisition.pk: f"{requisition.code} {requisition.title}"
        for requisition in Requisition.objects.filter(pk__in=_ids(entries, Requisition)).only("pk", "code", "title")
    }
    engagement_ids = {
        (entry.additional_data or {}).get("engagement_id") for entry in entries if entry.additional_data
    } - {None}
    engagements = {
        engagement.pk: engagement
        for engagement in Engagement.objects.filter(pk__in=engagement_ids).only("pk", "name", "time_zone")
    }
    submissions = {
        submission["pk"]: f"{submission['candidate__full_name']} on {submission['requisition__code']}"
        for submission in Submission.objects.filter(pk__in=_object_ids(entries, Submission)).values(
            "pk", "candidate__full_name", "requisition__code"
        )
    }
    interviews = {
        interview["pk"]: f"Interview of {interview['submission__candidate__full_name']} "
        f"on {interview['submission__requisition__code']}"
        for interview in Interview.objects.filter(pk__in=_object_ids(entries, Interview)).values(
            "pk", "submission__candidate__full_name", "submission__requisition__code"
        )
    }
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        scope = entry.additional_data or {}
        engagement = engagements.get(scope.get("engagement_id"))
        zone = zoneinfo.ZoneInfo(engagement.time_zone) if engagement else viewer_zone
        names = _Names(users=users, requisitions=requisitions, zone=zone)
        name, url = _object_name_and_url(entry, model, scope, submissions=submissions, interviews=interviews)
        rows.append(
            HistoryRow(
                entry_id=entry.pk,
                at=entry.timestamp.astimezone(zone),
                zone_name=str(zone),
                actor=entry.actor.display_name if entry.actor else (entry.actor_email or "The portal"),
                action=ACTIONS.get(entry.action, ""),
                kind=_kind_name(model, scope),
                name=name,
                url=url,
                engagement_name=engagement.name if engagement else "",
                engagement_url=reverse("partnership:engagement-detail", args=[engagement.pk]) if engagement else None,
                changes=_changes(entry, model, names),
            )
        )
    return rows


def _kind_name(model, scope: dict) -> str:
    if model is PartnershipItem:
        return "Win" if scope.get("kind") == PartnershipItem.Kind.WIN else "Issue"
    return KIND_NAMES.get(model, model._meta.verbose_name.capitalize() if model else "Deleted kind")


EMAIL_IN_NAME = re.compile(r" <[^<>@\s]+@[^<>\s]+>")


def _object_name_and_url(entry: LogEntry, model, scope: dict, *, submissions: dict, interviews: dict):
    """What the row is about, and its page if it has one. People are named without their address
    (``User.__str__`` adds it)."""
    name, url = _object_name_and_url_of(entry, model, scope, submissions=submissions, interviews=interviews)
    return EMAIL_IN_NAME.sub("", name), url


def _object_name_and_url_of(entry: LogEntry, model, scope: dict, *, submissions: dict, interviews: dict):
    requisition_id = scope.get("requisition_id")
    requisition_url = reverse("partnership:requisition-detail", args=[requisition_id]) if requisition_id else None
    if model is Engagement:
        return entry.object_repr, reverse("partnership:engagement-detail", args=[entry.object_id])
    if model is Submission:
        return submissions.get(entry.object_id, entry.object_repr), requisition_url
    if model is Interview:
        return interviews.get(entry.object_id, entry.object_repr), requisition_url
    if model is Assignment:
        return entry.object_repr, requisition_url
    if model is PartnershipItem:
        gone = entry.action == LogEntry.Action.DELETE
        _kind, _colon, title = entry.object_repr.partition(": ")  # the badge says issue or win
        return title or entry.object_repr, None if gone else reverse("partnership:issue-detail", args=[entry.object_id])
    if model is OrientationNote and scope.get("engagement_id"):
        return entry.object_repr, reverse("partnership:engagement-detail", args=[scope["engagement_id"]])
    return entry.object_repr, None
