"""What the audit trail records: the tracked models and fields, and the scope of each entry.

Every entry carries, in ``LogEntry.additional_data``, the engagement it belongs to
(``{"engagement_id": 3}``; with ``requisition_id`` where there is one, for the row's link) or, for a
person and their out-of-office periods, their organisation (``{"organization_id": 5}``). The History
pages filter on these keys with JSON lookups (``additional_data__engagement_id``), which work on
SQLite and PostgreSQL alike.

auditlog asks the changed instance for ``get_additional_data()``; the models live in lower apps
that must not know about this one, so the method is attached to them here, at registration.

Hot paths: auditlog reads the old row before each ``save()`` of a tracked model. A save that writes
only untracked fields (``update_fields``: the reminder ladder's steps, a sign-in's ``last_login``)
is not compared at all (``_log_update_if_tracked``), so it costs no extra query. Reminders, the
outbox, feedback requests and the ladder fields are not tracked.
"""

from __future__ import annotations

from collections.abc import Callable

from auditlog.models import LogEntry
from auditlog.receivers import log_update
from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.db import models
from django.db.models.signals import pre_save

from accounts.models import OutOfOffice, User
from engagements.models import Assignment, Engagement, Interview, OrientationNote, Requisition, Submission

from ..models import PartnershipItem

# The fields recorded, per model (their old and new values); the rest of each model is not.
ENGAGEMENT_FIELDS = [
    "name",
    "status",
    "escalation_contact",
    # The SLA policy and its calendar.
    "resume_feedback_due_hours",
    "interview_feedback_due_hours",
    "availability_due_hours",
    "reminder_lead_hours",
    "escalation_delay_hours",
    "time_zone",
    "business_day_start",
    "business_day_end",
    "business_weekdays",
    "country",
    "region",
    "pulse_cadence",
    "started_on",
    # The provider's targets.
    "target_days_to_first_submission",
    "target_submissions_per_requisition",
    "target_submission_to_interview_percent",
    "target_days_to_fill",
]
TRACKED: dict[type[models.Model], dict] = {
    Engagement: {"include_fields": ENGAGEMENT_FIELDS, "m2m_fields": {"account_managers"}},
    Assignment: {"include_fields": ["requisition", "recruiter", "role", "starts_on", "ends_on"]},
    # Not the summary or the candidate: no personal data beyond what the pages show live.
    Submission: {"include_fields": ["stage", "withdrawal_reason"]},
    Interview: {"include_fields": ["status", "starts_at", "ends_at", "completed_at"]},
    OrientationNote: {"include_fields": ["topic", "title", "body"]},
    PartnershipItem: {
        "include_fields": [
            "title",
            "what_happened",
            "impact",
            "proposed_next_step",
            "requisition",
            "owner",
            "due_on",
            "status",
            "resolution",
            "decline_reason",
        ],
        "m2m_fields": {"thanked"},
    },
    OutOfOffice: {"include_fields": ["user", "starts_at", "ends_at", "backup", "note"]},
    # Only activation: no password hashes, sign-in times or profile settings.
    User: {"include_fields": ["is_active"]},
}

# Models whose ``__str__`` names a candidate: their entries name the object neutrally instead, so
# that erasing a candidate leaves no name in the trail (the History page shows the live name).
NEUTRAL_NAMES: dict[type[models.Model], str] = {Submission: "Submission", Interview: "Interview"}


def _engagement_of_requisition(requisition_id: int) -> int | None:
    return Requisition.objects.filter(pk=requisition_id).values_list("engagement_id", flat=True).first()


def _requisition_scope(instance, requisition_id: int | None) -> dict:
    if requisition_id is None:
        return {}
    field = instance._meta.get_field("requisition")
    if field.is_cached(instance):
        engagement_id = instance.requisition.engagement_id
    else:
        engagement_id = _engagement_of_requisition(requisition_id)
    return {"engagement_id": engagement_id, "requisition_id": requisition_id}


def _assignment_scope(assignment: Assignment) -> dict:
    return _requisition_scope(assignment, assignment.requisition_id)


def _submission_scope(submission: Submission) -> dict:
    return _requisition_scope(submission, submission.requisition_id)


def _interview_scope(interview: Interview) -> dict:
    if Interview._meta.get_field("submission").is_cached(interview):
        return {**_submission_scope(interview.submission), "submission_id": interview.submission_id}
    requisition_id, engagement_id = (
        Submission.objects.filter(pk=interview.submission_id)
        .values_list("requisition_id", "requisition__engagement_id")
        .first()
    ) or (None, None)
    return {"engagement_id": engagement_id, "requisition_id": requisition_id, "submission_id": interview.submission_id}


def _engagement_scope(engagement: Engagement) -> dict:
    return {"engagement_id": engagement.pk}


def _engagement_child_scope(instance) -> dict:
    return {"engagement_id": instance.engagement_id}


def _item_scope(item: PartnershipItem) -> dict:
    scope = {"engagement_id": item.engagement_id, "kind": item.kind}
    if item.requisition_id:
        scope["requisition_id"] = item.requisition_id
    return scope


def _user_scope(user: User) -> dict:
    return {"organization_id": user.organization_id}


def _out_of_office_scope(out_of_office: OutOfOffice) -> dict:
    if OutOfOffice._meta.get_field("user").is_cached(out_of_office):
        organization_id = out_of_office.user.organization_id
    else:
        people = User.objects.filter(pk=out_of_office.user_id)
        organization_id = people.values_list("organization_id", flat=True).first()
    return {"organization_id": organization_id, "user_id": out_of_office.user_id}


SCOPES: dict[type[models.Model], Callable[[models.Model], dict]] = {
    Engagement: _engagement_scope,
    Assignment: _assignment_scope,
    Submission: _submission_scope,
    Interview: _interview_scope,
    OrientationNote: _engagement_child_scope,
    PartnershipItem: _item_scope,
    OutOfOffice: _out_of_office_scope,
    User: _user_scope,
}


def _tracked_names(model: type[models.Model]) -> frozenset[str]:
    """The tracked fields by name and column name (``update_fields`` may hold either)."""
    names = set()
    for name in TRACKED[model]["include_fields"]:
        field = model._meta.get_field(name)
        names.update({field.name, field.attname})
    return frozenset(names)


TRACKED_NAMES: dict[type[models.Model], frozenset[str]] = {}


def _log_update_if_tracked(sender, instance, update_fields=None, **kwargs):
    """auditlog's update receiver, skipped for a save that writes no tracked field (no read of
    the old row, no entry)."""
    if update_fields is not None and not TRACKED_NAMES[sender].intersection(update_fields):
        return
    log_update(sender=sender, instance=instance, update_fields=update_fields, **kwargs)


def _skip_user_creation(sender, instance, action, **kwargs):
    """A new account is an invitation, not an activation: only changes of ``is_active`` are news."""
    return action != LogEntry.Action.CREATE


def _neutral_object_name(sender, instance: LogEntry, **kwargs) -> None:
    model = instance.content_type.model_class()
    if model in NEUTRAL_NAMES:
        instance.object_repr = f"{NEUTRAL_NAMES[model]} {instance.object_pk}"


def register() -> None:
    """Track the models of ``TRACKED`` (once; from ``PartnershipConfig.ready``)."""
    for model, options in TRACKED.items():
        if auditlog.contains(model):
            continue
        scope = SCOPES[model]
        model.get_additional_data = lambda self, scope=scope: scope(self)
        TRACKED_NAMES[model] = _tracked_names(model)
        auditlog.register(model, **options)
        # The update receiver, only for saves that write a tracked field.
        pre_save.disconnect(sender=model, dispatch_uid=auditlog._dispatch_uid(pre_save, log_update))
        pre_save.connect(_log_update_if_tracked, sender=model, dispatch_uid=f"audit_update_{model._meta.label}")
    pre_log.connect(_skip_user_creation, sender=User, dispatch_uid="audit_skip_user_creation")
    pre_save.connect(_neutral_object_name, sender=LogEntry, dispatch_uid="audit_neutral_object_name")
