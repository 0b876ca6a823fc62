"""On Monday from 09:00 in the engagement's zone, its account managers and the client's admins get one
summary of the previous week each, celebrating what went well and listing what is open: once per
engagement and week, however many beat runs overlap, and never on a Tuesday."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection

from engagements.models import Engagement, Requisition
from feedback.models import RequestStatus
from partnership.models import PartnershipItem
from partnership.tasks import send_weekly_summaries
from partnership.weekly_summary import WEEKLY_SUMMARY_EMAIL, weekly_summaries_enqueue
from rpo_portal.models import OutboundEmail
from tests import factories

# Monday 16 March 2026: 09:05 in New York (Acme), 14:05 in Berlin (Globex). The week summed up is
# Monday 9 to Sunday 15 March.
MONDAY_0905_NEW_YORK = datetime(2026, 3, 16, 13, 5, tzinfo=UTC)
IN_THE_WEEK = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)


def _acme_summaries():
    return [message for message in mail.outbox if "Acme partnership" in message.subject]


def _week_with_news(world):
    win = PartnershipItem.objects.create(
        kind="win",
        engagement=world.acme_engagement,
        title="Offer accepted in a day",
        what_happened="The candidate said yes the morning after.",
        status="",
        raised_by=world.client_admin,
        created_at=IN_THE_WEEK,
    )
    win.thanked.set([world.recruiter])
    requisition = world.requisition
    requisition.opened_on = date(2026, 1, 5)
    requisition.status = Requisition.Status.FILLED
    requisition.filled_on = date(2026, 3, 12)
    requisition.save()
    factories.FeedbackRequestFactory(
        submission__requisition=world.other_requisition,
        requested_of=world.other_hiring_manager,
        created_at=IN_THE_WEEK,
        status=RequestStatus.ANSWERED,
        answered_at=IN_THE_WEEK + timedelta(hours=3),
    )
    PartnershipItem.objects.create(
        kind="issue",
        engagement=world.acme_engagement,
        title="Job descriptions arrive without salary bands",
        what_happened="Three roles this month.",
        owner=world.client_admin,
        due_on=date(2026, 3, 20),
        status="resolved",
        resolution="Bands are now part of the intake form.",
        closed_at=IN_THE_WEEK,
    )
    PartnershipItem.objects.create(
        kind="issue",
        engagement=world.acme_engagement,
        title="Interview panels hard to book",
        what_happened="Panels take two weeks to find.",
        owner=world.hiring_manager,
        due_on=date(2026, 3, 27),
        status="open",
    )


def test_each_recipient_gets_one_summary_even_when_two_runs_overlap(
    world, time_machine, django_capture_on_commit_callbacks
):
    _week_with_news(world)
    time_machine.move_to(MONDAY_0905_NEW_YORK, tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_summaries.delay()
        send_weekly_summaries.delay()
    time_machine.move_to(MONDAY_0905_NEW_YORK + timedelta(minutes=15), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_summaries.delay()

    summaries = _acme_summaries()
    assert sorted(address for message in summaries for address in message.to) == sorted(
        [world.account_manager.email, world.client_admin.email]
    )
    key = f"weekly-summary:{world.acme_engagement.pk}:2026-03-09:{world.account_manager.pk}"
    assert OutboundEmail.objects.filter(key=key, status=OutboundEmail.Status.SENT).count() == 1
    body = summaries[0].body
    assert "Mon 9 Mar – Sun 15 Mar" in body
    assert "Offer accepted in a day (thank you, Rita)" in body
    assert f"{world.requisition.code} {world.requisition.title}, filled Thu 12 Mar" in body
    assert f"{world.other_hiring_manager.display_name}: typically 3 hours" in body
    assert "Job descriptions arrive without salary bands" in body
    assert "Bands are now part of the intake form." in body
    assert f"Interview panels hard to book: {world.hiring_manager.display_name}, due Fri 27 Mar" in body
    assert "quiet week" not in body
    assert "1 win" in summaries[0].subject


def test_a_quiet_week_says_so(world, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(MONDAY_0905_NEW_YORK, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_summaries.delay()

    [summary, *_] = _acme_summaries()
    assert "a quiet week" in summary.subject
    assert "A quiet week" in summary.body
    assert "No open issues" in summary.body


def test_nothing_goes_before_nine_on_monday_or_on_tuesday(world, time_machine):
    time_machine.move_to(MONDAY_0905_NEW_YORK - timedelta(minutes=10), tick=False)  # 08:55 in New York
    weekly_summaries_enqueue()
    assert not OutboundEmail.objects.filter(kind=WEEKLY_SUMMARY_EMAIL, recipient=world.account_manager).exists()

    time_machine.move_to(MONDAY_0905_NEW_YORK + timedelta(days=1), tick=False)  # Tuesday
    assert weekly_summaries_enqueue() == 0
    assert not OutboundEmail.objects.filter(kind=WEEKLY_SUMMARY_EMAIL, recipient=world.account_manager).exists()


def test_a_missed_morning_is_caught_up_later_that_monday(world, time_machine):
    time_machine.move_to(MONDAY_0905_NEW_YORK + timedelta(hours=8), tick=False)  # 17:05 in New York

    weekly_summaries_enqueue()

    assert OutboundEmail.objects.filter(kind=WEEKLY_SUMMARY_EMAIL, recipient=world.account_manager).count() == 1


def test_an_ended_engagement_gets_no_summary(world, time_machine):
    Engagement.objects.filter(pk=world.acme_engagement.pk).update(status=Engagement.Status.ENDED)
    time_machine.move_to(MONDAY_0905_NEW_YORK, tick=False)

    weekly_summaries_enqueue()

    assert not OutboundEmail.objects.filter(kind=WEEKLY_SUMMARY_EMAIL, recipient=world.account_manager).exists()
    assert OutboundEmail.objects.filter(kind=WEEKLY_SUMMARY_EMAIL, recipient=world.globex_admin).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_record_each_summary_once(world, time_machine):
    time_machine.move_to(MONDAY_0905_NEW_YORK, tick=False)
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait(timeout=10)
            weekly_summaries_enqueue()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    keys = list(OutboundEmail.objects.filter(kind=WEEKLY_SUMMARY_EMAIL).values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 3  # Acme's account manager and admin, Globex's admin
