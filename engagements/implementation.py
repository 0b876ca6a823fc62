"""The implementation checklist of an engagement: the default steps a new engagement starts with,
and the writes on its tasks (add, edit, move, mark done, reopen, delete).

Each task has an owner side (the provider or the client) and, usually, a person of that side, a
due date and a done date. An open task with a due date is chased by feedback's reminder engine as
issues are (``partnership.implementation_chase``): its ladder fields come from
``engagements.ladder.date_ladder`` and are set here whenever the due date or the owner changes;
marking it done clears them and sends ``implementation_task_closed`` (partnership skips the
reminders not yet sent).

Who may: those who run the engagement (``policies.runs_engagement``: its account managers, the
provider's admins, the client's admins) change the checklist; a task's owner may also mark their
own task done or reopen it. A double click costs nothing: marking a done task done again, or
adding the same task twice within a few minutes, changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import User
from rpo_portal.dates import require_sane_dates

from . import policies
from .activity import engagement_changed
from .ladder import LADDER_NONE, date_ladder
from .local_dates import engagement_today
from .models import Engagement, ImplementationTask
from .selectors import engagement_list
from .signals import implementation_task_closed

Side = ImplementationTask.Side


@dataclass(frozen=True)
class DefaultTask:
    key: str
    title: str
    owner_side: str
    due_in_days: int  # from the engagement's start
    notes: str = ""


# The checklist a new engagement starts with (then edited as the partnership needs). The client
# invests in the implementation as much as the provider does: half the steps are the client's.
DEFAULT_TASKS = (
    DefaultTask(
        "kickoff",
        "Kick-off meeting",
        Side.PROVIDER,
        3,
        "Both teams meet: goals for the first quarter, who is who, how requisitions reach the recruiters.",
    ),
    DefaultTask(
        "sla_signoff",
        "SLA sign-off",
        Side.CLIENT,
        7,
        "Agree the service levels both sides keep (feedback times, the provider's targets) and the escalation path.",
    ),
    DefaultTask(
        "hiring_manager_training",
        "Hiring-manager training",
        Side.CLIENT,
        14,
        "How feedback is asked for and answered (one-click links), and why quick answers keep candidates.",
    ),
    DefaultTask(
        "change_management",
        "Change-management plan, with an assessment of where resistance is expected",
        Side.CLIENT,
        14,
        "Which teams or hiring managers may resist the new way of hiring, why, and what will help them.",
    ),
    DefaultTask(
        "recruiter_orientation",
        "Recruiter orientation",
        Side.CLIENT,
        21,
        "Orientation notes on culture, the interview process, selling points and no-go's, read by every recruiter.",
    ),
    DefaultTask(
        "first_requisitions",
        "First requisitions",
        Side.PROVIDER,
        21,
        "Intake meetings for the first requisitions, and the first submissions.",
    ),
    DefaultTask(
        "thirty_day_review",
        "30-day review",
        Side.PROVIDER,
        30,
        "Look back at the first month together with the mutual scorecard: what works, what to change.",
    ),
)

EDITABLE_FIELDS = ("title", "notes", "owner_side", "owner", "due_on")
TITLE_REQUIRED = "Give the task a short title."
# The same task added twice by a double click within this time is added once.
REPEAT_WINDOW = timedelta(minutes=10)


# --- The default checklist -------------------------------------------------------------------------


def _default_owner(engagement: Engagement, side: str) -> User | None:
    """Who owns a default step at first: the first account manager on the provider's side; the
    client's escalation contact, else its first active admin, on the client's."""
    if side == Side.PROVIDER:
        return engagement.account_managers.filter(is_active=True).order_by("id").first()
    contact = engagement.escalation_contact
    if contact is not None and contact.is_active:
        return contact
    return (
        User.objects.filter(organization_id=engagement.client_id, role=User.Role.CLIENT_ADMIN, is_active=True)
        .order_by("id")
        .first()
    )


def implementation_checklist_create(*, engagement: Engagement) -> int:
    """Give ``engagement`` the default steps it does not have yet (by their key, so calling again
    adds nothing), due from its start (or today); returns how many were added."""
    existing = set(engagement.implementation_tasks.exclude(key="").values_list("key", flat=True))
    missing = [task for task in DEFAULT_TASKS if task.key not in existing]
    if not missing:
        return 0
    start = engagement.started_on or engagement_today(engagement)
    owners = {side: _default_owner(engagement, side) for side in Side.values}
    now = timezone.now()
    tasks = []
    for position, default in enumerate(DEFAULT_TASKS, start=1):
        if default.key not in {task.key for task in missing}:
            continue
        due_on = start + timedelta(days=default.due_in_days)
        tasks.append(
            ImplementationTask(
                engagement=engagement,
                key=default.key,
                title=default.title,
                notes=default.notes,
                owner_side=default.owner_side,
                owner=owners[default.owner_side],
                position=position * 10,
                due_on=due_on,
                created_at=now,
                updated_at=now,
                **date_ladder(engagement=engagement, due_on=due_on),
            )
        )
    # The unique (engagement, key) constraint is the guard against a concurrent second call.
    created = ImplementationTask.objects.bulk_create(tasks, ignore_conflicts=True)
    return len(created)


# --- Checks ----------------------------------------------------------------------------------------


def side_organization_id(engagement: Engagement, side: str) -> int:
    return engagement.client_id if side == Side.CLIENT else engagement.provider_id


def _check(values: dict, *, engagement: Engagement, errors: dict) -> None:
    if "title" in values:
        title = (values["title"] or "").strip()
        if not title:
            errors["title"] = TITLE_REQUIRED
        elif len(title) > 200:
            errors["title"] = "Keep the title under 200 characters."
    if "notes" in values and len(values["notes"] or "") > 5000:
        errors["notes"] = "Keep the notes under 5,000 characters."
    side = values.get("owner_side")
    if side not in Side.values:
        errors["owner_side"] = "Choose the provider's side or the client's."
        return
    owner = values.get("owner")
    if owner is not None:
        side_name = engagement.client.name if side == Side.CLIENT else engagement.provider.name
        if not owner.is_active or owner.organization_id != side_organization_id(engagement, side):
            errors["owner"] = f"Choose an active person of {side_name}, the side that owns the task."
        elif not engagement_list(user=owner).filter(pk=engagement.pk).exists():
            errors["owner"] = f"{owner.display_name} does not work on this engagement: choose someone who does."
    if values.get("due_on") is not None:
        try:
            require_sane_dates(due_on=values["due_on"])
        except ValidationError as error:
            errors.update(error.message_dict)


def _ladder_for(task: ImplementationTask) -> dict:
    if task.completed_at is None and task.due_on is not None:
        return date_ladder(engagement=task.engagement, due_on=task.due_on)
    return dict(LADDER_NONE)


def _locked(task: ImplementationTask) -> ImplementationTask:
    current = ImplementationTask.objects.select_for_update(of=("self",)).select_related("owner").get(pk=task.pk)
    current.engagement = task.engagement  # with its prefetched account managers
    return current


# --- Add, edit, move, delete ------------------------------------------------------------------------


def implementation_task_create(
    *,
    actor: User,
    engagement: Engagement,
    title: str,
    owner_side: str,
    owner: User | None = None,
    due_on: date | None = None,
    notes: str = "",
) -> ImplementationTask:
    """Add a task at the end of the checklist. The same title added again within a few minutes
    (a double click, Back and send again) is the same task: the first is returned."""
    policies.require(policies.can_change_checklist(actor, engagement), policies.MAY_NOT_CHANGE_CHECKLIST)
    values = {"title": title, "notes": notes or "", "owner_side": owner_side, "owner": owner, "due_on": due_on}
    errors: dict[str, str] = {}
    _check(values, engagement=engagement, errors=errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        Engagement.objects.select_for_update().filter(pk=engagement.pk).first()  # one add at a time
        repeat = ImplementationTask.objects.filter(
            engagement_id=engagement.pk, title=title.strip(), created_at__gte=now - REPEAT_WINDOW
        ).first()
        if repeat is not None:
            return repeat
        last = ImplementationTask.objects.filter(engagement_id=engagement.pk).aggregate(last=Max("position"))["last"]
        task = ImplementationTask(
            engagement=engagement,
            title=title.strip(),
            notes=(notes or "").strip(),
            owner_side=owner_side,
            owner=owner,
            due_on=due_on,
            position=(last or 0) + 10,
            created_at=now,
            updated_at=now,
        )
        for field, value in _ladder_for(task).items():
            setattr(task, field, value)
        task.save()
        engagement_changed(engagement.pk)
    return task


def implementation_task_update(*, actor: User, task: ImplementationTask, **changes) -> ImplementationTask:
    """Edit a task's title, notes, owner side, owner or due date (the fields given). A new due date
    or owner restarts its chase from the due date (while it is open)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    engagement = task.engagement
    policies.require(policies.can_change_checklist(actor, engagement), policies.MAY_NOT_CHANGE_CHECKLIST)
    with transaction.atomic():
        current = _locked(task)
        values = {field: changes.get(field, getattr(current, field)) for field in EDITABLE_FIELDS}
        errors: dict[str, str] = {}
        # Only what changes is checked (an owner who left the engagement since does not block a new title).
        checked = {
            field: value
            for field, value in values.items()
            if field == "owner_side" or (field in changes and value != getattr(current, field))
        }
        if "owner_side" in changes and "owner" not in checked and current.owner is not None:
            checked["owner"] = values["owner"]
        _check(checked, engagement=engagement, errors=errors)
        if errors:
            raise ValidationError(errors)
        changed = []
        for field in changes:
            value = values[field].strip() if isinstance(values[field], str) else values[field]
            if value != getattr(current, field):
                setattr(current, field, value)
                changed.append(field)
        if not changed:
            return current
        fields = list(changed)
        if {"owner", "due_on"} & set(changed) and current.completed_at is None:
            for field, value in _ladder_for(current).items():
                setattr(current, field, value)
                fields.append(field)
        current.updated_at = timezone.now()
        current.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
        engagement_changed(engagement.pk)
    return current


def implementation_task_move(*, actor: User, task: ImplementationTask, direction: str) -> bool:
    """Move a task one place ``up`` or ``down`` the checklist; False when it is already there."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move a task up or down."})
    engagement = task.engagement
    policies.require(policies.can_change_checklist(actor, engagement), policies.MAY_NOT_CHANGE_CHECKLIST)
    with transaction.atomic():
        tasks = list(
            ImplementationTask.objects.select_for_update()
            .filter(engagement_id=engagement.pk)
            .order_by("position", "id")
            .only("id", "position")
        )
        index = next((number for number, row in enumerate(tasks) if row.pk == task.pk), None)
        if index is None:
            return False
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(tasks):
            return False
        tasks[index], tasks[other] = tasks[other], tasks[index]
        for position, row in enumerate(tasks, start=1):
            row.position = position * 10
        ImplementationTask.objects.bulk_update(tasks, ["position"])
        engagement_changed(engagement.pk)
    return True


def implementation_task_delete(*, actor: User, task: ImplementationTask) -> bool:
    """Delete a task (its reminders go with it); False when it was already gone."""
    policies.require(policies.can_change_checklist(actor, task.engagement), policies.MAY_NOT_CHANGE_CHECKLIST)
    deleted, _ = ImplementationTask.objects.filter(pk=task.pk).delete()
    if deleted:
        engagement_changed(task.engagement_id)
    return bool(deleted)


# --- Done, reopened -------------------------------------------------------------------------------


def implementation_task_complete(*, actor: User, task: ImplementationTask) -> bool:
    """Mark a task done (now, by ``actor``): its chase stops and its reminders not yet sent are
    skipped. False when it was done already (a double click): nothing changes."""
    policies.require(policies.can_complete_task(actor, task), policies.MAY_NOT_COMPLETE_TASK)
    now = timezone.now()
    with transaction.atomic():
        done = ImplementationTask.objects.filter(pk=task.pk, completed_at__isnull=True).update(
            completed_at=now, completed_by=actor, updated_at=now, **LADDER_NONE
        )
        if not done:
            return False
        task.completed_at, task.completed_by = now, actor
        implementation_task_closed.send(sender=ImplementationTask, task=task)
        engagement_changed(task.engagement_id)
    return True


def implementation_task_reopen(*, actor: User, task: ImplementationTask) -> bool:
    """Reopen a done task: it is chased again from its due date. False when it was open already."""
    policies.require(policies.can_complete_task(actor, task), policies.MAY_NOT_COMPLETE_TASK)
    with transaction.atomic():
        current = _locked(task)
        if current.completed_at is None:
            return False
        current.completed_at = None
        current.completed_by = None
        ladder = _ladder_for(current)
        for field, value in ladder.items():
            setattr(current, field, value)
        current.updated_at = timezone.now()
        current.save(update_fields=["completed_at", "completed_by", *ladder, "updated_at"])
        task.completed_at = None
        engagement_changed(task.engagement_id)
    return True


# --- Handover ------------------------------------------------------------------------------------


def implementation_tasks_held_q(*, user_ids) -> Q:
    """The open tasks owned by any of ``user_ids`` (what a deactivated person hands over)."""
    return Q(owner_id__in=user_ids, completed_at__isnull=True)


def implementation_tasks_hand_over(*, user: User, to: User, at=None) -> list[int]:
    """The open tasks ``user`` owns are owned by ``to`` from now on (``user`` is being deactivated;
    ``accounts.services.user_deactivate`` checked who ``to`` may be: a colleague of the same
    organisation, so of the same side). Each keeps its due date and ladder; the next level the sweep
    records goes to ``to`` (``partnership.implementation_chase`` re-addresses those recorded but not
    sent). Returns the ids of the tasks moved."""
    at = at or timezone.now()
    tasks = list(
        ImplementationTask.objects.select_for_update()
        .filter(implementation_tasks_held_q(user_ids=[user.pk]))
        .order_by("pk")
        .values_list("pk", "engagement_id")
    )
    if not tasks:
        return []
    ids = [pk for pk, _ in tasks]
    ImplementationTask.objects.filter(pk__in=ids).update(owner=to, updated_at=at)
    engagement_changed(*{engagement_id for _, engagement_id in tasks})
    return ids
