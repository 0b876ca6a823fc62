"""An open issue is chased by the same ladder as the feedback requests: its owner is reminded on the
morning of its due date and when it is overdue, then the lead of the owner's side hears, with the
other side copied. Each level once, in the recipient's waking hours, in the digest for digest
readers, and never for an issue already resolved."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from engagements.models import ImplementationTask
from feedback import reminders
from feedback.models import AvailabilityRequest, Digest, Reminder
from partnership.chase import issue_chase_stop, issue_path
from partnership.ladder import issue_ladder
from partnership.models import PartnershipItem
from tests import factories
from tests.feedback.reminder_kit import BERLIN, at, backdate_assignments, chased_request, digests, outbox_to, sweep

DUE_ON = date(2026, 1, 14)  # a Wednesday; the Acme engagement keeps 09:00-17:00 in New York


@pytest.fixture(autouse=True)
def _assignments(world):
    backdate_assignments()


def _issue(world, *, owner, engagement=None, due_on=DUE_ON, status=PartnershipItem.Status.OPEN, title=None):
    engagement = engagement or world.acme_engagement
    return PartnershipItem.objects.create(
        kind=PartnershipItem.Kind.ISSUE,
        engagement=engagement,
        title=title or "Interview slots keep moving",
        what_happened="Three interviews were moved at a day's notice this month.",
        impact="Two candidates withdrew.",
        proposed_next_step="Agree two fixed interview windows a week.",
        owner=owner,
        due_on=due_on,
        status=status,
        raised_by=world.account_manager,
        created_at=at(2026, 1, 5, 15),
        **issue_ladder(engagement=engagement, due_on=due_on),
    )


def _levels(item) -> dict[str, str]:
    return dict(Reminder.objects.filter(partnership_item=item).values_list("level", "status"))


def _escalations():
    return [message for message in mail.outbox if message.subject.startswith("Could you help move")]


def test_an_overdue_issues_ladder_sends_each_level_once_to_its_owner_then_the_client_champion(world):
    issue = _issue(world, owner=world.hiring_manager)

    for moment in (issue.remind_at, issue.remind_at + timedelta(minutes=1)):
        with time_machine.travel(moment, tick=False):
            sweep()
    assert _levels(issue) == {"due_soon": "sent"}
    [due_soon] = mail.outbox
    assert due_soon.to == [world.hiring_manager.email]
    assert due_soon.subject.startswith("A friendly reminder: \u201cInterview slots keep moving\u201d is due")
    assert "Agree two fixed interview windows a week." in due_soon.body
    assert f"/issues/{issue.pk}/" in due_soon.body
    assert issue_path(issue.pk) == f"/issues/{issue.pk}/"

    for moment in (issue.due_at, issue.due_at + timedelta(hours=1)):
        with time_machine.travel(moment, tick=False):
            sweep()
    assert _levels(issue) == {"due_soon": "sent", "overdue": "sent"}
    overdue = mail.outbox[-1]
    assert overdue.to == [world.hiring_manager.email]
    assert overdue.subject == "Still open: Interview slots keep moving (Acme partnership). Where does it stand?"
    assert "blame" not in overdue.body.lower()
    assert "fault" not in overdue.body.lower()

    for moment in (issue.escalate_at, issue.escalate_at + timedelta(hours=1)):
        with time_machine.travel(moment, tick=False):
            sweep()
    assert _levels(issue) == {"due_soon": "sent", "overdue": "sent", "escalation": "sent"}
    [escalation] = _escalations()
    # Client-owned, no escalation contact: the client admins, with the account managers copied.
    assert escalation.to == [world.client_admin.email]
    assert escalation.cc == [world.account_manager.email]
    assert Reminder.objects.get(partnership_item=issue, level="escalation").recipient == world.client_admin
    assert len(mail.outbox) == 3
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == 3


def test_a_client_owned_issue_escalates_to_the_escalation_contact_copying_the_account_managers(world):
    champion = factories.UserFactory(organization=world.acme, role=User.Role.CLIENT_ADMIN, email="champ@acme.example")
    world.acme_engagement.escalation_contact = champion
    world.acme_engagement.save()
    issue = _issue(world, owner=world.hiring_manager)

    with time_machine.travel(issue.escalate_at, tick=False):
        sweep()

    # Already past every moment: "due soon" is stale and not recorded, the owner hears it is overdue.
    assert _levels(issue) == {"overdue": "sent", "escalation": "sent"}
    assert Reminder.objects.get(partnership_item=issue, level="escalation").recipient == champion
    [escalation] = _escalations()
    assert escalation.to == [champion.email]
    assert escalation.cc == [world.account_manager.email]
    assert "owned by" in escalation.body
    assert "Acme" in escalation.body


def test_a_provider_owned_issue_escalates_to_the_account_managers_copying_the_client_side(world):
    issue = _issue(world, owner=world.recruiter)

    with time_machine.travel(issue.escalate_at, tick=False):
        sweep()

    assert Reminder.objects.get(partnership_item=issue, level="overdue").recipient == world.recruiter
    assert Reminder.objects.get(partnership_item=issue, level="escalation").recipient == world.account_manager
    assert [message.to for message in outbox_to(world.recruiter.email)] == [[world.recruiter.email]]
    [escalation] = _escalations()
    assert escalation.to == [world.account_manager.email]
    assert escalation.cc == [world.client_admin.email]


def test_an_issue_in_progress_is_chased_and_a_win_or_a_closed_issue_never_is(world):
    in_progress = _issue(world, owner=world.hiring_manager, status=PartnershipItem.Status.IN_PROGRESS)
    resolved = _issue(world, owner=world.hiring_manager, title="Resolved already")
    PartnershipItem.objects.filter(pk=resolved.pk).update(status="resolved", resolution="Fixed windows agreed.")
    PartnershipItem.objects.create(
        kind=PartnershipItem.Kind.WIN,
        engagement=world.acme_engagement,
        title="Filled early",
        what_happened="The buyer role was filled two weeks early.",
        status="",
        next_step_at=in_progress.remind_at,  # a stray value: wins are not chased whatever it says
    )

    with time_machine.travel(in_progress.due_at, tick=False):
        sweep()

    assert _levels(in_progress) == {"overdue": "sent"}
    assert Reminder.objects.filter(partnership_item__isnull=False).count() == 1
    assert len(mail.outbox) == 1


def test_two_sweeps_reading_the_same_due_set_record_each_level_once(world):
    """Both insert before either advances the ladder: the unique (issue, level) constraint keeps one row."""
    from feedback.reminders.sweep import _advance_ladders, _record_due_levels

    issue = _issue(world, owner=world.hiring_manager)
    ids = (issue.pk, issue.pk)
    assert _record_due_levels(PartnershipItem, issue.due_at, ids) == 1
    assert _record_due_levels(PartnershipItem, issue.due_at, ids) == 0
    assert _advance_ladders(PartnershipItem, issue.due_at, ids) == 1
    issue.refresh_from_db()
    assert (issue.ladder_step, issue.next_step_at) == (2, issue.escalate_at)
    assert reminders.record_due_steps(now=issue.due_at).recorded == 0


def test_quiet_hours_hold_the_reminder_until_the_owners_morning(world):
    owner = world.hiring_manager
    owner.time_zone = "Europe/Berlin"  # 17:00 in New York is 23:00 in Berlin
    owner.save()
    issue = _issue(world, owner=owner)
    morning = at(2026, 1, 15, 8, zone=BERLIN)

    with time_machine.travel(issue.due_at, tick=False):
        sweep()
    assert mail.outbox == []
    waiting = Reminder.objects.get(partnership_item=issue, level="overdue")
    assert (waiting.status, waiting.send_after) == (Reminder.Status.PENDING, morning)

    with time_machine.travel(morning, tick=False):
        sweep()
        sweep()
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert _levels(issue)["overdue"] == "sent"


def test_a_digest_reader_finds_their_due_issues_in_the_morning_digest(world):
    owner = world.hiring_manager
    owner.notification_preference = User.NotificationPreference.DIGEST
    owner.save()
    issue = _issue(world, owner=owner)
    _issue(world, owner=owner, due_on=DUE_ON + timedelta(days=30), title="Not due for a month")

    with time_machine.travel(issue.due_at, tick=False):
        sweep()
    assert mail.outbox == []
    assert _levels(issue) == {"overdue": "in_digest"}

    with time_machine.travel(at(2026, 1, 15, owner.digest_hour, zone=owner.zone), tick=False):
        digests()
        digests()
    [digest] = mail.outbox
    assert digest.to == [owner.email]
    assert "1 issue of yours due" in digest.subject
    assert "Interview slots keep moving" in digest.body
    assert f"/issues/{issue.pk}/" in digest.body
    assert "Past due since" in digest.body
    assert "Not due for a month" not in digest.body
    assert _levels(issue)["overdue"] == "sent"
    assert Digest.objects.get(user=owner).item_count == 1


def test_a_digest_lists_the_requests_and_the_issues_together(world):
    owner = world.hiring_manager
    owner.notification_preference = User.NotificationPreference.DIGEST
    owner.save()
    issue = _issue(world, owner=owner)
    chased_request(requisition=world.requisition, remind_at=issue.remind_at, due_at=issue.due_at)

    with time_machine.travel(at(2026, 1, 15, owner.digest_hour, zone=owner.zone), tick=False):
        digests()
    [digest] = mail.outbox
    assert digest.subject.endswith("1 request waiting on you and 1 issue of yours due")
    assert "Issues you own that are due" in digest.body
    assert "Update the issue" in digest.alternatives[0][0]


def test_an_issue_resolved_before_its_reminder_is_sent_has_it_skipped(world):
    issue = _issue(world, owner=world.hiring_manager)
    reminders.record_due_steps(now=issue.due_at)  # recorded, not yet sent
    assert _levels(issue) == {"overdue": "pending"}

    PartnershipItem.objects.filter(pk=issue.pk).update(status="resolved", resolution="Fixed windows agreed.")
    with time_machine.travel(issue.due_at + timedelta(minutes=1), tick=False):
        sweep()

    assert _levels(issue) == {"overdue": "skipped"}
    assert mail.outbox == []
    with time_machine.travel(issue.escalate_at, tick=False):
        sweep()
    assert "escalation" not in _levels(issue)


def test_stopping_the_chase_skips_what_was_left_for_the_digest(world):
    issue = _issue(world, owner=world.hiring_manager)
    reminders.record_due_steps(now=issue.due_at)
    Reminder.objects.filter(partnership_item=issue, level="overdue").update(status=Reminder.Status.IN_DIGEST)

    assert issue_chase_stop(item=issue) == 1

    assert _levels(issue) == {"overdue": "skipped"}
    issue.refresh_from_db()
    assert issue.next_step_at is None


def test_recording_takes_the_same_few_queries_for_5_or_50_due_issues(world):
    def record_queries(now) -> int:
        with CaptureQueriesContext(connection) as queries:
            reminders.record_due_steps(now=now)
        return len([query for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]])

    first = [_issue(world, owner=world.hiring_manager, due_on=DUE_ON) for _ in range(5)]
    few = record_queries(first[0].escalate_at)
    later = DUE_ON + timedelta(days=7)
    many_issues = [
        _issue(world, owner=owner, due_on=later) for _ in range(25) for owner in (world.hiring_manager, world.recruiter)
    ]
    many = record_queries(many_issues[0].escalate_at)
    # The range of due ids of each kind (4, implementation tasks too), and the INSERT and UPDATE of the issues.
    assert few == many == 6
    assert Reminder.objects.filter(partnership_item__isnull=False).count() == 55 * 2
    assert set(
        Reminder.objects.filter(partnership_item__in=many_issues, level="escalation").values_list(
            "recipient_id", flat=True
        )
    ) == {world.client_admin.pk, world.account_manager.pk}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_and_send_each_issue_level_once(world):
    issues = [_issue(world, owner=world.hiring_manager) for _ in range(10)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def one_sweep():
        try:
            start.wait(timeout=10)
            sweep()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(issues[0].escalate_at, tick=False):
        threads = [threading.Thread(target=one_sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert all(_levels(issue) == {"overdue": "sent", "escalation": "sent"} for issue in issues)
    assert Reminder.objects.count() == 20  # overdue and escalation; no row for the stale "due soon"
    assert len(mail.outbox) == 20
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == 20


def test_the_admin_shows_the_reminders_that_chased_an_issue(world, client):
    issue = _issue(world, owner=world.hiring_manager)
    with time_machine.travel(issue.due_at, tick=False):
        sweep()
    client.force_login(User.objects.create_superuser("root@example.com", "x", full_name="Root"))

    page = client.get(f"/admin/partnership/partnershipitem/{issue.pk}/change/")

    assert page.status_code == 200
    assert "Overdue reminder" in page.content.decode()


def test_each_chased_kinds_sql_and_filter_pick_the_same_rows(world):
    """The sweep's hand-written SQL and its ORM update read "still chased" the same way."""
    from feedback.reminders.subjects import chased_kinds

    for status in PartnershipItem.Status.values:
        issue = _issue(world, owner=world.hiring_manager, title=f"An issue {status}")
        PartnershipItem.objects.filter(pk=issue.pk).update(status=status, resolution="What was changed.")
    for request, status in zip(
        [chased_request(requisition=world.requisition, remind_at=at(2026, 1, 14, 9)) for _ in range(3)],
        ["open", "answered", "cancelled"],
        strict=True,
    ):
        type(request).objects.filter(pk=request.pk).update(status=status)
    chased_request(requisition=world.requisition, remind_at=at(2026, 1, 14, 9), model=AvailabilityRequest)
    ImplementationTask.objects.create(engagement=world.acme_engagement, title="Kick-off")
    ImplementationTask.objects.create(engagement=world.acme_engagement, title="Done", completed_at=at(2026, 1, 5, 9))

    assert [kind.reminder_field for kind in chased_kinds()] == [
        "feedback_request",
        "availability_request",
        "partnership_item",
        "implementation_task",
    ]
    for kind in chased_kinds():
        table = connection.ops.quote_name(kind.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT request.id FROM {table} request WHERE {kind.open_sql} ORDER BY request.id")
            by_sql = [row[0] for row in cursor.fetchall()]
        assert by_sql == list(kind.model.objects.filter(kind.open_q).order_by("id").values_list("id", flat=True))
        assert by_sql
