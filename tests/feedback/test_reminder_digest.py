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


# --- Each reader's own digest hour (issue 12) -------------------------------------------------------

BERLIN_FIVE_PM = at(2026, 1, 15, 17, zone=BERLIN)


def _choose_digest_hour(person, hour):
    User.objects.filter(pk=person.pk).update(digest_hour=hour)


def test_a_reader_gets_their_digest_at_their_own_hour_not_the_operators(world, reader):
    _choose_digest_hour(reader, 17)
    chased_request(requisition=world.globex_requisition, remind_at=NEXT_MORNING + timedelta(days=1))

    with time_machine.travel(NEXT_MORNING, tick=False):  # 08:00 in Berlin: the operator's DIGEST_HOUR
        digests()
    with time_machine.travel(BERLIN_FIVE_PM - timedelta(minutes=1), tick=False):
        digests()
    assert mail.outbox == []

    with time_machine.travel(BERLIN_FIVE_PM, tick=False):
        digests()
    with time_machine.travel(BERLIN_FIVE_PM + timedelta(minutes=30), tick=False):
        digests()
    assert [message.to for message in mail.outbox] == [[reader.email]]
    body = mail.outbox[0].body
    assert body.startswith("Hello ")  # not "Good morning" at five in the afternoon
    assert "You receive one summary a day, at 17:00 your time" in body
    assert "on your settings page (https://portal.example.com/account/settings/)" in body
    assert Digest.objects.get(user=reader).sent_at == BERLIN_FIVE_PM


def test_two_readers_in_one_zone_each_get_theirs_at_their_own_hour(world, reader):
    colleague = factories.UserFactory(
        organization=world.globex,
        role=User.Role.HIRING_MANAGER,
        time_zone="Europe/Berlin",
        notification_preference="digest",
    )
    _choose_digest_hour(colleague, 12)
    chased_request(requisition=world.globex_requisition, remind_at=NEXT_MORNING + timedelta(days=1))
    chased_request(
        requisition=world.globex_requisition, requested_of=colleague, remind_at=NEXT_MORNING + timedelta(days=1)
    )
    with time_machine.travel(NEXT_MORNING, tick=False):
        digests()
    assert [message.to for message in mail.outbox] == [[reader.email]]
    with time_machine.travel(at(2026, 1, 15, 12, 5, zone=BERLIN), tick=False):
        digests()
    assert [message.to for message in mail.outbox] == [[reader.email], [colleague.email]]


def test_moving_the_hour_later_the_same_day_sends_no_second_digest_that_day(world, reader):
    chased_request(requisition=world.globex_requisition, remind_at=NEXT_MORNING + timedelta(days=1))
    with time_machine.travel(NEXT_MORNING, tick=False):
        digests()
    assert len(mail.outbox) == 1
    _choose_digest_hour(reader, 17)
    with time_machine.travel(BERLIN_FIVE_PM, tick=False):
        digests()
    assert len(mail.outbox) == 1  # one digest a day: the Digest row for today is the guard
    with time_machine.travel(BERLIN_FIVE_PM + timedelta(days=1), tick=False):
        digests()
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == [reader.email]


def test_finding_whose_digest_hour_it_is_takes_the_same_queries_for_many_readers(world, django_assert_num_queries):
    from feedback import reminders

    zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Asia/Kolkata"]

    def readers(hours):
        for zone in zones:
            for hour in hours:
                person = factories.UserFactory(
                    organization=world.globex,
                    role=User.Role.HIRING_MANAGER,
                    time_zone=zone,
                    notification_preference="digest",
                )
                _choose_digest_hour(person, hour)
                chased_request(
                    requisition=world.globex_requisition,
                    requested_of=person,
                    remind_at=NEXT_MORNING + timedelta(days=3),
                )

    readers([8])
    with django_assert_num_queries(4):  # zones, readers due, insert the digests, read their ids
        assert len(reminders.digests_prepare(now=NEXT_MORNING)) == 1
    readers(range(24))  # 96 more readers, every hour in every zone
    with django_assert_num_queries(4):
        prepared = reminders.digests_prepare(now=NEXT_MORNING + timedelta(days=1))
    due = Digest.objects.filter(pk__in=prepared).select_related("user")
    # 08:00 in Berlin is 02:00 in New York, 16:00 in Tokyo and 12:30 in Kolkata.
    assert sorted((digest.user.time_zone, digest.user.digest_hour) for digest in due) == [
        ("America/New_York", 2),
        ("Asia/Kolkata", 12),
        ("Asia/Tokyo", 16),
        ("Europe/Berlin", 8),
        ("Europe/Berlin", 8),
    ]
