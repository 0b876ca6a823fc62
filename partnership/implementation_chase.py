"""Overdue implementation tasks are chased by feedback's reminder engine, as issues are
(``partnership.chase``): the same ladder from the due date (``engagements.ladder.date_ladder``:
reminded the morning of the due date, overdue at its close of business, escalated
``escalation_delay_hours`` business hours later), the same ``Reminder`` rows
(``Reminder.implementation_task``, each level once per task by its unique constraint), the same
quiet hours, digest and exactly-once sending. Registered from ``PartnershipConfig.ready``.

Who hears what:

- due soon and overdue → the task's owner (a task without an owner is not reminded: its escalation
  still reaches its side's lead);
- the escalation → the lead of the task's owner side (``ImplementationTask.owner_side``), copied to
  the other side's: the client's escalation recipients (the escalation contact, else the client
  admins) for a client task, the account managers for a provider task.

A task marked done has its reminders not yet sent skipped (``implementation_task_closed``), and a
level that falls due for a done task is skipped when sending. A deactivated owner's open tasks go
to their successor with the rest of what they hold (``accounts.handover``), their pending
reminders re-addressed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Count, Exists, Q
from django.dispatch import receiver
from django.urls import reverse

from accounts.handover import register_holding
from accounts.models import User
from engagements.activity import engagement_changed
from engagements.implementation import implementation_tasks_hand_over, implementation_tasks_held_q
from engagements.models import ImplementationTask
from engagements.signals import implementation_task_closed
from feedback import notifications
from feedback.models import Reminder
from feedback.reminders.subjects import ChasedKind, register

from .dated_chase import DatedWords, dated_digest_section, dated_reminder_email, sides_escalation_people

Side = ImplementationTask.Side

# The tasks the ladder chases (the predicate of implementation_task_sweep_idx).
CHASED_Q = Q(completed_at__isnull=True)
_CHASED_SQL = "request.completed_at IS NULL"
WAITING = [Reminder.Status.PENDING, Reminder.Status.IN_DIGEST]


def checklist_path(engagement_id: int) -> str:
    """The checklist's page, for the reminder emails."""
    return reverse("partnership:implementation", kwargs={"pk": engagement_id})


def escalation_people(task: ImplementationTask, *, now: datetime) -> notifications.EscalationPeople:
    """To the lead of the task's side, copied to the other side's (the module's docstring)."""
    return sides_escalation_people(task.engagement, client_owned=task.owner_side == Side.CLIENT)


def _side_name(task: ImplementationTask) -> str:
    engagement = task.engagement
    return engagement.client.name if task.owner_side == Side.CLIENT else engagement.provider.name


def _context(task: ImplementationTask, *, zone) -> dict:
    return {
        "task": task,
        "engagement": task.engagement,
        "owner_name": notifications.display_name(task.owner) if task.owner else "",
        "owner_side": _side_name(task),
        "due_local": notifications.local_time(task.due_at, zone),
        "due_on": task.due_on,
        "checklist_url": notifications.absolute_url(checklist_path(task.engagement_id)),
    }


WORDS = DatedWords(
    template="partnership/email/task_reminder",
    escalation_subject=lambda task: (
        f"Could you help with an implementation step? {task.title} ({task.engagement.name})"
    ),
    overdue_subject=lambda task: f"Implementation step still open: {task.title} ({task.engagement.name})",
    context=lambda task, *, zone: _context(task, zone=zone),
)


def task_reminder_email(reminder: Reminder, *, now: datetime, escalation=None):
    """The owner's reminder (due soon, overdue) or the escalation to their side's lead."""
    return dated_reminder_email(reminder.implementation_task, reminder, now=now, escalation=escalation, words=WORDS)


def _due_for(user_ref, *, now: datetime):
    """The tasks a digest lists: owned, open, and due today or overdue."""
    return ImplementationTask.objects.filter(CHASED_Q, owner_id=user_ref, remind_at__lte=now)


def digest_section(user: User, *, now: datetime) -> dict | None:
    tasks = list(_due_for(user.pk, now=now).select_related("engagement").order_by("due_at", "id"))
    count = len(tasks)
    return dated_digest_section(
        tasks,
        zone=user.zone,
        now=now,
        heading="Implementation steps you own that are due",
        summary=f"{count} implementation step{'s' if count != 1 else ''} due",
        link=lambda task: checklist_path(task.engagement_id),
        link_label="Open the checklist",
    )


def _register() -> ChasedKind:
    return register(
        ChasedKind(
            reminder_field="implementation_task",
            model=ImplementationTask,
            open_q=CHASED_Q,
            open_sql=_CHASED_SQL,
            recipient_column="owner_id",
            joins_sql="",
            engagement_id_sql="request.engagement_id",
            escalation_to_sql=(
                f"CASE WHEN request.owner_side = '{Side.CLIENT}' "
                "THEN leads.client_lead_id ELSE leads.provider_lead_id END"
            ),
            select_related=("owner", "engagement__client", "engagement__provider"),
            is_open=lambda task: task.completed_at is None,
            status_of=lambda task: "done" if task.completed_at else "open",
            escalation_people=escalation_people,
            reminder_email=task_reminder_email,
            after_escalation=lambda task: engagement_changed(task.engagement_id),
            digest_has=lambda user_ref, *, now: Exists(_due_for(user_ref, now=now)),
            digest_section=digest_section,
        )
    )


TASKS = _register()


@receiver(implementation_task_closed, dispatch_uid="partnership_task_chase_stop")
def task_chase_stop(sender, *, task: ImplementationTask, **kwargs) -> int:
    """A task marked done: its reminders not yet sent (waiting, or left for a digest) are skipped."""
    return Reminder.objects.filter(implementation_task_id=task.pk, status__in=WAITING).update(
        status=Reminder.Status.SKIPPED
    )


# --- Handover ------------------------------------------------------------------------------------


def _summarize(users: Sequence[User], now: datetime) -> dict[int, tuple[int, str]]:
    rows = (
        ImplementationTask.objects.filter(implementation_tasks_held_q(user_ids=[user.pk for user in users]))
        .values("owner_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lte=now)))
        .order_by()
    )
    return {row["owner_id"]: (row["open"], f"{row['overdue']} overdue" if row["overdue"] else "") for row in rows}


def _transfer(*, actor: User, user: User, to: User, now: datetime) -> int:
    ids = implementation_tasks_hand_over(user=user, to=to, at=now)
    if ids:
        # The levels recorded but not sent yet reach the new owner (the escalation goes to the lead).
        Reminder.objects.filter(implementation_task_id__in=ids, status__in=WAITING).exclude(
            level=Reminder.Level.ESCALATION
        ).update(recipient=to, status=Reminder.Status.PENDING, dispatched_at=None)
    return len(ids)


register_holding(
    key="partnership.implementation_tasks",
    one="open implementation task they own",
    many="open implementation tasks they own",
    roles=[*User.PROVIDER_ROLES, *User.CLIENT_ROLES],
    summarize=_summarize,
    transfer=_transfer,
    order=65,
    detail_is_alert=True,
)
