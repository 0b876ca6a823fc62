"""Rules written once: where their old copies disagreed, every page and the sweep now agree.

- Overdue: a request due exactly now is overdue in the inbox, the API's ``?overdue=``, the
  scorecard (overdue now, the hiring manager's row, the engagements list's counts) and the sweep,
  which sends its "overdue" reminder at that moment; a microsecond earlier, in none of them.
- Who an escalation goes to: what the sweep records and whom the email addresses come from one rule.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User
from feedback.models import FeedbackRequest, Reminder
from feedback.selectors import inbox_for
from partnership.scorecard import engagement_scorecard, overdue_counts
from tests import factories

from .reminder_kit import NEW_YORK, at, backdate_assignments, chased_request, levels, sweep

REMIND = at(2026, 1, 14, 11, zone=NEW_YORK)  # a Wednesday morning in New York: no quiet hours
DUE = at(2026, 1, 14, 15, zone=NEW_YORK)
ESCALATE = at(2026, 1, 15, 11, zone=NEW_YORK)


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


def _overdue_everywhere(world, client_for, request) -> dict[str, object]:
    """Whether each place that shows "overdue" counts ``request`` as overdue, read at the frozen now."""
    now = timezone.now()
    engagement = world.acme_engagement
    cache.clear()  # a scorecard computed at this very moment (a cached one may be up to a minute old)
    scorecard = engagement_scorecard(engagement=engagement, days=30)
    hiring_manager_rows = {row.user.id: row for row in scorecard.hiring_managers}
    api = client_for(world.hiring_manager).get("/api/v1/feedback-requests/?overdue=1").json()
    return {
        "inbox": inbox_for(user=world.hiring_manager)["overdue"],
        "instance": request.is_overdue,
        "api": [item["id"] for item in api["results"]],
        "scorecard": scorecard.overdue_total["client"],
        "hiring manager row": hiring_manager_rows[world.hiring_manager.pk].overdue_now,
        "engagement list": overdue_counts(engagements=[engagement], now=now)[engagement.pk]["client"],
    }


def test_a_request_due_exactly_now_is_overdue_everywhere_and_the_sweep_sends_the_overdue_reminder(world, client_for):
    request = chased_request(requisition=world.requisition, remind_at=REMIND, due_at=DUE, escalate_at=ESCALATE)

    with time_machine.travel(DUE - timedelta(microseconds=1), tick=False):
        before = _overdue_everywhere(world, client_for, request)
        sweep()
        before_levels = levels(request)
    assert before == {
        "inbox": 0,
        "instance": False,
        "api": [],
        "scorecard": 0,
        "hiring manager row": 0,
        "engagement list": 0,
    }
    assert "overdue" not in before_levels

    with time_machine.travel(DUE, tick=False):
        at_due = _overdue_everywhere(world, client_for, request)
        sweep()
    assert at_due == {
        "inbox": 1,
        "instance": True,
        "api": [request.pk],
        "scorecard": 1,
        "hiring manager row": 1,
        "engagement list": 1,
    }
    assert levels(request)["overdue"] == Reminder.Status.SENT


def _admins(world, count: int) -> list[User]:
    return [
        factories.UserFactory(organization=world.acme, role=User.Role.CLIENT_ADMIN, email=f"champion{n}@acme.example")
        for n in range(count)
    ]


def test_an_escalation_goes_to_the_active_escalation_contact_in_the_record_and_the_email(world):
    contact = _admins(world, 1)[0]
    world.acme_engagement.escalation_contact = contact
    world.acme_engagement.save(update_fields=["escalation_contact"])
    request = chased_request(requisition=world.requisition, remind_at=REMIND, due_at=DUE, escalate_at=ESCALATE)

    with time_machine.travel(ESCALATE, tick=False):
        sweep()

    escalation = Reminder.objects.get(feedback_request=request, level=Reminder.Level.ESCALATION)
    assert escalation.recipient == contact
    emails = [message for message in mail.outbox if message.subject.startswith("Could you help?")]
    assert [message.to for message in emails] == [[contact.email]]


def test_a_deactivated_escalation_contact_hands_the_escalation_to_every_active_client_admin(world):
    contact, *admins = _admins(world, 3)
    world.acme_engagement.escalation_contact = contact
    world.acme_engagement.save(update_fields=["escalation_contact"])
    User.objects.filter(pk=contact.pk).update(is_active=False)
    request = chased_request(requisition=world.requisition, remind_at=REMIND, due_at=DUE, escalate_at=ESCALATE)

    with time_machine.travel(ESCALATE, tick=False):
        sweep()

    everyone = sorted([world.client_admin, *admins], key=lambda user: user.pk)
    escalation = Reminder.objects.get(feedback_request=request, level=Reminder.Level.ESCALATION)
    assert escalation.recipient == everyone[0]  # the record names the first of them
    (email,) = [message for message in mail.outbox if message.subject.startswith("Could you help?")]
    assert sorted(email.to) == sorted(person.email for person in everyone)
    assert contact.email not in email.to + email.cc


def test_the_demo_history_and_the_sweep_record_the_same_levels_at_the_same_moments(world):
    """The demo writes a request's past chase from the same ladder table the sweep uses."""
    from feedback.models import LADDER, ladder_at

    request = chased_request(requisition=world.requisition, remind_at=REMIND, due_at=DUE, escalate_at=ESCALATE)
    for moment in (REMIND, DUE, ESCALATE):
        with time_machine.travel(moment, tick=False):
            sweep()
        passed, step, _ = ladder_at(FeedbackRequest.objects.get(pk=request.pk), until=moment)
        swept = Reminder.objects.filter(feedback_request=request).exclude(level=Reminder.Level.REQUESTED)
        assert sorted(swept.values_list("level", flat=True)) == sorted(rung.level for rung in passed)
        request.ladder.refresh_from_db()
        assert request.ladder.ladder_step == step
    assert [rung.level for rung in LADDER] == ["due_soon", "overdue", "escalation"]
