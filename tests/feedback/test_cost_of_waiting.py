"""The cost of waiting: candidates bucketed by their longest wait for feedback in business days of
the engagement's calendar (holidays included), the 10-candidate threshold, and the one line in
reminder emails only when every bucket holds enough candidates."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from celery.signals import beat_init
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import Engagement, Submission
from feedback.cost_of_waiting import CACHE_SECONDS, compute_cost_of_waiting, cost_of_waiting
from feedback.tasks import refresh_costs_of_waiting
from tests.partnership.scorecard_history import feedback_request, requisition, submission

from .reminder_kit import backdate_assignments, chased_request, sweep

Stage = Submission.Stage
# Monday 1 June 2026, 09:00 in New York (the Acme engagement's zone, 09:00–17:00 Mon–Fri): 13:00 UTC.
OPENED = datetime(2026, 6, 1, 13, tzinfo=UTC)
NOW = datetime(2026, 7, 1, 16, tzinfo=UTC)


def _candidate(requisition_row, opened, answered, withdrawn=False):
    """One candidate with one feedback request opened at ``opened`` and answered at ``answered``
    (None: still open), withdrawn (with a reason) a day after the answer or ``opened``."""
    moves = [(Stage.HM_REVIEW, opened)]
    if withdrawn:
        moves.append((Stage.WITHDRAWN, (answered or opened) + timedelta(days=1)))
    sub = submission(requisition_row, opened - timedelta(minutes=5), *moves)
    feedback_request(sub, requisition_row.hiring_manager, opened, opened + timedelta(days=1), answered=answered)
    return sub


@pytest.fixture
def req(world):
    return requisition(world.acme_engagement, "WAIT-1", world.hiring_manager, date(2026, 5, 1))


def _buckets(world):
    cost = compute_cost_of_waiting(engagement=world.acme_engagement, now=NOW)
    return {bucket.key: (bucket.candidates, bucket.withdrawn) for bucket in cost.buckets}


def test_a_business_day_is_the_calendars_working_day_and_its_boundaries_fall_in_the_longer_bucket(world, req):
    _candidate(req, OPENED, OPENED + timedelta(hours=7, minutes=59))  # under 1 business day
    _candidate(req, OPENED, OPENED + timedelta(hours=8))  # exactly one business day (Monday 17:00): 1 to 3
    _candidate(req, OPENED, OPENED + timedelta(days=2, hours=8))  # Wednesday 17:00: exactly three: 1 to 3
    _candidate(req, OPENED, OPENED + timedelta(days=3, minutes=1))  # Thursday 09:01: over 3
    # Friday 16:00 to Monday 12:00 (New York): 1 + 3 = 4 business hours, under a day over a weekend.
    _candidate(req, datetime(2026, 6, 5, 20, tzinfo=UTC), datetime(2026, 6, 8, 16, tzinfo=UTC))

    assert _buckets(world) == {"under_1": (2, 0), "1_to_3": (2, 0), "over_3": (1, 0)}


@pytest.mark.parametrize(("country", "bucket"), [("", "1_to_3"), ("US", "under_1")])
def test_a_public_holiday_is_not_a_business_day_of_waiting(world, req, country, bucket):
    engagement = world.acme_engagement
    engagement.country = country
    engagement.save()
    # Friday 22 May 13:00 in New York to Tuesday 26 May 12:00: 4 + 3 business hours in the US
    # (Monday 25 May is Memorial Day), 4 + 8 + 3 without a country.
    _candidate(req, datetime(2026, 5, 22, 17, tzinfo=UTC), datetime(2026, 5, 26, 16, tzinfo=UTC))

    assert _buckets(world)[bucket] == (1, 0)


def test_a_candidate_counts_once_in_the_bucket_of_their_longest_wait(world, req):
    sub = _candidate(req, OPENED, OPENED + timedelta(hours=1), withdrawn=True)
    later = OPENED + timedelta(days=7)
    feedback_request(
        sub, world.other_hiring_manager, later, later + timedelta(days=1), answered=later + timedelta(days=5)
    )

    assert _buckets(world) == {"under_1": (0, 0), "1_to_3": (0, 0), "over_3": (1, 1)}


def test_a_request_still_open_waits_until_now(world, req):
    _candidate(req, NOW - timedelta(hours=2), None)  # Wednesday 1 July, 10:00 to 12:00 in New York
    _candidate(req, OPENED, None)
    assert _buckets(world) == {"under_1": (1, 0), "1_to_3": (0, 0), "over_3": (1, 0)}


def _history(req, *, fast, fast_withdrawn, middle, slow, slow_withdrawn):
    for number in range(fast):
        _candidate(req, OPENED, OPENED + timedelta(hours=2), withdrawn=number < fast_withdrawn)
    for _ in range(middle):
        _candidate(req, OPENED, OPENED + timedelta(days=2))
    for number in range(slow):
        _candidate(req, OPENED, OPENED + timedelta(days=7), withdrawn=number < slow_withdrawn)


def test_nine_candidates_are_too_few_and_ten_are_enough(world, req):
    _history(req, fast=10, fast_withdrawn=1, middle=10, slow=9, slow_withdrawn=3)
    cost = compute_cost_of_waiting(engagement=world.acme_engagement, now=NOW)
    fast, middle, slow = cost.buckets
    assert (fast.enough, fast.share, fast.display) == (True, 10.0, "10% withdrew (1 of 10)")
    assert (middle.enough, middle.share, middle.display) == (True, 0.0, "0% withdrew (0 of 10)")
    assert (slow.enough, slow.share, slow.display) == (False, None, "Too few candidates (9; 10 needed)")
    assert not cost.enough
    assert cost.nudge_line == ""

    _candidate(req, OPENED, OPENED + timedelta(days=7))
    cost = compute_cost_of_waiting(engagement=world.acme_engagement, now=NOW)
    assert cost.buckets[-1].display == "30% withdrew (3 of 10)"
    assert cost.nudge_line == (
        "At Acme, candidates who waited over 3 business days for feedback withdrew 3× as often as those who "
        "heard within a day."
    )


def test_no_line_when_waiting_longer_did_not_go_with_more_withdrawals(world, req):
    _history(req, fast=10, fast_withdrawn=3, middle=10, slow=10, slow_withdrawn=3)
    assert compute_cost_of_waiting(engagement=world.acme_engagement, now=NOW).nudge_line == ""


def test_only_the_last_180_days_and_withdrawals_by_then_count(world, req):
    _candidate(req, NOW - timedelta(days=181), NOW - timedelta(days=181) + timedelta(hours=1))  # too old
    withdrawn_later = _candidate(req, OPENED, OPENED + timedelta(hours=1), withdrawn=True)
    Submission.objects.filter(pk=withdrawn_later.pk).update(stage_changed_at=NOW + timedelta(days=1))

    assert _buckets(world) == {"under_1": (1, 0), "1_to_3": (0, 0), "over_3": (0, 0)}


# --- the line in reminder emails ---------------------------------------------------------------------


def _reminders_of(world):
    """A due-soon and an overdue reminder, and an escalation, about a feedback request, at NOW."""
    backdate_assignments()
    chased_request(requisition=world.requisition, remind_at=NOW, due_at=NOW + timedelta(hours=4))
    chased_request(
        requisition=world.requisition,
        remind_at=NOW - timedelta(days=3),
        due_at=NOW - timedelta(days=2),
        escalate_at=NOW,
    )
    with time_machine.travel(NOW, tick=False):
        sweep()
    return list(mail.outbox)


LINE = "At Acme, candidates who waited over 3 business days for feedback withdrew 3× as often"


def test_reminders_and_escalations_carry_the_line_when_the_history_supports_it(world, req):
    _history(req, fast=10, fast_withdrawn=1, middle=10, slow=10, slow_withdrawn=3)
    messages = _reminders_of(world)

    subjects = [message.subject for message in messages]
    assert any(subject.startswith("A friendly reminder") for subject in subjects)
    assert any(subject.startswith("Could you help?") for subject in subjects)
    for message in messages:
        assert LINE in message.body, message.subject
        assert LINE in message.alternatives[0].content


def test_no_line_when_a_bucket_has_too_few_candidates(world, req):
    _history(req, fast=10, fast_withdrawn=1, middle=10, slow=9, slow_withdrawn=3)
    messages = _reminders_of(world)

    assert messages
    for message in messages:
        assert "withdrew" not in message.body
        assert "withdrew" not in message.alternatives[0].content


def test_the_line_is_computed_once_for_many_reminders(world, req):
    _history(req, fast=10, fast_withdrawn=1, middle=10, slow=10, slow_withdrawn=3)
    backdate_assignments()
    for _ in range(6):
        chased_request(requisition=world.requisition, remind_at=NOW, due_at=NOW + timedelta(hours=4))
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        sweep()

    assert len(mail.outbox) == 6
    assert all(message.body.count(LINE) == 1 for message in mail.outbox)
    reading_the_waits = [
        query["sql"]
        for query in queries
        if 'FROM "feedback_feedbackrequest"' in query["sql"]
        and '"engagements_submission"."stage_changed_at"' in query["sql"]
    ]
    assert len(reading_the_waits) == 1  # once for the engagement, not once per email


def _reads_the_waits(queries) -> int:
    return sum(
        1
        for query in queries
        if 'FROM "feedback_feedbackrequest"' in query["sql"]
        and '"engagements_submission"."stage_changed_at"' in query["sql"]
    )


def test_the_beat_keeps_each_engagements_cost_of_waiting_so_no_page_computes_it(world, req):
    """The refresh computes it ahead: the scorecard then reads it without reading 180 days of
    requests; a withdrawal since shows at the next refresh; an ended engagement is left alone."""
    _history(req, fast=10, fast_withdrawn=1, middle=10, slow=10, slow_withdrawn=3)
    ended = world.globex_engagement
    ended.status = Engagement.Status.ENDED
    ended.save(update_fields=["status"])

    with time_machine.travel(NOW, tick=False):
        refreshed = refresh_costs_of_waiting.apply().get()
        with CaptureQueriesContext(connection) as queries:
            kept = cost_of_waiting(engagement=world.acme_engagement)
        assert _reads_the_waits(queries) == 0
        assert kept.nudge_line.startswith(LINE)
        assert refreshed == Engagement.objects.exclude(status=Engagement.Status.ENDED).count()

        # Another slow candidate withdraws: the kept value is the refresh's until the next one.
        _candidate(req, OPENED, OPENED + timedelta(days=4), withdrawn=True)
        assert cost_of_waiting(engagement=world.acme_engagement) == kept
        refresh_costs_of_waiting.apply()
        slow = cost_of_waiting(engagement=world.acme_engagement).buckets[-1]
        assert (slow.candidates, slow.withdrawn) == (11, 4)

        # The ended engagement was not computed: asking for it now reads its requests.
        with CaptureQueriesContext(connection) as queries:
            cost_of_waiting(engagement=ended)
        assert _reads_the_waits(queries) == 1


def test_beat_computes_the_costs_as_it_starts_not_one_interval_later(world, req):
    """An interval entry first runs one interval (20 minutes) after beat starts: the refresh is
    also sent as it starts, so the first scorecard after a deploy does not compute it."""
    _history(req, fast=10, fast_withdrawn=1, middle=10, slow=10, slow_withdrawn=3)
    with time_machine.travel(NOW, tick=False):
        beat_init.send(sender=None)
        with CaptureQueriesContext(connection) as queries:
            kept = cost_of_waiting(engagement=world.acme_engagement)
    assert _reads_the_waits(queries) == 0
    assert kept.nudge_line.startswith(LINE)


def test_the_refresh_comes_before_the_kept_value_expires():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("refresh_costs_of_waiting"))
    assert entry["schedule"] < CACHE_SECONDS
