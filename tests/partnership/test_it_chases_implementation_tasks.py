"""A new engagement starts with the default implementation checklist, made once; an open step is
chased by the same ladder as issues: its owner is reminded on the morning of its due date and when
it is overdue, then the lead of its owner side hears, the other side copied. Each level once, and
never for a step already done."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from accounts.services import user_deactivate
from engagements.implementation import (
    DEFAULT_TASKS,
    implementation_checklist_create,
    implementation_task_complete,
    implementation_task_update,
)
from engagements.ladder import date_ladder
from engagements.models import Engagement, ImplementationTask
from engagements.services import engagement_create
from feedback import reminders
from feedback.models import Reminder
from partnership.implementation_chase import checklist_path
from partnership.ladder import issue_ladder
from tests import factories
from tests.feedback.reminder_kit import at, backdate_assignments, digests, sweep

DUE_ON = date(2026, 1, 14)  # a Wednesday; the Acme engagement keeps 09:00-17:00 in New York


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


def _task(world, *, owner, side=ImplementationTask.Side.CLIENT, due_on=DUE_ON, title="SLA sign-off"):
    engagement = world.acme_engagement
    return ImplementationTask.objects.create(
        engagement=engagement,
        title=title,
        owner=owner,
        owner_side=side,
        due_on=due_on,
        **date_ladder(engagement=engagement, due_on=due_on),
    )


def _levels(task) -> dict[str, str]:
    return dict(Reminder.objects.filter(implementation_task=task).values_list("level", "status"))


def _escalations():
    return [message for message in mail.outbox if message.subject.startswith("Could you help with an implementation")]


def test_a_new_engagement_starts_with_the_default_checklist_made_once(world):
    engagement = engagement_create(
        actor=world.provider_admin,
        provider=world.provider,
        client=factories.OrganizationFactory(name="Initech"),
        account_managers=[world.account_manager],
        name="Initech partnership",
        started_on=date(2026, 3, 2),
    )

    tasks = list(engagement.implementation_tasks.order_by("position"))
    assert [task.key for task in tasks] == [default.key for default in DEFAULT_TASKS]
    assert [task.title for task in tasks] == [
        "Kick-off meeting",
        "SLA sign-off",
        "Hiring-manager training",
        "Change-management plan, with an assessment of where resistance is expected",
        "Recruiter orientation",
        "First requisitions",
        "30-day review",
    ]
    assert tasks[0].due_on == date(2026, 3, 5)
    assert tasks[-1].due_on == date(2026, 4, 1)
    assert {task.owner_side for task in tasks} == {"provider", "client"}
    # The provider's steps go to the account manager; the client's wait for someone to be named.
    assert {task.owner for task in tasks if task.owner_side == "provider"} == {world.account_manager}
    assert all(task.next_step_at == task.remind_at for task in tasks)
    assert engagement.status == Engagement.Status.IMPLEMENTATION

    assert implementation_checklist_create(engagement=engagement) == 0
    assert engagement.implementation_tasks.count() == len(DEFAULT_TASKS)


def test_an_overdue_client_step_is_reminded_then_escalated_to_the_client_lead_each_level_once(world):
    task = _task(world, owner=world.client_admin)
    assert (task.remind_at, task.due_at, task.escalate_at) == tuple(
        issue_ladder(engagement=world.acme_engagement, due_on=DUE_ON)[field]
        for field in ("remind_at", "due_at", "escalate_at")
    )

    for moment in (task.remind_at, task.remind_at + timedelta(minutes=1)):
        with time_machine.travel(moment, tick=False):
            sweep()
    assert _levels(task) == {"due_soon": "sent"}
    [due_soon] = mail.outbox
    assert due_soon.to == [world.client_admin.email]
    assert due_soon.subject.startswith("A friendly reminder: \u201cSLA sign-off\u201d is due")
    assert checklist_path(world.acme_engagement.pk) in due_soon.body

    for moment in (task.due_at, task.due_at + timedelta(hours=1)):
        with time_machine.travel(moment, tick=False):
            sweep()
    assert _levels(task) == {"due_soon": "sent", "overdue": "sent"}
    assert mail.outbox[-1].subject == "Implementation step still open: SLA sign-off (Acme partnership)"

    for moment in (task.escalate_at, task.escalate_at + timedelta(hours=1)):
        with time_machine.travel(moment, tick=False):
            sweep()
    assert _levels(task) == {"due_soon": "sent", "overdue": "sent", "escalation": "sent"}
    [escalation] = _escalations()
    # A client step, no escalation contact: the client admins, with the account managers copied.
    assert escalation.to == [world.client_admin.email]
    assert escalation.cc == [world.account_manager.email]
    assert len(mail.outbox) == 3


def test_a_provider_step_escalates_to_the_account_managers_copying_the_client_side(world):
    task = _task(world, owner=world.recruiter, side=ImplementationTask.Side.PROVIDER, title="First requisitions")

    with time_machine.travel(task.escalate_at, tick=False):
        sweep()

    assert _levels(task) == {"overdue": "sent", "escalation": "sent"}
    assert Reminder.objects.get(implementation_task=task, level="escalation").recipient == world.account_manager
    [escalation] = _escalations()
    assert escalation.to == [world.account_manager.email]
    assert escalation.cc == [world.client_admin.email]
    assert "Rita" in escalation.body


def test_a_step_marked_done_has_its_waiting_reminders_skipped_and_is_chased_no_more(world):
    task = _task(world, owner=world.client_admin)
    reminders.record_due_steps(now=task.due_at)  # recorded, not yet sent
    assert _levels(task) == {"overdue": "pending"}

    assert implementation_task_complete(actor=world.client_admin, task=task) is True
    assert implementation_task_complete(actor=world.client_admin, task=task) is False  # a double click

    assert _levels(task) == {"overdue": "skipped"}
    with time_machine.travel(task.escalate_at, tick=False):
        sweep()
    assert _levels(task) == {"overdue": "skipped"}
    assert mail.outbox == []
    task.refresh_from_db()
    assert (task.completed_by, task.next_step_at) == (world.client_admin, None)


def test_a_step_done_after_its_level_was_claimed_for_sending_is_skipped_when_sent(world):
    task = _task(world, owner=world.client_admin)
    reminders.record_due_steps(now=task.due_at)
    ImplementationTask.objects.filter(pk=task.pk).update(completed_at=task.due_at)  # done behind the sweep's back

    with time_machine.travel(task.due_at + timedelta(minutes=1), tick=False):
        sweep()

    assert _levels(task)["overdue"] == "skipped"
    assert mail.outbox == []


def test_a_new_due_date_restarts_the_chase_for_the_new_date(world):
    task = _task(world, owner=world.client_admin)
    later = DUE_ON + timedelta(days=7)

    with time_machine.travel(at(2026, 1, 12, 12), tick=False):
        implementation_task_update(actor=world.account_manager, task=task, due_on=later)
    task.refresh_from_db()

    assert task.remind_at == date_ladder(engagement=world.acme_engagement, due_on=later)["remind_at"]
    with time_machine.travel(task.remind_at - timedelta(minutes=1), tick=False):
        sweep()
    assert _levels(task) == {}


def test_a_digest_reader_finds_their_due_steps_in_the_morning_digest(world):
    owner = world.client_admin
    owner.notification_preference = User.NotificationPreference.DIGEST
    owner.save()
    task = _task(world, owner=owner)

    with time_machine.travel(task.due_at, tick=False):
        sweep()
    assert mail.outbox == []
    assert _levels(task) == {"overdue": "in_digest"}

    with time_machine.travel(at(2026, 1, 15, owner.digest_hour, zone=owner.zone), tick=False):
        digests()
    [digest] = mail.outbox
    assert "SLA sign-off" in digest.body
    assert "Implementation steps you own that are due" in digest.body
    assert _levels(task)["overdue"] == "sent"


def test_a_deactivated_owners_open_steps_go_to_their_successor_with_their_waiting_reminders(world):
    successor = world.other_hiring_manager
    task = _task(world, owner=world.hiring_manager)
    done = _task(world, owner=world.hiring_manager, title="Kick-off")
    ImplementationTask.objects.filter(pk=done.pk).update(completed_at=task.remind_at)
    reminders.record_due_steps(now=task.due_at)

    user_deactivate(actor=world.client_admin, user=world.hiring_manager, successor=successor)

    task.refresh_from_db()
    done.refresh_from_db()
    assert task.owner == successor
    assert done.owner == world.hiring_manager
    assert Reminder.objects.get(implementation_task=task, level="overdue").recipient == successor
    with time_machine.travel(task.due_at + timedelta(minutes=1), tick=False):
        sweep()
    assert [message.to for message in mail.outbox] == [[successor.email]]
