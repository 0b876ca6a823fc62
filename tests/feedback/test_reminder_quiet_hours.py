"""No reminder lands at night in the recipient's own time zone: it waits for 08:00 their time."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from feedback.models import Reminder
from feedback.reminders import is_quiet, quiet_hours_end

from .reminder_kit import BERLIN, NEW_YORK, UTC, at, backdate_assignments, chased_request, outbox_to, sweep

# 20:30 UTC on a Wednesday in January: 21:30 in Berlin (quiet), 15:30 in New York (working day).
EVENING_IN_BERLIN = at(2026, 1, 14, 20, 30)
BERLIN_MORNING = at(2026, 1, 15, 8, 0, zone=BERLIN)


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


def _overdue_for(requisition):
    return chased_request(
        requisition=requisition,
        remind_at=EVENING_IN_BERLIN - timedelta(hours=6),
        due_at=EVENING_IN_BERLIN - timedelta(minutes=5),
        escalate_at=EVENING_IN_BERLIN + timedelta(days=3),
    )


def test_the_same_moment_is_evening_in_berlin_and_afternoon_in_new_york(world):
    in_berlin = _overdue_for(world.globex_requisition)
    in_new_york = _overdue_for(world.requisition)

    with time_machine.travel(EVENING_IN_BERLIN, tick=False):
        sweep()
    assert len(outbox_to(world.hiring_manager.email)) == 1
    assert outbox_to(world.globex_hiring_manager.email) == []
    waiting = Reminder.objects.get(feedback_request=in_berlin, level="overdue")
    assert waiting.status == Reminder.Status.PENDING
    assert waiting.send_after == BERLIN_MORNING
    assert Reminder.objects.get(feedback_request=in_new_york, level="overdue").status == Reminder.Status.SENT

    with time_machine.travel(BERLIN_MORNING - timedelta(minutes=1), tick=False):
        sweep()
    assert outbox_to(world.globex_hiring_manager.email) == []

    with time_machine.travel(BERLIN_MORNING, tick=False):
        sweep()
        sweep()
    assert len(outbox_to(world.globex_hiring_manager.email)) == 1
    waiting.refresh_from_db()
    assert waiting.status == Reminder.Status.SENT
    assert waiting.sent_at == BERLIN_MORNING
    assert len(mail.outbox) == 2


def test_an_escalation_waits_for_the_morning_of_the_person_it_is_addressed_to(world):
    world.globex_admin.time_zone = "Europe/Berlin"
    world.globex_admin.save()
    request = chased_request(
        requisition=world.globex_requisition,
        remind_at=EVENING_IN_BERLIN - timedelta(days=2),
        due_at=EVENING_IN_BERLIN - timedelta(days=1),
        escalate_at=EVENING_IN_BERLIN - timedelta(minutes=1),
    )
    with time_machine.travel(EVENING_IN_BERLIN, tick=False):
        sweep()
    escalation = Reminder.objects.get(feedback_request=request, level="escalation")
    assert (escalation.status, escalation.send_after) == (Reminder.Status.PENDING, BERLIN_MORNING)
    with time_machine.travel(BERLIN_MORNING, tick=False):
        sweep()
    escalation.refresh_from_db()
    assert escalation.status == Reminder.Status.SENT
    assert outbox_to(world.globex_admin.email)[0].subject.startswith("Could you help?")


@pytest.mark.parametrize(
    ("local_hour", "quiet"),
    [(7, True), (8, False), (12, False), (19, False), (20, True), (23, True), (0, True)],
)
def test_quiet_hours_are_20_to_8_local(local_hour, quiet):
    assert is_quiet(at(2026, 1, 14, local_hour, 30, zone=NEW_YORK), NEW_YORK) is quiet


def test_quiet_hours_end_is_the_next_local_morning_across_midnight_and_dst():
    assert quiet_hours_end(at(2026, 1, 14, 21, zone=NEW_YORK), NEW_YORK) == at(2026, 1, 15, 8, zone=NEW_YORK)
    assert quiet_hours_end(at(2026, 1, 15, 3, zone=NEW_YORK), NEW_YORK) == at(2026, 1, 15, 8, zone=NEW_YORK)
    # The night the clocks go forward in Berlin (29 March 2026): 08:00 CEST is 06:00 UTC.
    assert quiet_hours_end(at(2026, 3, 28, 22, zone=BERLIN), BERLIN) == at(2026, 3, 29, 6, zone=UTC)


def test_no_quiet_hours_when_start_equals_end(settings):
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = 8
    assert not is_quiet(at(2026, 1, 14, 3, zone=NEW_YORK), NEW_YORK)
