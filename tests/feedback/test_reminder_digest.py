"""A user on digest mode gets no single reminders and one email a day at 08:00 their time."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from feedback.links import read_token
from feedback.models import AvailabilityRequest, Digest, FeedbackRequest, Reminder
from feedback.services import feedback_request_open
from tests import factories

from .reminder_kit import BERLIN, at, backdate_assignments, chased_request, digests, sweep

NOON_IN_BERLIN = at(2026, 1, 14, 12, zone=BERLIN)
NEXT_MORNING = at(2026, 1, 15, 8, zone=BERLIN)


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


@pytest.fixture
def reader(world):
    """The Globex hiring manager (Berlin) reads a daily digest."""
    person = world.globex_hiring_manager
    person.notification_preference = User.NotificationPreference.DIGEST
    person.save()
    return person


def test_a_digest_reader_gets_one_morning_email_listing_everything_open(
    world, reader, django_capture_on_commit_callbacks
):
    overdue = chased_request(
        requisition=world.globex_requisition,
        remind_at=NOON_IN_BERLIN - timedelta(hours=8),
        due_at=NOON_IN_BERLIN - timedelta(hours=1),
        escalate_at=NEXT_MORNING + timedelta(days=3),
    )
    slots = chased_request(
        requisition=world.globex_requisition,
        remind_at=NEXT_MORNING + timedelta(hours=2),
        due_at=NEXT_MORNING + timedelta(hours=6),
        model=AvailabilityRequest,
    )
    with time_machine.travel(NOON_IN_BERLIN, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            fresh = feedback_request_open(
                submission=factories.SubmissionFactory(requisition=world.globex_requisition, stage="hm_review"),
                kind=FeedbackRequest.Kind.RESUME_REVIEW,
                requested_of=reader,
            )
        sweep()
    assert mail.outbox == []
    assert set(Reminder.objects.values_list("level", "status")) == {
        ("requested", "in_digest"),
        ("due_soon", "skipped"),
        ("overdue", "in_digest"),
    }

    with time_machine.travel(NEXT_MORNING - timedelta(minutes=5), tick=False):
        digests()
    assert mail.outbox == []

    with time_machine.travel(NEXT_MORNING, tick=False):
        digests()
        sweep()
    with time_machine.travel(NEXT_MORNING + timedelta(minutes=5), tick=False):
        digests()
        links = [word for word in mail.outbox[0].body.split() if "/r/" in word]
        targets = {(target.kind, target.request_id, target.user_id) for target in map(_target, links)}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reader.email]
    assert "3 requests waiting on you" in message.subject
    html = message.alternatives[0].content
    assert targets == {
        ("feedback", overdue.pk, reader.pk),
        ("availability", slots.pk, reader.pk),
        ("feedback", fresh.pk, reader.pk),
    }
    for request in (overdue, slots, fresh):
        assert request.submission.candidate.full_name in html
    assert "Past due since Wed 14 Jan 2026, 11:00 CET" in message.body

    digest = Digest.objects.get(user=reader)
    assert digest.local_date == NEXT_MORNING.date()
    assert digest.item_count == 3
    assert digest.sent_at == NEXT_MORNING
    assert set(Reminder.objects.filter(status="in_digest")) == set()
    assert Reminder.objects.filter(status="sent", sent_at=NEXT_MORNING).count() == 2


def _target(url):
    return read_token(url.rstrip("/").rsplit("/", 1)[-1])


def test_the_digest_runs_in_each_readers_own_morning(world, reader):
    new_yorker = world.hiring_manager
    new_yorker.notification_preference = User.NotificationPreference.DIGEST
    new_yorker.save()
    for requisition in (world.globex_requisition, world.requisition):
        chased_request(requisition=requisition, remind_at=NEXT_MORNING + timedelta(days=1))
    with time_machine.travel(NEXT_MORNING, tick=False):  # 02:00 in New York
        digests()
    assert [message.to for message in mail.outbox] == [[reader.email]]
    with time_machine.travel(at(2026, 1, 15, 8, 10, zone=new_yorker.zone), tick=False):
        digests()
    assert [message.to for message in mail.outbox] == [[reader.email], [new_yorker.email]]


def test_nothing_open_means_no_digest(world, reader):
    with time_machine.travel(NEXT_MORNING, tick=False):
        digests()
    assert mail.outbox == []
    assert not Digest.objects.exists()


def test_a_digest_already_sent_today_is_not_sent_again_by_a_second_task(world, reader):
    chased_request(requisition=world.globex_requisition, remind_at=NEXT_MORNING + timedelta(days=1))
    from feedback import reminders

    with time_machine.travel(NEXT_MORNING, tick=False):
        first = reminders.digests_prepare(now=NEXT_MORNING)
        second = reminders.digests_prepare(now=NEXT_MORNING)
        assert first == second
        assert [reminders.digest_deliver(digest_id=first[0]) for _ in range(2)] == ["sent", "not_claimed"]
    assert len(mail.outbox) == 1
    assert Digest.objects.count() == 1
