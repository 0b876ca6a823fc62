"""The sweep as one set-based pass: each engagement's escalations go to its own people when many
engagements escalate in the same sweep, the send tasks are published in one batch, and the
benchmark's limit records exactly the rows the sweep records."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import User
from feedback import reminders
from feedback.models import Reminder, ladder_model_of
from feedback.tasks import send_reminder
from rpo_portal.celery import app as celery_app
from rpo_portal.tasks import publish_many
from tests import factories

from .reminder_kit import NEW_YORK, at, backdate_assignments, chased_request

ESCALATE = at(2026, 1, 16, 14, zone=NEW_YORK)


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


def _escalating(requisition):
    return chased_request(
        requisition=requisition,
        remind_at=ESCALATE - timedelta(days=2),
        due_at=ESCALATE - timedelta(days=1),
        escalate_at=ESCALATE,
    )


def test_one_sweep_escalates_each_engagement_to_its_own_people(world):
    champion = factories.UserFactory(organization=world.acme, role=User.Role.CLIENT_ADMIN, email="champ@acme.example")
    world.acme_engagement.escalation_contact = champion
    world.acme_engagement.save()
    quiet_client = factories.OrganizationFactory(name="Initech")
    nobody_engagement = factories.EngagementFactory(provider=world.provider, client=quiet_client)
    nobody_requisition = factories.RequisitionFactory(
        engagement=nobody_engagement,
        hiring_manager=factories.UserFactory(organization=quiet_client, role=User.Role.HIRING_MANAGER),
    )
    acme = [_escalating(world.requisition) for _ in range(3)]
    globex = [_escalating(world.globex_requisition) for _ in range(2)]
    nobody = _escalating(nobody_requisition)

    result = reminders.record_due_steps(now=ESCALATE)

    assert result.recorded == 6 * 2
    escalations = dict(
        Reminder.objects.filter(level=Reminder.Level.ESCALATION).values_list("feedback_request_id", "recipient_id")
    )
    assert escalations == {
        **{request.pk: champion.pk for request in acme},
        **{request.pk: world.globex_admin.pk for request in globex},
        nobody.pk: None,  # no client admin: the email goes to the account team (see delivery)
    }
    overdue = dict(
        Reminder.objects.filter(level=Reminder.Level.OVERDUE).values_list("feedback_request_id", "recipient_id")
    )
    assert overdue == {request.pk: request.requested_of_id for request in [*acme, *globex, nobody]}


@pytest.mark.redis
def test_publish_many_hands_every_task_to_the_broker_in_one_batch(settings):
    queue = "test_publish_many"
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with celery_app.connection_for_write() as broker:
            broker.default_channel.queue_purge(queue)
        assert publish_many(send_reminder, list(range(1, 1201)), queue=queue) == list(range(1, 1201))
        with celery_app.connection_for_write() as broker:
            channel = broker.default_channel
            first = channel.basic_get(queue)
            assert first.headers["task"] == send_reminder.name
            assert first.decode()[0] in ([1], [1200])
            assert channel.queue_purge(queue) == 1199
    finally:
        celery_app.conf.task_always_eager = eager


def test_publish_many_of_nothing_publishes_nothing():
    assert publish_many(send_reminder, []) == []


def test_when_the_broker_refuses_the_batch_no_row_is_marked_dispatched(world):
    request = chased_request(requisition=world.requisition, remind_at=ESCALATE - timedelta(hours=1))
    with time_machine.travel(ESCALATE, tick=False):
        reminders.record_due_steps(now=ESCALATE)
        assert reminders.dispatch_pending(now=ESCALATE, publish_many=lambda ids: []) == 0
    assert Reminder.objects.filter(feedback_request=request, dispatched_at__isnull=False).count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_limit_records_the_rows_the_sweep_records(world):
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    out = StringIO()
    try:
        call_command("bench_reminders", "--requests", "30", "--no-setup", stdout=out)
    finally:
        celery_app.conf.task_always_eager = eager
    report = out.getvalue()
    assert "Limit: one INSERT ... SELECT ... ON CONFLICT DO NOTHING of the same 40 rows" in report
    assert "40 reminders recorded, 30 ladders advanced" in report
    assert "Ratio of the whole sweep to the limit" in report
    assert "Worker peak resident memory" in report
    from django.db import connection

    if connection.vendor == "postgresql":
        assert "same rows as the limit: yes" in report
    assert not Reminder.objects.exists()  # the bench data is removed again


def _recorded_levels():
    return sorted(Reminder.objects.values_list("feedback_request_id", "level", "recipient_id", "status"))


def test_recording_in_ranges_of_ids_records_what_one_range_records(world, monkeypatch):
    requests = [_escalating(world.requisition) for _ in range(5)]
    reminders.record_due_steps(now=ESCALATE)
    whole = _recorded_levels()
    Reminder.objects.all().delete()
    for request in requests:  # back to the foot of the ladder
        ladder_model_of(type(request)).objects.filter(pk=request.pk).update(
            ladder_step=0, next_step_at=request.remind_at
        )

    monkeypatch.setattr(reminders.sweep, "RECORD_CHUNK", 2)
    result = reminders.record_due_steps(now=ESCALATE)

    assert result.recorded == 5 * 2
    assert result.advanced == 5
    assert _recorded_levels() == whole


@pytest.mark.django_db(transaction=True)
def test_a_sweep_cut_short_keeps_the_ranges_it_committed_and_the_next_one_goes_on(world, monkeypatch):
    """The beat's sweep has a time limit: over a million due requests the first one is stopped
    part-way. What it committed stays, and the next sweep records the rest, each level once."""
    backdate_assignments()
    requests = [_escalating(world.requisition) for _ in range(5)]
    monkeypatch.setattr(reminders.sweep, "RECORD_CHUNK", 2)
    real_advance, calls = reminders.sweep._advance_ladders, []

    def stopped_at_the_second_range(model, now, ids):
        calls.append(ids)
        if len(calls) == 2:
            raise TimeoutError("the task's soft time limit")
        return real_advance(model, now, ids)

    monkeypatch.setattr(reminders.sweep, "_advance_ladders", stopped_at_the_second_range)
    with pytest.raises(TimeoutError):
        reminders.record_due_steps(now=ESCALATE)
    first_range = {request.pk for request in requests[:2]}
    assert {request_id for request_id, *_ in _recorded_levels()} == first_range  # the second range rolled back

    monkeypatch.setattr(reminders.sweep, "_advance_ladders", real_advance)
    result = reminders.record_due_steps(now=ESCALATE)

    assert result.advanced == 3  # only the requests the first sweep did not get to
    assert len(_recorded_levels()) == 5 * 2
    assert Reminder.objects.values("feedback_request_id", "level").distinct().count() == 5 * 2
