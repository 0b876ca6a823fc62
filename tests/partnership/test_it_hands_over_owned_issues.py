"""Deactivating the owner of open partnership issues hands them to the successor with the rest of
what they hold (``accounts.handover``; ``partnership.items.issues_hand_over``): the ladder goes on
to the successor, what was resolved stays as it was (issue 10)."""

from datetime import timedelta

from django.utils import timezone

from accounts import handover
from accounts.services import user_deactivate
from feedback.models import Reminder
from partnership.models import ItemFollower, PartnershipItem

from .issue_kit import make_issue


def test_open_issues_move_to_the_successor_with_their_pending_reminders(world, django_capture_on_commit_callbacks):
    owned = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.account_manager)
    overdue = make_issue(
        world.acme_engagement,
        owner=world.hiring_manager,
        raised_by=world.account_manager,
        due_at=timezone.now() - timedelta(hours=1),
    )
    resolved = make_issue(
        world.acme_engagement,
        owner=world.hiring_manager,
        raised_by=world.account_manager,
        status=PartnershipItem.Status.RESOLVED,
        resolution="A weekly review slot.",
    )
    waiting = Reminder.objects.create(
        partnership_item=owned, level=Reminder.Level.DUE_SOON, recipient=world.hiring_manager
    )
    escalation = Reminder.objects.create(
        partnership_item=overdue, level=Reminder.Level.ESCALATION, recipient=world.client_admin
    )

    held = {
        entry.key: entry
        for entry in handover.held_by(users=[world.hiring_manager], now=timezone.now())[world.hiring_manager.pk]
    }
    assert str(held["partnership.open_issues"]) == "2 open partnership issues they own (1 overdue)"

    with django_capture_on_commit_callbacks(execute=True):
        user_deactivate(actor=world.client_admin, user=world.hiring_manager, successor=world.other_hiring_manager)

    for issue in (owned, overdue):
        issue.refresh_from_db()
        assert issue.owner == world.other_hiring_manager
        assert ItemFollower.objects.filter(item=issue, user=world.other_hiring_manager).exists()
    resolved.refresh_from_db()
    assert resolved.owner == world.hiring_manager  # closed history stays as it happened
    waiting.refresh_from_db()
    escalation.refresh_from_db()
    assert waiting.recipient == world.other_hiring_manager
    assert escalation.recipient == world.client_admin  # the escalation goes to the side's lead
