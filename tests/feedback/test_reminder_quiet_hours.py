"""No reminder lands in the recipient's own quiet hours, in their own time zone (20:00 to 08:00 unless
they chose other hours on their settings page): it waits for the end of them."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import User
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


def _person(zone=NEW_YORK, start=20, end=8) -> User:
    return User(time_zone=str(zone), quiet_hours_start=start, quiet_hours_end=end)


@pytest.mark.parametrize(
    ("local_hour", "quiet"),
    [(7, True), (8, False), (12, False), (19, False), (20, True), (23, True), (0, True)],
)
def test_quiet_hours_are_20_to_8_local_by_default(local_hour, quiet):
    person = User()  # a new account takes the operator's QUIET_HOURS_START and QUIET_HOURS_END
    person.time_zone = "America/New_York"
    assert (person.quiet_hours_start, person.quiet_hours_end) == (20, 8)
    assert is_quiet(at(2026, 1, 14, local_hour, 30, zone=NEW_YORK), person) is quiet


@pytest.mark.parametrize(
    ("local_hour", "quiet"),
    [(5, False), (6, False), (12, False), (13, True), (14, True), (15, False), (22, False)],
)
def test_quiet_hours_within_a_day_are_the_persons_own(local_hour, quiet):
    assert is_quiet(at(2026, 1, 14, local_hour, 30, zone=NEW_YORK), _person(start=13, end=15)) is quiet


def test_quiet_hours_end_is_the_next_local_morning_across_midnight_and_dst():
    new_yorker, berliner = _person(), _person(BERLIN)
    assert quiet_hours_end(at(2026, 1, 14, 21, zone=NEW_YORK), new_yorker) == at(2026, 1, 15, 8, zone=NEW_YORK)
    assert quiet_hours_end(at(2026, 1, 15, 3, zone=NEW_YORK), new_yorker) == at(2026, 1, 15, 8, zone=NEW_YORK)
    # The night the clocks go forward in Berlin (29 March 2026): 08:00 CEST is 06:00 UTC.
    assert quiet_hours_end(at(2026, 3, 28, 22, zone=BERLIN), berliner) == at(2026, 3, 29, 6, zone=UTC)
    # Someone whose quiet hours end at 06:00 hears at 06:00.
    assert quiet_hours_end(at(2026, 1, 14, 23, zone=NEW_YORK), _person(start=22, end=6)) == at(
        2026, 1, 15, 6, zone=NEW_YORK
    )


def test_no_quiet_hours_when_the_operator_sets_start_equal_to_end(settings):
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = 8
    person = User(time_zone="America/New_York")
    assert not is_quiet(at(2026, 1, 14, 3, zone=NEW_YORK), person)


# --- Each person's own quiet hours, through the sweep -----------------------------------------------


def test_a_reminder_waits_for_the_end_of_the_recipients_own_quiet_hours(world):
    """The Berlin hiring manager keeps 18:00 to 07:00 quiet; the New York one 15:00 to 16:00. At
    21:30 in Berlin (15:30 in New York) both are quiet, each until their own end hour."""
    berliner, new_yorker = world.globex_hiring_manager, world.hiring_manager
    User.objects.filter(pk=berliner.pk).update(quiet_hours_start=18, quiet_hours_end=7)
    User.objects.filter(pk=new_yorker.pk).update(quiet_hours_start=15, quiet_hours_end=16)
    in_berlin = _overdue_for(world.globex_requisition)
    in_new_york = _overdue_for(world.requisition)

    with time_machine.travel(EVENING_IN_BERLIN, tick=False):
        sweep()
    assert mail.outbox == []
    assert Reminder.objects.get(feedback_request=in_berlin, level="overdue").send_after == at(
        2026, 1, 15, 7, zone=BERLIN
    )
    assert Reminder.objects.get(feedback_request=in_new_york, level="overdue").send_after == at(
        2026, 1, 14, 16, zone=NEW_YORK
    )

    with time_machine.travel(at(2026, 1, 14, 16, zone=NEW_YORK), tick=False):
        sweep()
    assert len(outbox_to(new_yorker.email)) == 1
    assert outbox_to(berliner.email) == []

    with time_machine.travel(at(2026, 1, 15, 7, zone=BERLIN), tick=False):
        sweep()
    assert len(outbox_to(berliner.email)) == 1
    assert len(mail.outbox) == 2


def test_a_night_owl_without_evening_quiet_hours_is_reminded_in_the_evening(world):
    """Quiet hours from 01:00 to 06:00 in Berlin: at 21:30 the reminder goes at once."""
    User.objects.filter(pk=world.globex_hiring_manager.pk).update(quiet_hours_start=1, quiet_hours_end=6)
    request = _overdue_for(world.globex_requisition)
    with time_machine.travel(EVENING_IN_BERLIN, tick=False):
        sweep()
    assert len(outbox_to(world.globex_hiring_manager.email)) == 1
    assert Reminder.objects.get(feedback_request=request, level="overdue").status == Reminder.Status.SENT
